import { CompiledRule, requestTime, type RuleDefaults } from './compiled-rule.ts';
import { DEFAULT_DENY_RULE, type PolicyDecision } from './policy-decision.ts';
import type { PolicyDocument } from './policy-document.ts';
import type { PolicyRequest, TargetKind } from './policy-request.ts';

const TARGET_MEMO_LIMIT = 1024;

/** A validated policy, compiled once, that decides requests synchronously. */
export interface CompiledPolicy {
  /** Content version (`sha256:` + 16 hex digits of the canonical JSON document). */
  readonly version: string;
  /** The document's `name`. */
  readonly name: string;
  /** The validated document (deeply frozen). */
  readonly document: PolicyDocument;
  /**
   * Decides one statement or command: every matching rule is collected, deny beats review beats
   * allow, the first rule of the winning effect in document order decides, and no match is a
   * deny by `default-deny`. Pure apart from per-minute clock caching; never does I/O.
   * @throws RangeError when a time window must be checked and `context.time` is an invalid date.
   */
  evaluate(request: PolicyRequest): PolicyDecision;
}

/** {@link CompiledPolicy} over an array of {@link CompiledRule}. */
export class RuleListPolicy implements CompiledPolicy {
  private readonly rules: readonly CompiledRule[];
  private readonly defaultDeny: Readonly<PolicyDecision>;
  // Scratch space for rules whose unkeyed conditions were consulted during one evaluate(); reused
  // across calls (evaluate is synchronous) to keep the hot path free of allocation.
  private readonly consulted: CompiledRule[] = [];
  private readonly consultedMatched: boolean[] = [];
  private readonly targetRules = new Map<TargetKind, Map<string, readonly CompiledRule[]>>();

  constructor(
    readonly document: PolicyDocument,
    defaults: RuleDefaults,
  ) {
    this.rules = document.rules.map((rule, index) => new CompiledRule(index, rule, defaults));
    this.defaultDeny = Object.freeze({
      effect: 'deny',
      rule: DEFAULT_DENY_RULE,
      reason: 'no policy rule allows this operation',
      policyVersion: defaults.policyVersion,
      cacheTtlMs: defaults.cacheTtlMs,
    });
  }

  get version(): string {
    return this.defaultDeny.policyVersion;
  }

  get name(): string {
    return this.document.name;
  }

  evaluate(request: PolicyRequest): PolicyDecision {
    const rules = this.rulesFor(request.target.name, request.target.kind);
    let winner: CompiledRule | undefined;
    let winnerRank = -1;
    let consultedCount = 0;
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i]!;
      // A rule can only win over the current winner with a higher-ranked effect: with the same
      // effect the earlier rule wins. Skipped rules cannot change the outcome either way.
      if (rule.rank <= winnerRank) continue;
      if (!rule.matchesKeyed(request)) continue;
      if (rule.unkeyed) {
        const matched = rule.matchesUnkeyed(request);
        this.consulted[consultedCount] = rule;
        this.consultedMatched[consultedCount] = matched;
        consultedCount++;
        if (!matched) continue;
      }
      winner = rule;
      winnerRank = rule.rank;
    }
    const decision = winner === undefined ? this.defaultDeny : winner.decision;
    if (consultedCount === 0) return decision;
    const ttl = this.boundTtl(decision.cacheTtlMs, winner, winnerRank, consultedCount, request);
    return ttl === decision.cacheTtlMs ? decision : Object.freeze({ ...decision, cacheTtlMs: ttl });
  }

  /**
   * The rules whose target name and kind conditions hold for a target, in document order. A
   * deployment has a handful of targets, so this is computed once per target and a large
   * document costs only the rules that can apply; the memo is bounded against unknown names.
   */
  private rulesFor(name: string, kind: TargetKind): readonly CompiledRule[] {
    let byName = this.targetRules.get(kind);
    if (byName === undefined) this.targetRules.set(kind, (byName = new Map()));
    let rules = byName.get(name);
    if (rules === undefined) {
      rules = this.rules.filter((rule) => rule.matchesTarget(name, kind));
      if (byName.size >= TARGET_MEMO_LIMIT) byName.clear();
      byName.set(name, rules);
    }
    return rules;
  }

  /**
   * Shortens the TTL for the unkeyed conditions that decided the outcome: a consulted rule
   * mattered if it matched and won, or if it failed but would have won had it matched.
   */
  private boundTtl(
    ttl: number,
    winner: CompiledRule | undefined,
    winnerRank: number,
    consultedCount: number,
    request: PolicyRequest,
  ): number {
    let bounded = ttl;
    for (let i = 0; i < consultedCount; i++) {
      const rule = this.consulted[i]!;
      const mattered = this.consultedMatched[i]
        ? rule === winner
        : winner === undefined ||
          rule.rank > winnerRank ||
          (rule.rank === winnerRank && rule.index < winner.index);
      if (!mattered) continue;
      if (rule.uncacheable) return 0;
      if (rule.time !== undefined) bounded = rule.time.msUntilChange(requestTime(request), bounded);
    }
    return bounded;
  }
}
