import type { Decision } from '@gatehouse/contracts';

/** Most cached decisions per edge process; the oldest is evicted first. */
const MAX_ENTRIES = 50_000;

/**
 * Remembers allow/deny decisions per (command text, groups, target) under the policy version that
 * made them (DESIGN.md section 5). A policy change empties it; entries expire after the decision's
 * own cache lifetime. Review decisions are never cached: each needs its own approval.
 */
export class DecisionCache {
  readonly #entries = new Map<string, { decision: Decision; expiresAt: number }>();

  /** Cache key for one command under one identity and target. */
  static key(text: string, groups: readonly string[], target: string): string {
    return `${target}\u0000${groups.join(',')}\u0000${text}`;
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
    if (this.#entries.size >= MAX_ENTRIES) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, { decision, expiresAt: now + decision.cacheTtlMs });
  }

  /** Drops everything (a new policy version is in force). */
  clear(): void {
    this.#entries.clear();
  }

  /** Entries held. */
  get size(): number {
    return this.#entries.size;
  }
}
