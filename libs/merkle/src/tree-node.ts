import type { Hash } from './hash.ts';
import { largestAlignedPowerOfTwo } from './tree-size.ts';

/**
 * Position of a completed-subtree node: the node at `level` (0 = leaf) and `index` covers the
 * leaves `[index * 2^level, (index + 1) * 2^level)`. Once its last leaf is appended the hash
 * of such a node never changes, so a storage layer can persist it under (level, index).
 */
export interface NodeCoordinate {
  readonly level: number;
  readonly index: number;
}

/** A completed-subtree node and its hash. */
export interface TreeNode extends NodeCoordinate {
  readonly hash: Hash;
}

/**
 * Reads the hash of a stored completed-subtree node, or `undefined` when the store lacks it.
 * Synchronous on purpose: fetch the coordinates of a plan first (one batched query), then look
 * them up in memory.
 */
export type NodeLookup = (level: number, index: number) => Hash | undefined;

/**
 * Covers the leaves `[begin, end)` with completed subtrees, left to right, each as large as
 * its alignment allows. For the subtrees that appear in RFC 9162 proofs (`begin` a multiple of
 * the largest power of two <= `end - begin`) this yields one node per set bit of
 * `end - begin`, largest first, and folding their hashes right to left
 * (`h0 ⊕ (h1 ⊕ (... ⊕ hk))`, ⊕ = hashChildren) gives MTH(D[begin:end]).
 */
export function subtreeCoordinates(begin: number, end: number): NodeCoordinate[] {
  const nodes: NodeCoordinate[] = [];
  let at = begin;
  while (at < end) {
    const width = largestAlignedPowerOfTwo(at, end - at);
    nodes.push({ level: Math.log2(width), index: at / width });
    at += width;
  }
  return nodes;
}

/**
 * The frontier of a tree of `size` leaves: the completed subtrees covering `[0, size)`, one per
 * set bit of `size`, largest first. Their hashes fold (right to left) into the tree root, and
 * they are all a `CompactRange` needs to resume appending.
 */
export function frontierCoordinates(size: number): NodeCoordinate[] {
  return subtreeCoordinates(0, size);
}
