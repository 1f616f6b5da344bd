import { createLocalJWKSet } from 'jose';
import type { JSONWebKeySet, LocalJWKSet } from 'jose';
import { fetchJson } from './fetch-json.ts';
import type { FetchFunction } from './fetch-json.ts';
import { discoverJwksUri } from './oidc-discovery.ts';
import { InvalidTokenReason, TokenRejectedError } from './token-rejected-error.ts';

/** Settings of a {@link JwksCache}. */
export interface JwksCacheOptions {
  /** Issuer whose discovery document names the JWKS. */
  issuer: string;
  /** Fetch implementation. */
  fetch: FetchFunction;
  /** Minimum time between two refreshes caused by an unknown `kid`. */
  refreshMinIntervalMs: number;
  /** A key set older than this is reloaded before use, so withdrawn keys stop verifying. */
  maxAgeMs: number;
  /** Timeout of each HTTP request. */
  timeoutMs: number;
}

/** Upper bound on the back-off after a failed fetch, so an issuer that comes back is used soon. */
const maxFailureBackoffMs = 1000;

/**
 * The issuer's signing keys: found through OIDC discovery, fetched once, shared by every
 * verification. Concurrent callers share a single in-flight fetch; refreshes caused by unknown
 * key ids are rate-limited so that tokens with random `kid`s cannot make us hammer the issuer.
 * Every failure surfaces as {@link TokenRejectedError} `jwks_unavailable` (fail closed).
 */
export class JwksCache {
  readonly #options: JwksCacheOptions;
  #keySet: LocalJWKSet | undefined;
  #loadedAt = 0;
  #lastRefreshAt = Number.NEGATIVE_INFINITY;
  #lastFailureAt = Number.NEGATIVE_INFINITY;
  #jwksUri: string | undefined;
  #inFlight: Promise<LocalJWKSet> | undefined;
  #fetchCount = 0;

  constructor(options: JwksCacheOptions) {
    this.#options = options;
  }

  /** How many key-set loads (discovery and/or JWKS fetch) have been started, for tests and metrics. */
  get fetchCount(): number {
    return this.#fetchCount;
  }

  /** The key set to verify with: loaded on first use and when older than `maxAgeMs`. */
  current(): Promise<LocalJWKSet> {
    if (this.#inFlight !== undefined) return this.#inFlight;
    if (this.#keySet !== undefined && Date.now() - this.#loadedAt < this.#options.maxAgeMs) {
      return Promise.resolve(this.#keySet);
    }
    return this.#load();
  }

  /**
   * Called when `seen` has no key for a token. Returns a newer key set to retry with (joining a
   * fetch already in flight, or one that completed meanwhile), or `undefined` when a refresh
   * already happened within `refreshMinIntervalMs` and the token must be rejected.
   */
  async refreshForUnknownKey(seen: LocalJWKSet): Promise<LocalJWKSet | undefined> {
    if (this.#inFlight !== undefined) return this.#inFlight;
    if (this.#keySet !== undefined && this.#keySet !== seen) return this.#keySet;
    const now = Date.now();
    if (now - this.#lastRefreshAt < this.#options.refreshMinIntervalMs) return undefined;
    this.#lastRefreshAt = now;
    return this.#load();
  }

  #load(): Promise<LocalJWKSet> {
    const backoff = Math.min(maxFailureBackoffMs, this.#options.refreshMinIntervalMs);
    if (Date.now() - this.#lastFailureAt < backoff) {
      return Promise.reject(
        new TokenRejectedError(
          InvalidTokenReason.JwksUnavailable,
          'issuer key set unavailable (last fetch failed moments ago)',
        ),
      );
    }
    this.#fetchCount += 1;
    const loading = this.#fetch().then(
      (keySet) => {
        this.#keySet = keySet;
        this.#loadedAt = Date.now();
        return keySet;
      },
      (cause: unknown) => {
        this.#lastFailureAt = Date.now();
        // Rediscover next time: the JWKS may have moved.
        this.#jwksUri = undefined;
        const detail = cause instanceof Error ? cause.message : String(cause);
        throw new TokenRejectedError(
          InvalidTokenReason.JwksUnavailable,
          `issuer key set unavailable: ${detail}`,
          { cause },
        );
      },
    );
    const inFlight = loading.finally(() => {
      if (this.#inFlight === inFlight) this.#inFlight = undefined;
    });
    this.#inFlight = inFlight;
    return inFlight;
  }

  async #fetch(): Promise<LocalJWKSet> {
    const { issuer, timeoutMs } = this.#options;
    const fetchFn = this.#options.fetch;
    this.#jwksUri ??= await discoverJwksUri(issuer, fetchFn, timeoutMs);
    const jwks = await fetchJson(fetchFn, this.#jwksUri, timeoutMs);
    // createLocalJWKSet validates the shape and rejects private keys when they are used.
    return createLocalJWKSet(jwks as JSONWebKeySet);
  }
}
