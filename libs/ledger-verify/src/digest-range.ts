import { EMPTY_ROOT } from '@gatehouse/merkle';
import { nodeDigest, type DigestString } from './digest-string.ts';

const EMPTY_ROOT_DIGEST: DigestString = Buffer.from(EMPTY_ROOT).toString('latin1');

/**
 * The Merkle frontier (compact range `[0, size)`) of an RFC 9162 tree, as `CompactRange` of
 * @gatehouse/merkle keeps it, over {@link DigestString} hashes: the replay appends one leaf per
 * record, and this form spares a Buffer per leaf and per completed node. O(log n) memory: one
 * hash per set bit of the size.
 */
export class DigestRange {
  // Hashes of the frontier subtrees, largest (leftmost) first.
  readonly #hashes: DigestString[] = [];
  #size = 0;

  /** Number of leaves appended so far. */
  get size(): number {
    return this.#size;
  }

  /** An independent copy. */
  clone(): DigestRange {
    const copy = new DigestRange();
    copy.#hashes.push(...this.#hashes);
    copy.#size = this.#size;
    return copy;
  }

  /** Appends one leaf hash (see `leafDigest`). */
  append(leaf: DigestString): void {
    let hash = leaf;
    // An odd index is a right child: its left sibling is the last frontier subtree, and together
    // they complete the parent. Repeat while the parent is itself a right child.
    for (let index = this.#size; index % 2 === 1; index = (index - 1) / 2) {
      hash = nodeDigest(this.#hashes.pop() as DigestString, hash);
    }
    this.#hashes.push(hash);
    this.#size += 1;
  }

  /** Root hash MTH of the tree at its current size (SHA-256 of nothing when empty). */
  root(): DigestString {
    const hashes = this.#hashes;
    if (hashes.length === 0) return EMPTY_ROOT_DIGEST;
    let root = hashes[hashes.length - 1] as DigestString;
    for (let i = hashes.length - 2; i >= 0; i--) root = nodeDigest(hashes[i] as DigestString, root);
    return root;
  }
}
