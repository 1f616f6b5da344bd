import { readFileSync } from 'node:fs';
import { ConfigError } from '@gatehouse/errors';
import { parse as parseYaml } from 'yaml';
import type { ConfigField } from './config-field.ts';

/** A map of named fields; `ConfigOf` turns it into the typed, frozen config object. */
export type ConfigSpec = Record<string, ConfigField<unknown>>;

/** The typed config a spec describes. */
export type ConfigOf<S extends ConfigSpec> = {
  readonly [K in keyof S]: S[K] extends ConfigField<infer T> ? T : never;
};

/** Where raw values come from: the process environment and, optionally, a YAML file of VAR: value. */
export interface ConfigSources {
  /** Usually `process.env`, passed in by main.ts (nothing else reads it). */
  env: Readonly<Record<string, string | undefined>>;
  /** Variable naming a YAML file whose keys are variable names; env values win over the file. */
  fileVariable?: string;
}

function readFileValues(path: string, variable: string): Record<string, string> {
  let document: unknown;
  try {
    document = parseYaml(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new ConfigError(`${variable}: cannot read config file ${path}`, variable, { cause });
  }
  if (document === null || document === undefined) return {};
  if (typeof document !== 'object' || Array.isArray(document)) {
    throw new ConfigError(`${variable}: ${path} must hold a map of VARIABLE: value`, variable);
  }
  return Object.fromEntries(Object.entries(document).map(([key, value]) => [key, String(value)]));
}

/**
 * Parses every field once at boot into a frozen object. A bad or missing value throws a
 * ConfigError naming the variable, so the process can stop with a clear message.
 */
export function loadConfig<S extends ConfigSpec>(spec: S, sources: ConfigSources): ConfigOf<S> {
  const fileVariable = sources.fileVariable ?? 'GATEHOUSE_CONFIG_FILE';
  const filePath = sources.env[fileVariable];
  const fileValues = filePath ? readFileValues(filePath, fileVariable) : {};
  const config: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(spec)) {
    const raw = sources.env[field.variable] ?? fileValues[field.variable];
    if (raw === undefined || raw === '') {
      if (!field.optional) {
        throw new ConfigError(`${field.variable} is required (${field.description || key})`, field.variable);
      }
      config[key] = field.fallback;
      continue;
    }
    try {
      config[key] = field.parse(raw);
    } catch (cause) {
      throw new ConfigError(`${field.variable} ${(cause as Error).message}`, field.variable, { cause });
    }
  }
  return Object.freeze(config) as ConfigOf<S>;
}
