/**
 * A typed configuration field: the variable it reads, its default, and a parser that throws a
 * plain message on a bad value (the loader adds the variable's name).
 */
export interface ConfigField<T> {
  /** Environment variable (and YAML file key) the field reads. */
  readonly variable: string;
  /** What the field is for; shown in errors and the README reference. */
  readonly description: string;
  /** Value when neither env nor file sets it. */
  readonly fallback: T | undefined;
  /** Whether the field may stay unset (then its value is `fallback`, possibly undefined). */
  readonly optional: boolean;
  /** Unit of a numeric value, for documentation (`ms` for durations). */
  readonly unit?: 'ms';
  /** Turns the raw text into a value, or throws an Error whose message says what is wrong. */
  parse(raw: string): T;
}

interface FieldOptions<T> {
  default?: T;
  description?: string;
}

function field<T>(variable: string, options: FieldOptions<T>, parse: (raw: string) => T): ConfigField<T> {
  return {
    variable,
    description: options.description ?? '',
    fallback: options.default,
    optional: options.default !== undefined,
    parse,
  };
}

/** Field constructors; each validates its own kind of value. */
export const env = {
  /** Any non-empty string. */
  string(variable: string, options: FieldOptions<string> = {}): ConfigField<string> {
    return field(variable, options, (raw) => {
      if (raw.length === 0) throw new Error('must not be empty');
      return raw;
    });
  },

  /** An optional string: empty or unset means undefined. */
  optionalString(variable: string, options: { description?: string } = {}): ConfigField<string | undefined> {
    return {
      variable,
      description: options.description ?? '',
      fallback: undefined,
      optional: true,
      parse: (raw) => raw || undefined,
    };
  },

  /** A whole number within bounds. */
  integer(
    variable: string,
    options: FieldOptions<number> & { min?: number; max?: number } = {},
  ): ConfigField<number> {
    return field(variable, options, (raw) => {
      if (!/^-?\d+$/.test(raw.trim())) throw new Error(`must be a whole number, got ${JSON.stringify(raw)}`);
      const value = Number(raw);
      if (options.min !== undefined && value < options.min)
        throw new Error(`must be at least ${options.min}`);
      if (options.max !== undefined && value > options.max) throw new Error(`must be at most ${options.max}`);
      return value;
    });
  },

  /** A TCP port, 0 meaning "any free port". */
  port(variable: string, options: FieldOptions<number> = {}): ConfigField<number> {
    return env.integer(variable, { ...options, min: 0, max: 65535 });
  },

  /** true/false/1/0/yes/no. */
  boolean(variable: string, options: FieldOptions<boolean> = {}): ConfigField<boolean> {
    return field(variable, options, (raw) => {
      const value = raw.trim().toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(value)) return true;
      if (['false', '0', 'no', 'off'].includes(value)) return false;
      throw new Error(`must be true or false, got ${JSON.stringify(raw)}`);
    });
  },

  /** A URL with one of the allowed protocols. */
  url(
    variable: string,
    options: FieldOptions<string> & { protocols: readonly string[] },
  ): ConfigField<string> {
    return field(variable, options, (raw) => {
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        throw new Error('must be a URL');
      }
      if (!options.protocols.includes(url.protocol)) {
        throw new Error(`must use ${options.protocols.join(' or ')}, got ${url.protocol}`);
      }
      return raw;
    });
  },

  /** A duration such as `250ms`, `2s`, `10m`, `1h`; the value is milliseconds. */
  duration(variable: string, options: FieldOptions<number> = {}): ConfigField<number> {
    return { ...field(variable, options, parseDurationMs), unit: 'ms' };
  },

  /** One of a fixed list of values. */
  oneOf<const T extends string>(
    variable: string,
    values: readonly T[],
    options: FieldOptions<T> = {},
  ): ConfigField<T> {
    return field(variable, options, (raw) => {
      if (!(values as readonly string[]).includes(raw))
        throw new Error(`must be one of ${values.join(', ')}`);
      return raw as T;
    });
  },

  /** A comma-separated list of non-empty strings. */
  list(variable: string, options: FieldOptions<readonly string[]> = {}): ConfigField<readonly string[]> {
    return field(variable, options, (raw) =>
      raw
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item.length > 0),
    );
  },
};

const durationUnits: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses `250ms`, `2s`, `10m`, `1h` (or bare milliseconds) into milliseconds. */
export function parseDurationMs(raw: string): number {
  const match = /^(\d+)(ms|s|m|h)?$/.exec(raw.trim());
  if (!match) throw new Error(`must be a duration like 500ms, 2s, 10m or 1h, got ${JSON.stringify(raw)}`);
  return Number(match[1]) * durationUnits[match[2] ?? 'ms']!;
}
