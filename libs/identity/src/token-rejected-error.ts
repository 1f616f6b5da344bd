import { InvalidTokenError } from '@gatehouse/errors';

/**
 * Why a token was rejected. Stable codes for evidence records ("auth failed"), metrics and logs;
 * one list drives both the union type and {@link isInvalidTokenReason}.
 */
export const InvalidTokenReason = {
  /** Not a compact JWS, too large, undecodable, or a claim of the wrong type. */
  Malformed: 'malformed',
  /** `alg` outside the allow-list (`none` and HS* are never allowed). */
  AlgNotAllowed: 'alg_not_allowed',
  /** The signature does not verify with the issuer key named by `kid`. */
  BadSignature: 'bad_signature',
  /** No key in the issuer's JWKS matches the token's `kid` / `alg`, even after a refresh. */
  UnknownKey: 'unknown_key',
  /** `exp` is in the past (beyond the clock tolerance). */
  Expired: 'expired',
  /** `nbf` or `iat` is in the future (beyond the clock tolerance). */
  NotYetValid: 'not_yet_valid',
  /** `iss` is not the configured issuer. */
  WrongIssuer: 'wrong_issuer',
  /** `aud` does not contain the configured audience. */
  WrongAudience: 'wrong_audience',
  /** A required claim (`exp`, `iat`, `sub`, `jti`, `iss`, `aud`) is absent. */
  MissingClaim: 'missing_claim',
  /** `exp - iat` exceeds the configured maximum: only short-lived tokens are accepted. */
  LifetimeTooLong: 'lifetime_too_long',
  /** The issuer's discovery document or JWKS could not be fetched or trusted (fail closed). */
  JwksUnavailable: 'jwks_unavailable',
} as const;

/** One of the {@link InvalidTokenReason} codes. */
export type InvalidTokenReason = (typeof InvalidTokenReason)[keyof typeof InvalidTokenReason];

const reasons: ReadonlySet<string> = new Set(Object.values(InvalidTokenReason));

/** True when `value` is one of the {@link InvalidTokenReason} codes. */
export function isInvalidTokenReason(value: unknown): value is InvalidTokenReason {
  return typeof value === 'string' && reasons.has(value);
}

/**
 * The {@link InvalidTokenError} thrown by token verification, with a machine-readable `reason`.
 * Messages never contain the token; `cause` holds the underlying jose (or fetch) error.
 */
export class TokenRejectedError extends InvalidTokenError {
  constructor(
    /** Why the token was rejected. */
    readonly reason: InvalidTokenReason,
    /** What failed, safe to log; the message becomes `invalid token (<reason>): <detail>`. */
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`invalid token (${reason}): ${detail}`, options);
  }
}
