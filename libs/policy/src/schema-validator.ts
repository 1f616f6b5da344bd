import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { isCidr } from './client-networks.ts';
import { isTimeZone } from './time-window.ts';

// Messages for patterns and formats, keyed by a fragment of the failing schema path or by format:
// Ajv's own "must match pattern ..." says nothing a policy author can act on.
const patternHints: Readonly<Record<string, string>> = {
  '/cacheDuration/': 'must be a duration like 500ms, 60s, 10m or 1h',
  '/holdDuration/': 'must be a positive duration in s, m or h, like 90s, 10m or 1h',
  '/ruleId/': 'must be lower-case letters, digits, ".", "_" or "-", starting with a letter or digit',
  '/profileName/': 'must be letters, digits, ".", "_" or "-", starting with a letter or digit',
  '/between/': 'must be a local time HH:MM (00:00 to 23:59; the end may be 24:00)',
  '/context/properties/time/': 'must be an RFC 3339 date-time like 2025-01-15T09:00:00Z',
};
const formatHints: Readonly<Record<string, string>> = {
  'ip-cidr': 'must be an IPv4 or IPv6 network with a prefix length, like 10.0.0.0/8 or ::1/128',
  'iana-time-zone': 'must be an IANA time zone such as UTC or Europe/Berlin',
};

/** Validates a value against one JSON Schema; returns every problem as `<pointer>: <message>`. */
export type SchemaCheck = (value: unknown) => string[];

/**
 * Compiles `schema` (draft 2020-12) with the formats the policy contracts use (`ip-cidr`,
 * `iana-time-zone`), collecting all errors rather than the first.
 */
export function compileSchema(schema: object): SchemaCheck {
  // strictRequired would reject `required` inside if/then, which is how effect-specific fields are written.
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
  ajv.addFormat('ip-cidr', { type: 'string', validate: isCidr });
  ajv.addFormat('iana-time-zone', { type: 'string', validate: isTimeZone });
  const validate: ValidateFunction = ajv.compile(schema);
  return (value) => {
    if (validate(value)) return [];
    const problems = new Set<string>();
    for (const error of validate.errors ?? []) {
      const problem = describe(error);
      if (problem !== undefined) problems.add(problem);
    }
    return [...problems];
  };
}

const durationDef = /\/(cacheDuration|holdDuration)\//;

function patternHint(schemaPath: string): string | undefined {
  return Object.entries(patternHints).find(([fragment]) => schemaPath.includes(fragment))?.[1];
}

function describe(error: ErrorObject): string | undefined {
  const path = error.instancePath === '' ? '/' : error.instancePath;
  switch (error.keyword) {
    case 'if':
      // Reports only that a `then`/`else` branch failed; that branch's own errors say why.
      return undefined;
    case 'additionalProperties':
      return `${path}: unknown key ${JSON.stringify((error.params as { additionalProperty: string }).additionalProperty)}`;
    case 'enum':
      return `${path}: must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
    case 'const':
      return `${path}: must be ${JSON.stringify((error.params as { allowedValue: unknown }).allowedValue)}`;
    case 'required':
      return `${path}: missing required key ${JSON.stringify((error.params as { missingProperty: string }).missingProperty)}`;
    case 'false schema':
      return `${path}: not allowed for this rule's effect`;
    case 'format': {
      const format = (error.params as { format: string }).format;
      return `${path}: ${formatHints[format] ?? `must be a valid ${format}`}`;
    }
    case 'pattern':
      return `${path}: ${patternHint(error.schemaPath) ?? error.message ?? 'invalid'}`;
    case 'type':
      // `cacheTtl: 60` is a number; say what a duration looks like rather than "must be string".
      return `${path}: ${(durationDef.test(error.schemaPath) && patternHint(error.schemaPath)) || error.message}`;
    default:
      return `${path}: ${error.message ?? 'invalid'}`;
  }
}
