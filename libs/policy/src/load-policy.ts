import { parseDurationMs } from '@gatehouse/config';
import { parseDocument } from 'yaml';
import { policySchema } from '@gatehouse/contracts';
import { RuleListPolicy, type CompiledPolicy } from './compiled-policy.ts';
import { InvalidPolicyError } from './invalid-policy-error.ts';
import { checkPolicySemantics } from './policy-checks.ts';
import type { PolicyDocument } from './policy-document.ts';
import { policyVersion } from './policy-version.ts';
import { compileSchema, type SchemaCheck } from './schema-validator.ts';
import { ZoneClock } from './time-window.ts';

const DEFAULT_CACHE_TTL = '60s';
const DEFAULT_HOLD_TIMEOUT = '10m';

let schemaCheck: SchemaCheck | undefined;

/**
 * Parses a YAML policy document, validates it against contracts/policy/policy.schema.json plus
 * the checks a schema cannot express, and compiles it for {@link CompiledPolicy.evaluate}.
 * @throws InvalidPolicyError listing every problem (YAML syntax, schema, semantics).
 */
export function loadPolicy(yamlText: string): CompiledPolicy {
  const document = parsePolicyYaml(yamlText);
  return compilePolicy(document);
}

/**
 * Validates and compiles an already parsed policy document (e.g. from JSON).
 * @throws InvalidPolicyError listing every problem.
 */
export function compilePolicy(document: unknown): CompiledPolicy {
  schemaCheck ??= compileSchema(policySchema);
  const problems = [...schemaCheck(document), ...checkPolicySemantics(document)];
  if (problems.length > 0) throw new InvalidPolicyError('policy document', problems);
  const valid = deepFreeze(structuredClone(document)) as PolicyDocument;
  const clocks = new Map<string, ZoneClock>();
  return new RuleListPolicy(valid, {
    cacheTtlMs: parseDurationMs(valid.defaults?.cacheTtl ?? DEFAULT_CACHE_TTL),
    holdTimeoutSeconds: parseDurationMs(valid.defaults?.holdTimeout ?? DEFAULT_HOLD_TIMEOUT) / 1000,
    policyVersion: policyVersion(valid),
    clockFor: (timeZone) => {
      let clock = clocks.get(timeZone);
      if (clock === undefined) clocks.set(timeZone, (clock = new ZoneClock(timeZone)));
      return clock;
    },
  });
}

/** Parses YAML into plain JSON values; syntax errors become an InvalidPolicyError. */
export function parsePolicyYaml(yamlText: string, source = 'policy document'): unknown {
  // YAML 1.2 core schema: `08:00` stays a string and `on`/`yes` are not booleans.
  const parsed = parseDocument(yamlText, { uniqueKeys: true, prettyErrors: true });
  if (parsed.errors.length > 0) {
    throw new InvalidPolicyError(
      source,
      parsed.errors.map((error) => `YAML ${error.message.split('\n')[0]}`),
    );
  }
  return parsed.toJS({ maxAliasCount: 100 });
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
