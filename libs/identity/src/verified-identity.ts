/** Who presented a token, established by {@link TokenVerifier.verify}. Evidence names all of it. */
export interface VerifiedIdentity {
  /** The token's `sub`. */
  subject: string;
  /** Groups from the configured groups claim (empty when the claim is absent). */
  groups: string[];
  /** The token's `iss` (always the configured issuer). */
  issuer: string;
  /** The token's `jti`. */
  tokenId: string;
  /** From `exp`. */
  expiresAt: Date;
  /** From `iat`. */
  issuedAt: Date;
}
