import { EMPTY_ROOT, HASH_SIZE, isHash, nodeHash, type Hash } from './hash.ts';

/**
 * Merkle Tree Hash MTH(D[n]) of RFC 9162 section 2.1.1 over already-hashed leaves
 * (see `hashLeaf`). The empty list gives {@link EMPTY_ROOT}.
 * https://www.rfc-editor.org/rfc/rfc9162#section-2.1.1
 * @throws RangeError when an element is not a 32-byte hash.
 */
export function rootOf(leafHashes: readonly Hash[]): Hash {
  return rangeRoot(leafHashes, 0, leafHashes.length);
}

/**
 * MTH(D[begin:end]) over `leafHashes`, in O(end - begin) time and O(log n) memory.
 * `begin` must be a multiple of the largest power of two <= `end - begin` (true for every
 * subtree that appears in an RFC 9162 proof), so that the result is the hash of that subtree.
 * @throws RangeError when an element in the range is not a 32-byte hash.
 */
export function rangeRoot(leafHashes: readonly Hash[], begin: number, end: number): Hash {
  if (begin === end) return EMPTY_ROOT;
  // Keep the hashes of the complete subtrees seen so far (one per set bit of the count), merge
  // equal-sized neighbours as they complete, then fold the rest right to left. Folding the
  // complete subtrees right to left is exactly MTH's split at the largest power of two.
  const stack: Hash[] = [];
  for (let i = begin; i < end; i++) {
    let hash = leafHashes[i];
    if (!isHash(hash)) throw new RangeError(`leaf hash ${i} is not ${HASH_SIZE} bytes`);
    for (let count = i - begin; count % 2 === 1; count = (count - 1) / 2) {
      hash = nodeHash(stack.pop() as Hash, hash);
    }
    stack.push(hash);
  }
  let root = stack.pop() as Hash;
  while (stack.length > 0) root = nodeHash(stack.pop() as Hash, root);
  return root;
}
