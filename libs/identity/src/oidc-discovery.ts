import { fetchJson } from './fetch-json.ts';
import type { FetchFunction } from './fetch-json.ts';

/**
 * The discovery document URL of `issuer`: any trailing `/` removed, then
 * `/.well-known/openid-configuration` appended (OpenID Connect Discovery 1.0 §4,
 * https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfigurationRequest).
 */
export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

/**
 * Fetches the issuer's discovery document and returns its `jwks_uri`. The document's `issuer`
 * must equal the configured issuer exactly (Discovery §4.3): otherwise a document served at that
 * address speaks for someone else and its keys must not be trusted.
 */
export async function discoverJwksUri(
  issuer: string,
  fetchFn: FetchFunction,
  timeoutMs: number,
): Promise<string> {
  const document = await fetchJson(fetchFn, discoveryUrl(issuer), timeoutMs);
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new Error('discovery document is not a JSON object');
  }
  const { issuer: discovered, jwks_uri: jwksUri } = document as Record<string, unknown>;
  if (discovered !== issuer) {
    throw new Error(
      `discovery document names issuer ${JSON.stringify(discovered)}, expected ${JSON.stringify(issuer)}`,
    );
  }
  if (typeof jwksUri !== 'string' || !URL.canParse(jwksUri)) {
    throw new Error('discovery document has no valid jwks_uri');
  }
  const protocol = new URL(jwksUri).protocol;
  if (protocol !== 'https:' && protocol !== 'http:') {
    throw new Error(`discovery jwks_uri uses unsupported scheme ${protocol}`);
  }
  return jwksUri;
}
