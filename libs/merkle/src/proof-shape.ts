import { largestPowerOfTwoBelow } from './tree-size.ts';

/**
 * The leaves `[begin, end)` of a subtree whose Merkle Tree Hash is one element of a proof.
 * `begin` is always a multiple of the largest power of two <= `end - begin`, so the subtree is
 * either complete (a power of two leaves) or the right border of a tree.
 */
export interface SubtreeRange {
  readonly begin: number;
  readonly end: number;
}

/**
 * Subtrees whose hashes form the inclusion proof of leaf `index` in a tree of `size` leaves,
 * leaf to root: PATH(m, D[n]) of RFC 9162 section 2.1.3.1, unrolled into a loop.
 * https://www.rfc-editor.org/rfc/rfc9162#section-2.1.3.1
 * Requires `0 <= index < size` (checked by callers).
 */
export function inclusionProofShape(index: number, size: number): SubtreeRange[] {
  const ranges: SubtreeRange[] = [];
  let lo = 0;
  let hi = size;
  // Walk from the root down; PATH appends each sibling after the deeper part of the path, so
  // the ranges collected top-down are reversed at the end.
  while (hi - lo > 1) {
    const k = largestPowerOfTwoBelow(hi - lo);
    if (index < lo + k) {
      ranges.push({ begin: lo + k, end: hi });
      hi = lo + k;
    } else {
      ranges.push({ begin: lo, end: lo + k });
      lo += k;
    }
  }
  return ranges.reverse();
}

/**
 * Subtrees whose hashes form the consistency proof from size `from` to size `to`:
 * PROOF(m, D[n]) = SUBPROOF(m, D[n], true) of RFC 9162 section 2.1.4.1, unrolled into a loop.
 * https://www.rfc-editor.org/rfc/rfc9162#section-2.1.4.1
 * Requires `0 < from <= to` (checked by callers); `from === to` gives an empty proof.
 */
export function consistencyProofShape(from: number, to: number): SubtreeRange[] {
  const ranges: SubtreeRange[] = [];
  let m = from;
  let lo = 0;
  let hi = to;
  let original = true; // the `b` flag: is D[lo:hi] still the tree the proof was requested for?
  for (;;) {
    const n = hi - lo;
    if (m === n) {
      // SUBPROOF(m, D[m], true) = {} and SUBPROOF(m, D[m], false) = {MTH(D[m])}.
      if (!original) ranges.push({ begin: lo, end: hi });
      break;
    }
    const k = largestPowerOfTwoBelow(n);
    if (m <= k) {
      // D[k:n] exists only in the larger tree: commit to it, recurse into the left subtree.
      ranges.push({ begin: lo + k, end: hi });
      hi = lo + k;
    } else {
      // D[0:k] is identical in both trees: commit to it, recurse into the right subtree.
      ranges.push({ begin: lo, end: lo + k });
      m -= k;
      lo += k;
      original = false;
    }
  }
  return ranges.reverse();
}
