import { equalHashes, isHash, nodeHash, type Hash } from './hash.ts';
import { consistencyProofShape } from './proof-shape.ts';
import { rangeRoot } from './tree-root.ts';
import { isPowerOfTwo, isTreeSize } from './tree-size.ts';

/**
 * Consistency proof between the tree of the first `from` and the first `to` of `leafHashes`:
 * PROOF(from, D[0:to]) of RFC 9162 section 2.1.4.1. Empty when `from === to`.
 * Takes O(to) hashing; a log backed by stored nodes uses `consistencyProofPlan` instead.
 * https://www.rfc-editor.org/rfc/rfc9162#section-2.1.4.1
 * @throws RangeError unless `1 <= from <= to <= leafHashes.length` (a proof from the empty
 *   tree is undefined by the RFC), or when a leaf hash is not 32 bytes.
 */
export function consistencyProof(leafHashes: readonly Hash[], from: number, to: number): Hash[] {
  if (!isTreeSize(to) || to > leafHashes.length) {
    throw new RangeError(`tree size ${to} is not within 1..${leafHashes.length}`);
  }
  if (!isTreeSize(from) || from < 1 || from > to) {
    throw new RangeError(`old tree size ${from} is not within 1..${to}`);
  }
  return consistencyProofShape(from, to).map((range) => rangeRoot(leafHashes, range.begin, range.end));
}

/**
 * Verifies that the tree of `fromSize` leaves with root `fromRoot` is a prefix of the tree of
 * `toSize` leaves with root `toRoot`, following RFC 9162 section 2.1.4.2 step by step.
 * https://www.rfc-editor.org/rfc/rfc9162#section-2.1.4.2
 *
 * The RFC defines the algorithm for `0 < fromSize < toSize`. For equal sizes the proof is empty
 * (SUBPROOF(m, D[m], true) = {}, section 2.1.4.1) and the two roots must be equal.
 *
 * Never throws: every malformed input returns `false` — `fromSize` 0 (nothing to be consistent
 * with; a client must not accept such a proof), `fromSize > toSize`, sizes that are not safe
 * non-negative integers, a proof of the wrong length, hashes that are not 32 bytes.
 */
export function verifyConsistency(
  fromSize: number,
  toSize: number,
  proof: readonly Hash[],
  fromRoot: Hash,
  toRoot: Hash,
): boolean {
  if (!isHash(fromRoot) || !isHash(toRoot) || !Array.isArray(proof)) return false;
  if (!isTreeSize(fromSize) || !isTreeSize(toSize)) return false;
  if (fromSize === 0 || fromSize > toSize) return false;
  for (const element of proof) if (!isHash(element)) return false;
  if (fromSize === toSize) return proof.length === 0 && equalHashes(fromRoot, toRoot);

  // Step 1.
  if (proof.length === 0) return false;
  // Step 2: when the old tree is complete, its root is the first node of the path and the
  // proof leaves it out.
  const path = isPowerOfTwo(fromSize) ? [fromRoot, ...proof] : proof;
  // Step 3.
  let fn = fromSize - 1;
  let sn = toSize - 1;
  // Step 4: climb to the root of the largest complete subtree that ends at the old tree's end.
  while (fn % 2 === 1) {
    fn = (fn - 1) / 2;
    sn = Math.floor(sn / 2);
  }
  // Step 5.
  let fr = path[0] as Hash;
  let sr = fr;
  // Step 6.
  for (let i = 1; i < path.length; i++) {
    const c = path[i] as Hash;
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn /= 2;
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  // Step 7.
  return sn === 0 && equalHashes(fr, fromRoot) && equalHashes(sr, toRoot);
}
