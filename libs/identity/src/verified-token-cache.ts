import type { VerifiedIdentity } from './verified-identity.ts';

/**
 * Bounded in-memory cache of successful verifications, keyed by a SHA-256 digest of the token
 * (never the token itself), so that a client opening a connection per statement (`pgbench -C`)
 * pays for one signature check per token rather than one per connection.
 *
 * An entry lives until the token's `exp` (no clock tolerance) or until evicted as the least
 * recently used. Trade-off: a cached token stays accepted until its `exp` even if its signing key
 * is withdrawn from the issuer's JWKS meanwhile; with short-lived tokens that window is small.
 * Only successes are cached, so a rejected token is always re-verified.
 */
export class VerifiedTokenCache {
  // Map iteration order is insertion order; a hit re-inserts, so the first key is the LRU one.
  readonly #entries = new Map<string, VerifiedIdentity>();

  constructor(
    /** Maximum number of entries kept (at least 1). */
    readonly maxEntries: number,
  ) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`cache size must be a positive integer, got ${maxEntries}`);
    }
  }

  /** Number of entries currently held (expired ones included until touched or evicted). */
  get size(): number {
    return this.#entries.size;
  }

  /** The identity cached under `digest`, as a fresh copy, or `undefined` if absent or expired at `nowMs`. */
  get(digest: string, nowMs: number): VerifiedIdentity | undefined {
    const identity = this.#entries.get(digest);
    if (identity === undefined) return undefined;
    this.#entries.delete(digest);
    if (identity.expiresAt.getTime() <= nowMs) return undefined;
    this.#entries.set(digest, identity);
    return copy(identity);
  }

  /** Caches `identity` under `digest`, evicting the least recently used entry when full. */
  set(digest: string, identity: VerifiedIdentity): void {
    this.#entries.delete(digest);
    if (this.#entries.size >= this.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
    this.#entries.set(digest, copy(identity));
  }
}

// Callers may mutate what they get; the cached value must stay as verified.
function copy(identity: VerifiedIdentity): VerifiedIdentity {
  return {
    subject: identity.subject,
    groups: [...identity.groups],
    issuer: identity.issuer,
    tokenId: identity.tokenId,
    expiresAt: new Date(identity.expiresAt.getTime()),
    issuedAt: new Date(identity.issuedAt.getTime()),
  };
}
