import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/**
 * Content version of a policy: `sha256:` and the first 16 hex digits of the SHA-256 of the parsed
 * document's RFC 8785 canonical JSON, so comments, key order, quoting and layout do not change it.
 */
export function policyVersion(document: unknown): string {
  const canonical = canonicalize(document);
  if (canonical === undefined) throw new TypeError('a policy document has no canonical JSON form');
  return `sha256:${createHash('sha256').update(canonical).digest('hex').slice(0, 16)}`;
}
