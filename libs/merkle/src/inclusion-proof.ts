import { equalHashes, isHash, nodeHash, type Hash } from './hash.ts';
import { inclusionProofShape } from './proof-shape.ts';
import { rangeRoot } from './tree-root.ts';
import { isTreeSize } from './tree-size.ts';

/**
 * Inclusion proof (audit path) of leaf `index` in the tree made of the first `size` of
 * `leafHashes`: PATH(index, D[0:size]) of RFC 9162 section 2.1.3.1, ordered leaf to root.
 * Takes O(size) hashing; a log backed by stored nodes uses `inclusionProofPlan` instead.
 * https://www.rfc-editor.org/rfc/rfc9162#section-2.1.3.1
 * @throws RangeError unless `0 <= index < size <= leafHashes.length`, or when a leaf hash is
 *   not 32 bytes. These are caller bugs, not untrusted input.
 */
export function inclusionProof(leafHashes: readonly Hash[], index: number, size: number): Hash[] {
  if (!isTreeSize(size) || size > leafHashes.length) {
    throw new RangeError(`tree size ${size} is not within 1..${leafHashes.length}`);
  }
  if (!isTreeSize(index) || index >= size) {
    throw new RangeError(`leaf index ${index} is not below tree size ${size}`);
  }
  return inclusionProofShape(index, size).map((range) => rangeRoot(leafHashes, range.begin, range.end));
}

/**
 * Verifies that `leafHash` is leaf `index` of the tree of `size` leaves whose root is `root`,
 * following RFC 9162 section 2.1.3.2 step by step.
 * https://www.rfc-editor.org/rfc/rfc9162#section-2.1.3.2
 *
 * Never throws: every malformed input (index >= size, sizes that are not safe non-negative
 * integers, a proof of the wrong length, hashes that are not 32 bytes) returns `false`, so a
 * verifier can feed it untrusted proofs directly.
 */
export function verifyInclusion(
  leafHash: Hash,
  index: number,
  size: number,
  proof: readonly Hash[],
  root: Hash,
): boolean {
  if (!isHash(leafHash) || !isHash(root) || !Array.isArray(proof)) return false;
  if (!isTreeSize(index) || !isTreeSize(size)) return false;
  // Step 1: the leaf must exist in the tree.
  if (index >= size) return false;
  for (const element of proof) if (!isHash(element)) return false;
  // Step 2-3.
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  // Step 4.
  for (const p of proof) {
    // 4a: a proof longer than the path to the root.
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      // On the right border the parent has no right sibling: skip levels up to the next
      // level where the path is a right child, or to the root.
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn /= 2;
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    // 4c.
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  // Step 5: sn !== 0 means the proof was too short.
  return sn === 0 && equalHashes(r, root);
}
