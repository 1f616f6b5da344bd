import { ConfigError } from '@gatehouse/errors';

/**
 * Asymmetric JWS algorithms a verifier can accept (RFC 7518 §3.1, RFC 8037, RFC 9864 for
 * `Ed25519`). Symmetric HS* algorithms are deliberately absent: the verification key of an OIDC
 * issuer is public, so an HMAC "signed" with it proves nothing (the classic alg-confusion attack).
 */
export const AsymmetricAlgorithms = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;

/** One of {@link AsymmetricAlgorithms}. */
export type AsymmetricAlgorithm = (typeof AsymmetricAlgorithms)[number];

/** Algorithms accepted when none are configured. */
export const DefaultAlgorithms: readonly AsymmetricAlgorithm[] = ['RS256', 'ES256', 'EdDSA', 'PS256'];

const asymmetric: ReadonlySet<string> = new Set(AsymmetricAlgorithms);

/** True when `alg` is one of {@link AsymmetricAlgorithms}. */
export function isAsymmetricAlgorithm(alg: unknown): alg is AsymmetricAlgorithm {
  return typeof alg === 'string' && asymmetric.has(alg);
}

/**
 * Turns a configured algorithm list into the allow-list actually enforced. `none` and HS* are
 * dropped even when configured (a token using them is always rejected); any other name that is not
 * an asymmetric JWS algorithm is a configuration mistake and throws {@link ConfigError}.
 */
export function resolveAllowedAlgorithms(configured: readonly string[]): AsymmetricAlgorithm[] {
  const allowed: AsymmetricAlgorithm[] = [];
  for (const alg of configured) {
    if (isAsymmetricAlgorithm(alg)) {
      if (!allowed.includes(alg)) allowed.push(alg);
    } else if (!/^(none|HS\d+)$/i.test(alg)) {
      throw new ConfigError(`unsupported JWS algorithm ${JSON.stringify(alg)}`, 'algorithms');
    }
  }
  if (allowed.length === 0) {
    throw new ConfigError('no asymmetric JWS algorithm is allowed', 'algorithms');
  }
  return allowed;
}
