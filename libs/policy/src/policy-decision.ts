import type { Effect } from './effect.ts';

/** Rule id reported when no rule matched. */
export const DEFAULT_DENY_RULE = 'default-deny';

/**
 * The engine's answer for one request; the body of an authz decide reply minus the classification.
 * Decisions are frozen and may be shared between calls: copy before changing one.
 */
export interface PolicyDecision {
  /** What the policy decided. */
  effect: Effect;
  /** Id of the deciding rule, or {@link DEFAULT_DENY_RULE}. */
  rule: string;
  /** Human-readable reason, safe to show the client. */
  reason: string;
  /** Content hash of the policy that decided. */
  policyVersion: string;
  /** Masking profile for results (allow and review only, when the rule names one). */
  maskingProfile?: string;
  /** Review requirements (review only). */
  approval?: {
    /** Groups whose members may approve. */
    groups: string[];
    /** Approvals needed. */
    quorum: number;
    /** How long the edge holds the operation waiting for a decision. */
    holdTimeoutSeconds: number;
  };
  /**
   * How long an edge may reuse this decision for the same fingerprint, groups, target and policy
   * version; 0 when the decision depended on something outside that key (see README).
   */
  cacheTtlMs: number;
}
