import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

const encoder = new TextEncoder();

/** RFC 8785 (JCS) canonical bytes of a JSON value: the exact bytes the ledger hashes and stores. */
export function canonicalBytes(value: unknown): Uint8Array {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value has no canonical JSON form');
  return encoder.encode(text);
}

/** SHA-256 (hex) of a record's canonical bytes; links a session's records into a chain. */
export function recordHash(value: unknown): string {
  return createHash('sha256').update(canonicalBytes(value)).digest('hex');
}
