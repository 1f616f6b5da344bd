import { parseDurationMs } from '@gatehouse/config';
import { DEFAULT_DENY_RULE } from './policy-decision.ts';

/** Longest cache TTL or hold timeout a document may set. */
export const MAX_DURATION_MS = 24 * 3_600_000;

/**
 * Checks what JSON Schema cannot express: unique rule ids, the reserved `default-deny` id,
 * masking profiles that are declared, time windows that are not empty, and duration caps. Runs
 * on unvalidated input alongside the schema (so one pass reports every problem), hence the guards.
 */
export function checkPolicySemantics(document: unknown): string[] {
  const problems: string[] = [];
  if (!isRecord(document)) return problems;
  const profiles = new Set(Array.isArray(document.maskingProfiles) ? document.maskingProfiles : []);
  if (isRecord(document.defaults)) {
    checkDurationCap(document.defaults.cacheTtl, '/defaults/cacheTtl', problems);
    checkDurationCap(document.defaults.holdTimeout, '/defaults/holdTimeout', problems);
  }
  const firstById = new Map<string, number>();
  const rules = Array.isArray(document.rules) ? document.rules : [];
  rules.forEach((rule: unknown, index) => {
    if (!isRecord(rule)) return;
    const at = `/rules/${index}`;
    if (typeof rule.id === 'string') {
      const first = firstById.get(rule.id);
      if (rule.id === DEFAULT_DENY_RULE)
        problems.push(`${at}/id: "${DEFAULT_DENY_RULE}" is reserved for the implicit final deny`);
      else if (first !== undefined)
        problems.push(`${at}/id: duplicate rule id ${JSON.stringify(rule.id)} (first at /rules/${first})`);
      else firstById.set(rule.id, index);
    }
    if (typeof rule.masking === 'string' && !profiles.has(rule.masking)) {
      problems.push(
        `${at}/masking: unknown masking profile ${JSON.stringify(rule.masking)}; declare it in maskingProfiles`,
      );
    }
    checkDurationCap(rule.cacheTtl, `${at}/cacheTtl`, problems);
    if (isRecord(rule.approval))
      checkDurationCap(rule.approval.holdTimeout, `${at}/approval/holdTimeout`, problems);
    const time = isRecord(rule.match) ? rule.match.time : undefined;
    if (isRecord(time)) {
      if (time.days === undefined && time.between === undefined) {
        problems.push(`${at}/match/time: needs days, between or both`);
      }
      const between = time.between;
      if (Array.isArray(between) && between.length === 2 && between[0] === between[1]) {
        problems.push(`${at}/match/time/between: start and end must differ`);
      }
    }
  });
  return problems;
}

function checkDurationCap(value: unknown, at: string, problems: string[]): void {
  if (typeof value !== 'string') return;
  let ms: number;
  try {
    ms = parseDurationMs(value);
  } catch {
    return; // the schema reports the malformed duration
  }
  if (ms > MAX_DURATION_MS) problems.push(`${at}: must be at most 24h`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
