import type { Effect } from './effect.ts';
import type { RiskClass } from './operation-facts.ts';
import type { Language, TargetKind } from './policy-request.ts';
import type { Weekday } from './time-window.ts';

// Mirrors contracts/policy/policy.schema.json (the schema is the contract; these types are what a
// document looks like after it validated). Field meanings are described in the schema.

/** A parsed, validated policy document. */
export interface PolicyDocument {
  /** Format version of the document (always 1). */
  readonly version: 1;
  /** Name of the policy. */
  readonly name: string;
  /** Free text for operators. */
  readonly description?: string;
  /** Values rules use when they do not set their own. */
  readonly defaults?: {
    /** Decision cache TTL, e.g. `60s` (default 60s). */
    readonly cacheTtl?: string;
    /** Review hold timeout, e.g. `10m` (default 10m). */
    readonly holdTimeout?: string;
  };
  /** Masking profiles the masking service knows. */
  readonly maskingProfiles?: readonly string[];
  /** Rules in document order. */
  readonly rules: readonly PolicyRule[];
}

/** One rule of a {@link PolicyDocument}. */
export interface PolicyRule {
  /** Unique id, reported in decisions. */
  readonly id: string;
  /** Free text for operators. */
  readonly description?: string;
  /** Reason shown to the client. */
  readonly reason?: string;
  /** What a match decides. */
  readonly effect: Effect;
  /** Conditions, all of which must hold. */
  readonly match: RuleMatch;
  /** Masking profile for results (allow, review). */
  readonly masking?: string;
  /** Review requirements (review only, required there). */
  readonly approval?: {
    /** Groups whose members may approve. */
    readonly groups: readonly string[];
    /** Approvals needed (default 1). */
    readonly quorum?: number;
    /** Hold timeout, e.g. `10m`. */
    readonly holdTimeout?: string;
  };
  /** Decision cache TTL for this rule's decisions. */
  readonly cacheTtl?: string;
}

/** Names a classifier reported, constrained by exact names or glob patterns; a list means `{ any }`. */
export type SetMatch =
  | readonly string[]
  | {
      /** At least one reported name matches. */
      readonly any?: readonly string[];
      /** No reported name matches. */
      readonly none?: readonly string[];
      /** Every reported name matches. */
      readonly only?: readonly string[];
    };

/** The `match` block of a rule. */
export interface RuleMatch {
  /** Token subjects (exact). */
  readonly subjects?: readonly string[];
  /** Groups (exact, any of). */
  readonly groups?: readonly string[];
  /** Token issuers (exact). */
  readonly issuers?: readonly string[];
  /** Conditions on the target. */
  readonly targets?: {
    /** Target name globs. */
    readonly names?: readonly string[];
    /** Target kinds. */
    readonly kinds?: readonly TargetKind[];
    /** Required label values. */
    readonly labels?: Readonly<Record<string, string>>;
  };
  /** Conditions on the classifier's facts. */
  readonly operation?: {
    /** Operation languages. */
    readonly languages?: readonly Language[];
    /** Risk classes. */
    readonly riskClasses?: readonly RiskClass[];
    /** Statement or command kinds (exact names). */
    readonly kinds?: SetMatch;
    /** Risk flags (exact names). */
    readonly flags?: SetMatch;
    /** Relations read and written (globs, case-insensitive). */
    readonly relations?: {
      /** Relations read. */
      readonly read?: SetMatch;
      /** Relations written. */
      readonly written?: SetMatch;
    };
    /** Functions called (globs, case-insensitive). */
    readonly functions?: SetMatch;
  };
  /** A weekly time window. */
  readonly time?: {
    /** Local days of the week. */
    readonly days?: readonly Weekday[];
    /** Local `[start, end)` as HH:MM. */
    readonly between?: readonly [string, string];
    /** IANA time zone (default UTC). */
    readonly timezone?: string;
  };
  /** Conditions on the client connection. */
  readonly session?: {
    /** Whether the connection must (not) use TLS. */
    readonly tls?: boolean;
    /** Client networks. */
    readonly clientCidrs?: readonly string[];
  };
}
