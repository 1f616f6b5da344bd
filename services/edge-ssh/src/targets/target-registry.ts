import { readFileSync } from 'node:fs';
import { ConfigError } from '@gatehouse/errors';
import { parse } from 'yaml';
import { MAX_TARGET_NAME_LENGTH } from './target-username.ts';

/** How the edge reaches one upstream sshd. Credentials come from here, never from the client. */
export interface SshTarget {
  name: string;
  host: string;
  port: number;
  /** Login name on the target. */
  user: string;
  /** OpenSSH or PEM private key the edge authenticates with (from `privateKeyFile`). */
  privateKey: string | undefined;
  /** Passphrase of `privateKey`, when it is encrypted. */
  passphrase: string | undefined;
  /** Password the edge authenticates with (from `password` or `passwordFile`). */
  password: string | undefined;
  /**
   * SHA-256 of the target's host key blob, unpadded base64 as `ssh-keygen -lf` prints it without
   * the `SHA256:` prefix. Undefined: any host key is accepted (the boot log warns).
   */
  hostKeySha256: string | undefined;
}

const targetName = /^[A-Za-z0-9_.-]+$/;
const sha256Base64 = /^[A-Za-z0-9+/]{43}$/;

/** SSH targets by name, read once from TARGETS_FILE (YAML `targets: { name: { kind: ssh, ... } }`). */
export class TargetRegistry {
  private constructor(private readonly targets: ReadonlyMap<string, SshTarget>) {}

  /**
   * Reads and validates the file. Entries without `kind: ssh` belong to other edges and are
   * skipped; a bad ssh entry stops the boot naming the target and field.
   */
  static fromFile(path: string): TargetRegistry {
    let document: { targets?: Record<string, Record<string, unknown>> } | null;
    try {
      document = parse(readFileSync(path, 'utf8')) as typeof document;
    } catch (cause) {
      throw new ConfigError(`TARGETS_FILE: cannot read ${path}`, 'TARGETS_FILE', { cause });
    }
    return TargetRegistry.fromDocument(document ?? {});
  }

  /** Builds the registry from a parsed TARGETS_FILE document. */
  static fromDocument(document: { targets?: Record<string, Record<string, unknown>> }): TargetRegistry {
    const targets = new Map<string, SshTarget>();
    for (const [name, raw] of Object.entries(document.targets ?? {})) {
      if (raw?.['kind'] !== 'ssh') continue;
      targets.set(name, parseTarget(name, raw));
    }
    return new TargetRegistry(targets);
  }

  /** The named target, or undefined (the caller fails authentication without saying why). */
  find(name: string): SshTarget | undefined {
    return this.targets.get(name);
  }

  /** Every configured name. */
  names(): string[] {
    return [...this.targets.keys()];
  }
}

function parseTarget(name: string, raw: Record<string, unknown>): SshTarget {
  const fail = (field: string, problem: string): never => {
    throw new ConfigError(`TARGETS_FILE: target ${name}: ${field} ${problem}`, 'TARGETS_FILE');
  };
  if (name.length > MAX_TARGET_NAME_LENGTH || !targetName.test(name)) {
    fail('name', `must match ${targetName} and be at most ${MAX_TARGET_NAME_LENGTH} characters`);
  }
  const text = (field: string, fallback?: string): string => {
    const value = raw[field] ?? fallback;
    if (typeof value !== 'string' || value.length === 0) return fail(field, 'must be a non-empty string');
    return value;
  };
  const optionalText = (field: string): string | undefined =>
    raw[field] === undefined ? undefined : text(field);
  const readSecret = (field: string): string | undefined => {
    const path = optionalText(field);
    if (path === undefined) return undefined;
    try {
      return readFileSync(path, 'utf8');
    } catch (cause) {
      throw new ConfigError(`TARGETS_FILE: target ${name}: ${field} cannot be read`, 'TARGETS_FILE', {
        cause,
      });
    }
  };
  const port = Number(raw['port'] ?? 22);
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail('port', 'must be a TCP port');
  const privateKey = readSecret('privateKeyFile');
  const password = readSecret('passwordFile')?.trim() ?? optionalText('password');
  if (privateKey === undefined && password === undefined) {
    fail('privateKeyFile', 'or password(File) is required: the edge logs in with its own credentials');
  }
  let hostKeySha256 = optionalText('hostKeySha256');
  if (hostKeySha256 !== undefined) {
    hostKeySha256 = hostKeySha256.replace(/^SHA256:/, '').replace(/=+$/, '');
    if (!sha256Base64.test(hostKeySha256))
      fail('hostKeySha256', 'must look like SHA256:<43 base64 characters>');
  }
  return {
    name,
    host: text('host', '127.0.0.1'),
    port,
    user: text('user'),
    privateKey,
    passphrase: optionalText('passphrase'),
    password,
    hostKeySha256,
  };
}
