import { EMPTY_ROOT, HASH_SIZE, isHash, nodeHash, type Hash } from './hash.ts';
import { isTreeSize } from './tree-size.ts';
import { frontierCoordinates, type TreeNode } from './tree-node.ts';

/**
 * The Merkle frontier (compact range `[0, size)`) of an append-only RFC 9162 tree: the hashes
 * of the completed subtrees covering all leaves, one per set bit of the size, so memory is
 * O(log n). Appending a leaf hash completes O(1) amortised (at most log n) subtrees and reports
 * each of them, so the ledger can persist "nodes of completed subtrees" and later build any
 * proof from O(log n) stored nodes (see `inclusionProofPlan`).
 *
 * Synchronous and allocation-light: this sits on the ledger's append path.
 */
export class CompactRange {
  // Hashes of the frontier subtrees, largest (leftmost) first.
  readonly #hashes: Hash[];
  #size: number;

  /** An empty tree; use {@link CompactRange.fromFrontier} to resume a stored one. */
  constructor() {
    this.#hashes = [];
    this.#size = 0;
  }

  /**
   * Resumes a tree of `size` leaves from the hashes of its frontier, in the order of
   * `frontierCoordinates(size)` (as read from the node store).
   * @throws RangeError when `size` is not a safe non-negative integer, or the number of hashes
   *   is not the number of frontier nodes, or a hash is not 32 bytes.
   */
  static fromFrontier(size: number, frontierHashes: readonly Hash[]): CompactRange {
    if (!isTreeSize(size)) throw new RangeError(`tree size ${size} is not a safe non-negative integer`);
    const expected = frontierCoordinates(size).length;
    if (frontierHashes.length !== expected) {
      throw new RangeError(
        `a tree of ${size} leaves has ${expected} frontier nodes, got ${frontierHashes.length}`,
      );
    }
    for (const hash of frontierHashes) {
      if (!isHash(hash)) throw new RangeError(`frontier hashes must be ${HASH_SIZE} bytes`);
    }
    const range = new CompactRange();
    range.#hashes.push(...frontierHashes);
    range.#size = size;
    return range;
  }

  /** An independent copy, e.g. to stage a batch of appends and keep the original on failure. */
  clone(): CompactRange {
    const copy = new CompactRange();
    copy.#hashes.push(...this.#hashes);
    copy.#size = this.#size;
    return copy;
  }

  /** Number of leaves appended so far. */
  get size(): number {
    return this.#size;
  }

  /**
   * Appends one leaf hash (see `hashLeaf`) and returns the completed-subtree nodes this append
   * created, bottom-up: always the leaf itself at level 0, then every parent it completed.
   * @throws RangeError when `leafHash` is not 32 bytes or the tree is full (2^53 - 1 leaves).
   */
  append(leafHash: Hash): TreeNode[] {
    if (!isHash(leafHash)) throw new RangeError(`leaf hash must be ${HASH_SIZE} bytes`);
    if (this.#size === Number.MAX_SAFE_INTEGER) throw new RangeError('tree size would exceed 2^53 - 1');
    let index = this.#size;
    let level = 0;
    let hash = leafHash;
    const created: TreeNode[] = [{ level, index, hash }];
    // An odd index is a right child: its left sibling is the last frontier subtree, and
    // together they complete the parent. Repeat while the parent is itself a right child.
    while (index % 2 === 1) {
      hash = nodeHash(this.#hashes.pop() as Hash, hash);
      index = (index - 1) / 2;
      level += 1;
      created.push({ level, index, hash });
    }
    this.#hashes.push(hash);
    this.#size += 1;
    return created;
  }

  /** Root hash MTH of the tree at its current size ({@link EMPTY_ROOT} when empty). */
  root(): Hash {
    const hashes = this.#hashes;
    if (hashes.length === 0) return EMPTY_ROOT;
    let root = hashes[hashes.length - 1] as Hash;
    for (let i = hashes.length - 2; i >= 0; i--) root = nodeHash(hashes[i] as Hash, root);
    return root;
  }

  /** The frontier nodes (coordinates and hashes), largest first; what `fromFrontier` takes back. */
  frontier(): TreeNode[] {
    return frontierCoordinates(this.#size).map((node, i) => ({ ...node, hash: this.#hashes[i] as Hash }));
  }
}
