import type { Decision } from '@gatehouse/contracts';

/** Most cached decisions per edge process; the oldest is evicted first. */
const MAX_ENTRIES = 50_000;

/**
 * Remembers allow/deny decisions per (operation, groups, target) under the policy version that
 * made them (DESIGN.md section 5). The operation part is a template shared by texts authz cannot
 * tell apart when the edge has one (edge-postgres: numeric literals), else the exact text.
 * A policy change empties the cache, and a decision made under another version than the newest
 * announced one is not stored (it may have been in flight across the change). Entries expire
 * after the decision's own cache lifetime. Review decisions are never cached: each needs its
 * own approval.
 */
export class DecisionCache {
  readonly #entries = new Map<string, { decision: Decision; expiresAt: number }>();
  #policyVersion: string | undefined;

  /** The part of a key shared by every operation of one session (computed once per session). */
  static scope(groups: readonly string[], target: string): string {
    // NUL cannot occur in group names from a verified token's JSON nor in statement or command text.
    return `${target}\u0000${groups.join('\u0000')}\u0000\u0000`;
  }

  /** Key of an exact operation text. */
  static exactKey(scope: string, text: string): string {
    return `${scope}x${text}`;
  }

  /** Key of a template (a tag keeps it apart from an exact text that looks the same). */
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

  /** Stores a decision for its cache lifetime (review decisions and stale versions are not stored). */
  set(key: string, decision: Decision, now = Date.now()): void {
    if (decision.cacheTtlMs <= 0 || decision.effect === 'review') return;
    if (this.#policyVersion !== undefined && decision.policyVersion !== this.#policyVersion) return;
    if (this.#entries.size >= MAX_ENTRIES) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, { decision, expiresAt: now + decision.cacheTtlMs });
  }

  /** Drops everything; `policyVersion` (when given) is the version in force from now on. */
  clear(policyVersion?: string): void {
    this.#entries.clear();
    if (policyVersion !== undefined) this.#policyVersion = policyVersion;
  }

  /** Entries held. */
  get size(): number {
    return this.#entries.size;
  }
}
