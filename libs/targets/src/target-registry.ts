import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError, UnknownTargetError } from '@gatehouse/errors';
import { parse } from 'yaml';
import { TargetTlsMode, type PostgresTarget } from './postgres-target.ts';

/** Where a targets document came from; relative `passwordFile` / `caFile` paths resolve against `baseDir`. */
export interface TargetsSource {
  /** Named in errors (the variable that pointed at the file), default `TARGETS_FILE`. */
  readonly variable?: string;
  /** Directory relative file paths are resolved against, default the working directory. */
  readonly baseDir?: string;
}

/**
 * PostgreSQL targets by name, read once from the targets file (YAML):
 *
 * ```yaml
 * targets:
 *   demo: { kind: postgres, host: 127.0.0.1, port: 5432, database: demo, user: app,
 *           passwordFile: /run/secrets/demo, tls: disable }   # or password:, caFile:
 * ```
 *
 * Entries of another `kind` (e.g. `ssh`) are skipped: each edge reads the kinds it serves.
 */
export class TargetRegistry {
  private constructor(private readonly targets: ReadonlyMap<string, PostgresTarget>) {}

  /** Reads and validates the file; a bad entry throws ConfigError naming the target and field. */
  static fromFile(path: string, variable = 'TARGETS_FILE'): TargetRegistry {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (cause) {
      throw new ConfigError(`${variable}: cannot read ${path}`, variable, { cause });
    }
    return TargetRegistry.fromYaml(text, { variable, baseDir: dirname(resolve(path)) });
  }

  /** Parses a targets document already in memory. */
  static fromYaml(text: string, source: TargetsSource = {}): TargetRegistry {
    const variable = source.variable ?? 'TARGETS_FILE';
    let document: unknown;
    try {
      document = parse(text) ?? {};
    } catch (cause) {
      throw new ConfigError(`${variable}: not valid YAML`, variable, { cause });
    }
    const entries = (document as { targets?: unknown }).targets ?? {};
    if (typeof entries !== 'object' || entries === null || Array.isArray(entries)) {
      throw new ConfigError(`${variable}: \`targets\` must be a map of name to target`, variable);
    }
    const targets = new Map<string, PostgresTarget>();
    for (const [name, raw] of Object.entries(entries as Record<string, unknown>)) {
      if (typeof raw !== 'object' || raw === null) {
        throw new ConfigError(`${variable}: target ${name} must be a map`, variable);
      }
      const fields = raw as Record<string, unknown>;
      if (fields['kind'] !== undefined && fields['kind'] !== 'postgres') continue;
      targets.set(name, parseTarget(name, fields, variable, source.baseDir ?? process.cwd()));
    }
    return new TargetRegistry(targets);
  }

  /** The named target; UnknownTargetError when there is none. */
  get(name: string): PostgresTarget {
    const target = this.targets.get(name);
    if (!target) throw new UnknownTargetError(`database "${name}" is not a Gatehouse target`);
    return target;
  }

  /** The named target, or undefined. */
  find(name: string): PostgresTarget | undefined {
    return this.targets.get(name);
  }

  /** Every configured name. */
  names(): string[] {
    return [...this.targets.keys()];
  }
}

function parseTarget(
  name: string,
  raw: Record<string, unknown>,
  variable: string,
  baseDir: string,
): PostgresTarget {
  const fail = (field: string, problem: string): never => {
    throw new ConfigError(`${variable}: target ${name}: ${field} ${problem}`, variable);
  };
  const text = (field: string, fallback?: string): string => {
    const value = raw[field] ?? fallback;
    if (typeof value !== 'string' || value.length === 0) return fail(field, 'must be a non-empty string');
    return value;
  };
  const readText = (field: string): string | undefined => {
    const path = raw[field];
    if (path === undefined) return undefined;
    if (typeof path !== 'string' || path.length === 0) return fail(field, 'must be a file path');
    try {
      return readFileSync(resolve(baseDir, path), 'utf8');
    } catch {
      return fail(field, `cannot be read (${path})`);
    }
  };
  const port = Number(raw['port'] ?? 5432);
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail('port', 'must be a TCP port');
  const tls = raw['tls'] ?? 'disable';
  if (!(TargetTlsMode as readonly unknown[]).includes(tls))
    fail('tls', `must be one of ${TargetTlsMode.join(', ')}`);
  if (raw['password'] !== undefined && typeof raw['password'] !== 'string')
    fail('password', 'must be a string');
  const fromFile = readText('passwordFile');
  const ca = readText('caFile');
  return Object.freeze({
    name,
    host: text('host', '127.0.0.1'),
    port,
    database: text('database', name),
    user: text('user'),
    password: fromFile === undefined ? (raw['password'] as string | undefined) : fromFile.trim(),
    tls: tls as TargetTlsMode,
    ca,
  });
}
