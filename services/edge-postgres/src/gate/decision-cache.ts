import type { Decision } from '@gatehouse/contracts';

/** Most cached decisions per edge process; the oldest is evicted first. */
const MAX_ENTRIES = 50_000;

/**
 * Remembers allow/deny decisions per (statement, groups, target) under the policy version that
 * made them (DESIGN.md section 5). The statement part is its numeric-literal template when it has
 * one (see statement-template.ts), else its exact text. A policy change empties it, and a decision
 * made under an older version than the newest announced one is not stored. Entries expire after
 * the decision's own cache lifetime. Review decisions are never cached: each needs its own approval.
 */
export class DecisionCache {
  readonly #entries = new Map<string, { decision: Decision; expiresAt: number }>();
  #policyVersion: string | undefined;

  /** The part of a key shared by every statement of one session (computed once per session). */
  static scope(groups: readonly string[], target: string): string {
    // NUL cannot occur in group names from a verified token's JSON nor in statement text.
    return `${target}\u0000${groups.join('\u0000')}\u0000\u0000`;
  }

  /** Key of an exact statement text. */
  static exactKey(scope: string, text: string): string {
    return `${scope}x${text}`;
  }

  /** Key of a numeric-literal template. */
  static templateKey(scope: string, template: string): string {
    return `${scope}t${template}`;
  }

  /** A live decision, or undefined. */
  get(key: string, now = Date.now()): Decision | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.decision;
  }

  /** Stores a decision for its cache lifetime. */
  set(key: string, decision: Decision, now = Date.now()): void {
    if (decision.cacheTtlMs <= 0 || decision.effect === 'review') return;
    if (this.#policyVersion !== undefined && decision.policyVersion !== this.#policyVersion) return;
    if (this.#entries.size >= MAX_ENTRIES) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, { decision, expiresAt: now + decision.cacheTtlMs });
  }

  /** Drops everything: `policyVersion` is in force now. */
  clear(policyVersion?: string): void {
    this.#entries.clear();
    if (policyVersion !== undefined) this.#policyVersion = policyVersion;
  }

  /** Entries held. */
  get size(): number {
    return this.#entries.size;
  }
}
