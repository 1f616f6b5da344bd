import { readFileSync } from 'node:fs';
import { ConfigError, UnknownTargetError } from '@gatehouse/errors';
import { parse } from 'yaml';

/** How the edge reaches one upstream PostgreSQL. Credentials come from here, never from the client. */
export interface PostgresTarget {
  name: string;
  host: string;
  port: number;
  database: string;
  user: string;
  password: string | undefined;
  /** `disable`, `require` (encrypt, no verification) or `verify-full` (CA and host name checked). */
  tls: 'disable' | 'require' | 'verify-full';
  /** PEM CA bundle for verify-full. */
  ca: string | undefined;
}

const tlsModes = ['disable', 'require', 'verify-full'] as const;

/** Targets by name, read once from TARGETS_FILE (YAML `targets: { name: {...} }`). */
export class TargetRegistry {
  private constructor(private readonly targets: ReadonlyMap<string, PostgresTarget>) {}

  /** Reads and validates the file; a bad entry stops the boot naming the target and field. */
  static fromFile(path: string): TargetRegistry {
    let document: { targets?: Record<string, Record<string, unknown>> };
    try {
      document = parse(readFileSync(path, 'utf8')) ?? {};
    } catch (cause) {
      throw new ConfigError(`TARGETS_FILE: cannot read ${path}`, 'TARGETS_FILE', { cause });
    }
    const targets = new Map<string, PostgresTarget>();
    for (const [name, raw] of Object.entries(document.targets ?? {})) {
      if (raw['kind'] !== undefined && raw['kind'] !== 'postgres') continue;
      targets.set(name, parseTarget(name, raw));
    }
    return new TargetRegistry(targets);
  }

  /** The named target; UnknownTargetError when there is none. */
  get(name: string): PostgresTarget {
    const target = this.targets.get(name);
    if (!target) throw new UnknownTargetError(`database "${name}" is not a Gatehouse target`);
    return target;
  }

  /** Every configured name. */
  names(): string[] {
    return [...this.targets.keys()];
  }
}

function parseTarget(name: string, raw: Record<string, unknown>): PostgresTarget {
  const fail = (field: string, problem: string): never => {
    throw new ConfigError(`TARGETS_FILE: target ${name}: ${field} ${problem}`, 'TARGETS_FILE');
  };
  const text = (field: string, fallback?: string): string => {
    const value = raw[field] ?? fallback;
    if (typeof value !== 'string' || value.length === 0) return fail(field, 'must be a non-empty string');
    return value;
  };
  const port = Number(raw['port'] ?? 5432);
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail('port', 'must be a TCP port');
  const tls = (raw['tls'] ?? 'disable') as PostgresTarget['tls'];
  if (!tlsModes.includes(tls)) fail('tls', `must be one of ${tlsModes.join(', ')}`);
  const passwordFile = raw['passwordFile'];
  let password = typeof raw['password'] === 'string' ? raw['password'] : undefined;
  if (typeof passwordFile === 'string') password = readFileSync(passwordFile, 'utf8').trim();
  const caFile = raw['caFile'];
  return {
    name,
    host: text('host', '127.0.0.1'),
    port,
    database: text('database', name),
    user: text('user'),
    password,
    tls,
    ca: typeof caFile === 'string' ? readFileSync(caFile, 'utf8') : undefined,
  };
}
