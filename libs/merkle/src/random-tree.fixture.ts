// Test-only helpers: random trees for fast-check, and RFC 9162 MTH written literally as its
// recursive definition, as an independent reference for the optimised code.
import { createHash } from 'node:crypto';
import fc from 'fast-check';

/** SHA-256 of the concatenation, spelled out independently of the library. */
function sha256(...parts: Uint8Array[]): Uint8Array {
  const digest = createHash('sha256');
  for (const part of parts) digest.update(part);
  return new Uint8Array(digest.digest());
}

/** MTH(D[n]) of RFC 9162 section 2.1.1, recursively, from the record bytes. */
export function referenceRoot(records: readonly Uint8Array[]): Uint8Array {
  const n = records.length;
  if (n === 0) return sha256();
  if (n === 1) return sha256(Uint8Array.of(0), records[0] as Uint8Array);
  let k = 1;
  while (k * 2 < n) k *= 2;
  return sha256(Uint8Array.of(1), referenceRoot(records.slice(0, k)), referenceRoot(records.slice(k)));
}

/** Random record lists of `min..max` records of 0..40 random bytes. */
export function recordsArb(min: number, max: number): fc.Arbitrary<Uint8Array[]> {
  return fc.array(fc.uint8Array({ maxLength: 40 }), { minLength: min, maxLength: max });
}

/** Copies of `bytes` with each single bit flipped, in order. */
export function* bitFlips(bytes: Uint8Array): Generator<Uint8Array> {
  for (let i = 0; i < bytes.length * 8; i++) {
    const copy = Uint8Array.from(bytes);
    copy[i >> 3] = (copy[i >> 3] as number) ^ (1 << (i & 7));
    yield copy;
  }
}
