import type { Decision } from '@gatehouse/contracts';

/**
 * The details of a `decision` evidence record, the same on every edge: what was decided, by
 * which rule and policy version, whether the cache answered, and the operation's fingerprint and
 * risk class (never its text or values).
 */
export function decisionDetails(decision: Decision, cached: boolean): Record<string, unknown> {
  return {
    effect: decision.effect,
    rule: decision.rule,
    reason: decision.reason,
    policyVersion: decision.policyVersion,
    cached,
    fingerprint: decision.classification.fingerprint,
    riskClass: decision.classification.riskClass,
  };
}
