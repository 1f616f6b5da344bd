import { createHash } from 'node:crypto';
import { decodeProtectedHeader, errors, jwtVerify } from 'jose';
import type { JWTPayload, LocalJWKSet } from 'jose';
import { DefaultAlgorithms, resolveAllowedAlgorithms } from './algorithms.ts';
import type { FetchFunction } from './fetch-json.ts';
import { GroupsClaim } from './groups-claim.ts';
import { JwksCache } from './jwks-cache.ts';
import { InvalidTokenReason, TokenRejectedError } from './token-rejected-error.ts';
import type { VerifiedIdentity } from './verified-identity.ts';
import { VerifiedTokenCache } from './verified-token-cache.ts';

/** Settings of a {@link TokenVerifier}. */
export interface TokenVerifierOptions {
  /** Expected `iss`; also where discovery is fetched (`<issuer>/.well-known/openid-configuration`). */
  issuer: string;
  /** Audience that `aud` must contain. */
  audience: string;
  /** Accepted JWS algorithms (default RS256, ES256, EdDSA, PS256). `none` and HS* are never accepted. */
  algorithms?: string[];
  /** Longest accepted `exp - iat` in seconds (default 3600): only short-lived tokens pass. */
  maxTokenLifetimeSeconds?: number;
  /** Claim holding the groups, a name or dotted path such as `realm_access.roles` (default `groups`). */
  groupsClaim?: string;
  /** Allowed clock skew for `exp`, `nbf` and `iat`, in seconds (default 30). */
  clockToleranceSeconds?: number;
  /** Minimum time between JWKS refreshes caused by an unknown `kid` (default 30000). */
  jwksRefreshMinIntervalMs?: number;
  /** Key sets older than this are reloaded before use (default 600000, 10 minutes). */
  jwksMaxAgeMs?: number;
  /** Timeout of each discovery / JWKS request (default 5000). */
  httpTimeoutMs?: number;
  /** Longer tokens are rejected as malformed before any parsing (default 16384 characters). */
  maxTokenLength?: number;
  /**
   * Entries of the verified-token cache (default 0: disabled). When positive, successful
   * verifications are remembered by SHA-256 of the token until the token's `exp`; see
   * {@link VerifiedTokenCache} for the trade-off.
   */
  cacheMaxEntries?: number;
  /** Fetch implementation (default the global `fetch`). */
  fetch?: FetchFunction;
}

// A compact JWS: three base64url segments (the signature may be empty only for alg "none",
// which is then refused by the allow-list).
const compactJws = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const printableAlg = /^[A-Za-z0-9-]{1,16}$/;

/**
 * Verifies OIDC access tokens (JWT, RFC 7519) issued by one issuer for one audience and returns
 * the caller's {@link VerifiedIdentity}. Keys come from the issuer's JWKS found by discovery.
 * Every rejection is a {@link TokenRejectedError} (an `InvalidTokenError`) with a `reason`.
 */
export class TokenVerifier {
  readonly #issuer: string;
  readonly #audience: string;
  readonly #algorithms: string[];
  readonly #allowed: ReadonlySet<string>;
  readonly #maxLifetime: number;
  readonly #tolerance: number;
  readonly #maxTokenLength: number;
  readonly #groups: GroupsClaim;
  readonly #keys: JwksCache;
  readonly #cache: VerifiedTokenCache | undefined;

  constructor(options: TokenVerifierOptions) {
    this.#issuer = options.issuer;
    this.#audience = options.audience;
    this.#algorithms = resolveAllowedAlgorithms(options.algorithms ?? DefaultAlgorithms);
    this.#allowed = new Set(this.#algorithms);
    this.#maxLifetime = options.maxTokenLifetimeSeconds ?? 3600;
    this.#tolerance = options.clockToleranceSeconds ?? 30;
    this.#maxTokenLength = options.maxTokenLength ?? 16_384;
    this.#groups = new GroupsClaim(options.groupsClaim ?? 'groups');
    this.#keys = new JwksCache({
      issuer: options.issuer,
      fetch: options.fetch ?? fetch,
      refreshMinIntervalMs: options.jwksRefreshMinIntervalMs ?? 30_000,
      maxAgeMs: options.jwksMaxAgeMs ?? 600_000,
      timeoutMs: options.httpTimeoutMs ?? 5000,
    });
    const cacheEntries = options.cacheMaxEntries ?? 0;
    this.#cache = cacheEntries > 0 ? new VerifiedTokenCache(cacheEntries) : undefined;
  }

  /** Number of key-set loads started so far (initial, stale, and unknown-`kid` refreshes). */
  get jwksFetchCount(): number {
    return this.#keys.fetchCount;
  }

  /** Entries in the verified-token cache (0 when the cache is disabled). */
  get cacheSize(): number {
    return this.#cache?.size ?? 0;
  }

  /**
   * Verifies `token` and returns who presented it.
   * @throws TokenRejectedError for every failure, including an unreachable issuer (`jwks_unavailable`).
   */
  async verify(token: string): Promise<VerifiedIdentity> {
    if (typeof token !== 'string' || token.length === 0) {
      throw reject(InvalidTokenReason.Malformed, 'token is empty');
    }
    if (token.length > this.#maxTokenLength) {
      throw reject(InvalidTokenReason.Malformed, `token longer than ${this.#maxTokenLength} characters`);
    }
    const digest =
      this.#cache === undefined ? undefined : createHash('sha256').update(token).digest('base64url');
    if (digest !== undefined) {
      const cached = this.#cache?.get(digest, Date.now());
      if (cached !== undefined) return cached;
    }
    this.#checkHeader(token);

    let payload: JWTPayload;
    try {
      payload = await this.#verifySignedClaims(token);
    } catch (error) {
      throw toRejection(error);
    }
    const identity = this.#identityFrom(payload);
    if (digest !== undefined) this.#cache?.set(digest, identity);
    return identity;
  }

  // Refuse disallowed algorithms before touching the network: junk and alg-confusion tokens must
  // neither reach key resolution nor trigger a JWKS refresh.
  #checkHeader(token: string): void {
    if (!compactJws.test(token)) {
      throw reject(InvalidTokenReason.Malformed, 'token is not a compact JWS');
    }
    let alg: unknown;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch (cause) {
      throw reject(InvalidTokenReason.Malformed, 'token header is not valid base64url JSON', cause);
    }
    if (typeof alg !== 'string' || !this.#allowed.has(alg)) {
      const shown = typeof alg === 'string' && printableAlg.test(alg) ? `"${alg}"` : 'missing or unprintable';
      throw reject(InvalidTokenReason.AlgNotAllowed, `token alg ${shown} is not allowed`);
    }
  }

  async #verifySignedClaims(token: string): Promise<JWTPayload> {
    const keySet = await this.#keys.current();
    try {
      return await this.#jwtVerify(token, keySet);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      // The issuer may have rotated its keys: refresh (rate-limited, shared) and retry once.
      const refreshed = await this.#keys.refreshForUnknownKey(keySet);
      if (refreshed === undefined) throw error;
      return await this.#jwtVerify(token, refreshed);
    }
  }

  async #jwtVerify(token: string, keySet: LocalJWKSet): Promise<JWTPayload> {
    const { payload } = await jwtVerify(token, keySet, {
      issuer: this.#issuer,
      audience: this.#audience,
      algorithms: this.#algorithms,
      clockTolerance: this.#tolerance,
      requiredClaims: ['exp', 'iat', 'sub', 'jti'],
    });
    return payload;
  }

  // Claims jose does not check for us. Presence and numeric types of exp/iat, and iss/aud/exp/nbf
  // values, were checked by jwtVerify.
  #identityFrom(payload: JWTPayload): VerifiedIdentity {
    const { sub, jti, iat, exp } = payload as { sub: unknown; jti: unknown; iat: number; exp: number };
    if (typeof sub !== 'string' || sub.length === 0) {
      throw reject(InvalidTokenReason.Malformed, '"sub" claim must be a non-empty string');
    }
    if (typeof jti !== 'string' || jti.length === 0) {
      throw reject(InvalidTokenReason.Malformed, '"jti" claim must be a non-empty string');
    }
    if (iat > Date.now() / 1000 + this.#tolerance) {
      throw reject(InvalidTokenReason.NotYetValid, '"iat" claim is in the future');
    }
    if (exp <= iat) {
      throw reject(InvalidTokenReason.Malformed, '"exp" claim is not after "iat"');
    }
    if (exp - iat > this.#maxLifetime) {
      throw reject(
        InvalidTokenReason.LifetimeTooLong,
        `token lifetime ${exp - iat}s exceeds the maximum of ${this.#maxLifetime}s`,
      );
    }
    const groups = this.#groups.read(payload);
    if (groups === undefined) {
      throw reject(InvalidTokenReason.Malformed, 'groups claim must be a string or an array of strings');
    }
    return {
      subject: sub,
      groups,
      issuer: this.#issuer,
      tokenId: jti,
      expiresAt: new Date(exp * 1000),
      issuedAt: new Date(iat * 1000),
    };
  }
}

function reject(reason: InvalidTokenReason, message: string, cause?: unknown): TokenRejectedError {
  return new TokenRejectedError(reason, message, { cause });
}

// Maps jose's errors to reasons. jose messages name claims and checks, never the token.
function toRejection(error: unknown): TokenRejectedError {
  if (error instanceof TokenRejectedError) return error;
  if (error instanceof errors.JWTExpired) {
    return reject(InvalidTokenReason.Expired, 'token has expired', error);
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return reject(InvalidTokenReason.MissingClaim, error.message, error);
    switch (error.claim) {
      case 'iss':
        return reject(InvalidTokenReason.WrongIssuer, 'token was issued by another issuer', error);
      case 'aud':
        return reject(InvalidTokenReason.WrongAudience, 'token is for another audience', error);
      case 'nbf':
        return reject(InvalidTokenReason.NotYetValid, 'token is not valid yet', error);
      default:
        return reject(InvalidTokenReason.Malformed, error.message, error);
    }
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return reject(InvalidTokenReason.BadSignature, 'token signature does not verify', error);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return reject(InvalidTokenReason.AlgNotAllowed, 'token alg is not allowed', error);
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return reject(InvalidTokenReason.UnknownKey, 'no issuer key matches the token kid and alg', error);
  }
  if (error instanceof errors.JWKSMultipleMatchingKeys) {
    return reject(InvalidTokenReason.UnknownKey, 'token has no kid and several issuer keys match', error);
  }
  if (error instanceof errors.JWKSInvalid || error instanceof errors.JWKInvalid) {
    return reject(InvalidTokenReason.JwksUnavailable, `issuer key set is unusable: ${error.message}`, error);
  }
  if (error instanceof errors.JOSEError) {
    return reject(InvalidTokenReason.Malformed, error.message, error);
  }
  return reject(InvalidTokenReason.Malformed, 'token could not be verified', error);
}
