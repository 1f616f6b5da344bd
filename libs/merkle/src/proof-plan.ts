import { MissingTreeNodeError } from './failures.ts';
import { EMPTY_ROOT, isHash, nodeHash, type Hash } from './hash.ts';
import { consistencyProofShape, inclusionProofShape, type SubtreeRange } from './proof-shape.ts';
import { isTreeSize } from './tree-size.ts';
import { subtreeCoordinates, type NodeCoordinate, type NodeLookup } from './tree-node.ts';

/**
 * Which stored nodes a proof (or root) needs, and how they combine.
 *
 * A storage layer that persists every completed-subtree node (`CompactRange.append` reports
 * them) can build any RFC 9162 proof from O(log n) reads: fetch {@link ProofPlan.nodes} in one
 * batch, then call {@link assembleProof}.
 *
 * Proof elements that are complete subtrees are a single stored node. For tree sizes that are
 * not powers of two, the last proof elements may be hashes of *incomplete* subtrees on the
 * right border of the tree; those were never stored (they change with every append). Each is
 * computed from the completed nodes covering it, one per set bit of its leaf count, largest
 * first, folded right to left: MTH(D[a:b]) = n0 ⊕ (n1 ⊕ (... ⊕ nk)) — the same split at the
 * largest power of two that RFC 9162 section 2.1.1 defines.
 */
export interface ProofPlan {
  /** Every node to fetch, in proof order (no duplicates: proof elements cover disjoint leaves). */
  readonly nodes: readonly NodeCoordinate[];
  /** Per proof element, the nodes whose hashes fold (right to left) into it. */
  readonly elements: readonly (readonly NodeCoordinate[])[];
}

/**
 * Reads many stored nodes at once (e.g. one SQL query) and returns their hashes in the order
 * asked, `undefined` for a node the store lacks.
 */
export type NodeReader = (
  nodes: readonly NodeCoordinate[],
) => Promise<readonly (Hash | undefined)[]> | readonly (Hash | undefined)[];

function planOf(ranges: readonly SubtreeRange[]): ProofPlan {
  const elements = ranges.map((range) => subtreeCoordinates(range.begin, range.end));
  return { nodes: elements.flat(), elements };
}

/**
 * Plan of the inclusion proof of leaf `index` in a tree of `size` leaves (RFC 9162 section
 * 2.1.3.1); O(log n): at most 2 * ceil(log2(size + 1)) nodes.
 * @throws RangeError unless `0 <= index < size`.
 */
export function inclusionProofPlan(index: number, size: number): ProofPlan {
  if (!isTreeSize(size) || !isTreeSize(index) || index >= size) {
    throw new RangeError(`leaf index ${index} is not below tree size ${size}`);
  }
  return planOf(inclusionProofShape(index, size));
}

/**
 * Plan of the consistency proof from size `from` to size `to` (RFC 9162 section 2.1.4.1);
 * O(log n): at most 2 * ceil(log2(to + 1)) nodes.
 * @throws RangeError unless `1 <= from <= to`.
 */
export function consistencyProofPlan(from: number, to: number): ProofPlan {
  if (!isTreeSize(to) || !isTreeSize(from) || from < 1 || from > to) {
    throw new RangeError(`old tree size ${from} is not within 1..${to}`);
  }
  return planOf(consistencyProofShape(from, to));
}

/**
 * Plan of the root of a tree of `size` leaves: a single element made of the frontier nodes.
 * @throws RangeError when `size` is not a safe non-negative integer.
 */
export function rootPlan(size: number): ProofPlan {
  if (!isTreeSize(size)) throw new RangeError(`tree size ${size} is not a safe non-negative integer`);
  return planOf([{ begin: 0, end: size }]);
}

function fold(plan: ProofPlan, hashAt: (position: number, node: NodeCoordinate) => Hash | undefined): Hash[] {
  const proof: Hash[] = [];
  let position = 0;
  for (const element of plan.elements) {
    const hashes: Hash[] = [];
    for (const node of element) {
      const hash = hashAt(position, node);
      position += 1;
      if (!isHash(hash)) {
        throw new MissingTreeNodeError(
          `tree node (level ${node.level}, index ${node.index}) is missing or not a 32-byte hash`,
          node.level,
          node.index,
        );
      }
      hashes.push(hash);
    }
    let hash = hashes.length === 0 ? EMPTY_ROOT : (hashes[hashes.length - 1] as Hash);
    for (let i = hashes.length - 2; i >= 0; i--) hash = nodeHash(hashes[i] as Hash, hash);
    proof.push(hash);
  }
  return proof;
}

/**
 * Builds the proof hashes of `plan` from stored nodes, synchronously.
 * @throws MissingTreeNodeError when `getNode` lacks a node (or returns a non-32-byte value).
 */
export function assembleProof(plan: ProofPlan, getNode: NodeLookup): Hash[] {
  return fold(plan, (_position, node) => getNode(node.level, node.index));
}

/**
 * Root of a tree of `size` leaves from its stored frontier nodes.
 * @throws MissingTreeNodeError when a frontier node is missing.
 */
export function rootFromNodes(size: number, getNode: NodeLookup): Hash {
  return assembleProof(rootPlan(size), getNode)[0] as Hash;
}

async function readPlan(plan: ProofPlan, readNodes: NodeReader): Promise<Hash[]> {
  const hashes = await readNodes(plan.nodes);
  return fold(plan, (position) => hashes[position]);
}

/**
 * Inclusion proof of leaf `index` in a tree of `size` leaves, read from a node store with one
 * batched `readNodes` call. Equals `inclusionProof(leafHashes, index, size)`.
 * @throws RangeError unless `0 <= index < size`; MissingTreeNodeError when a node is missing.
 */
export async function inclusionProofFromNodes(
  index: number,
  size: number,
  readNodes: NodeReader,
): Promise<Hash[]> {
  return readPlan(inclusionProofPlan(index, size), readNodes);
}

/**
 * Consistency proof from size `from` to size `to`, read from a node store with one batched
 * `readNodes` call. Equals `consistencyProof(leafHashes, from, to)`.
 * @throws RangeError unless `1 <= from <= to`; MissingTreeNodeError when a node is missing.
 */
export async function consistencyProofFromNodes(
  from: number,
  to: number,
  readNodes: NodeReader,
): Promise<Hash[]> {
  return readPlan(consistencyProofPlan(from, to), readNodes);
}
