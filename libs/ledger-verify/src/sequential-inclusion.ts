import { hashChildren, isHash, type Hash } from '@gatehouse/merkle';

interface TrustedNode {
  readonly level: number;
  readonly hash: Hash;
  readonly remaining: number;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(a, b) === 0;
}

/**
 * Number of hashes in the inclusion proof of leaf `index` in a tree of `size` leaves: the steps
 * of RFC 9162 section 2.1.3.2 until `sn` reaches 0.
 */
export function inclusionProofLength(index: number, size: number): number {
  let fn = index;
  let sn = size - 1;
  let length = 0;
  while (sn > 0) {
    if (fn % 2 === 0 && fn === sn) {
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2;
        sn = Math.floor(sn / 2);
      }
    }
    length += 1;
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return length;
}

/**
 * Verifies inclusion proofs of leaves given in increasing index order against one signed root,
 * hashing each shared ancestor once.
 *
 * It runs the algorithm of RFC 9162 section 2.1.3.2 and names each intermediate result by its
 * node `(level, fn)`, which in a tree of fixed size covers the leaves
 * `[fn * 2^level, min((fn + 1) * 2^level, size))`. Nodes of the last verified path hashed up to
 * the root, so they are authentic; a later leaf whose path reaches one of them with an equal
 * hash is proven without hashing further. Verifying a run of consecutive leaves costs about two
 * hashes per leaf instead of log2(size). Every proof is still checked in full: the elements above
 * the shared node must equal the authentic siblings the earlier proof carried there.
 * https://www.rfc-editor.org/rfc/rfc9162#section-2.1.3.2
 */
export class SequentialInclusionVerifier {
  readonly #size: number;
  readonly #root: Hash;
  // Authentic nodes of the last verified path: key `level:fn` -> hash, level, and how many proof
  // elements (the siblings of its ancestors) follow it in `#lastProof`.
  #trusted = new Map<string, TrustedNode>();
  #lastProof: readonly Hash[] = [];

  /**
   * @param size Tree size of the signed checkpoint.
   * @param root Root hash of the signed checkpoint (32 bytes).
   */
  constructor(size: number, root: Hash) {
    if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`tree size ${size} is not valid`);
    if (!isHash(root)) throw new RangeError('root must be a 32-byte hash');
    this.#size = size;
    this.#root = root;
  }

  /**
   * True when `leafHash` is leaf `index` of the signed tree by `proof`. Never throws for bad
   * input: malformed proofs, wrong lengths and out-of-range indices return false.
   */
  verify(index: number, leafHash: Hash, proof: readonly Hash[]): boolean {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.#size) return false;
    if (!isHash(leafHash) || !Array.isArray(proof)) return false;
    if (proof.length !== inclusionProofLength(index, this.#size)) return false;
    for (const element of proof) if (!isHash(element)) return false;
    const path: [string, TrustedNode][] = [];
    let fn = index;
    let sn = this.#size - 1;
    let level = 0;
    let r = leafHash;
    for (let step = 0; step < proof.length; step++) {
      const p = proof[step] as Hash;
      if (fn % 2 === 1 || fn === sn) {
        r = hashChildren(p, r);
        if (fn % 2 === 0) {
          while (fn % 2 === 0 && fn !== 0) {
            fn /= 2;
            sn = Math.floor(sn / 2);
            level += 1;
          }
        }
      } else {
        r = hashChildren(r, p);
      }
      fn = Math.floor(fn / 2);
      sn = Math.floor(sn / 2);
      level += 1;
      const key = `${level}:${fn}`;
      const remaining = proof.length - 1 - step;
      const known = this.#trusted.get(key);
      if (known !== undefined) {
        if (!equal(known.hash, r) || known.remaining !== remaining) return false;
        const offset = this.#lastProof.length - remaining;
        for (let i = 1; i <= remaining; i++) {
          if (!equal(proof[step + i] as Hash, this.#lastProof[offset + i - 1] as Hash)) return false;
        }
        // The matched node and its ancestors (the old path above it) stay trusted.
        const kept = [...this.#trusted].filter(([, node]) => node.level >= level);
        this.#trusted = new Map([...path, ...kept]);
        this.#lastProof = [...proof];
        return true;
      }
      path.push([key, { level, hash: r, remaining }]);
    }
    if (sn !== 0 || !equal(r, this.#root)) return false;
    this.#trusted = new Map(path);
    this.#lastProof = [...proof];
    return true;
  }
}
