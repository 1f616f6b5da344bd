import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CompactRange } from './compact-range.ts';
import { consistencyProof, verifyConsistency } from './consistency-proof.ts';
import { MissingTreeNodeError } from './failures.ts';
import { EMPTY_ROOT, hashChildren, hashLeaf, type Hash } from './hash.ts';
import { inclusionProof, verifyInclusion } from './inclusion-proof.ts';
import {
  assembleProof,
  consistencyProofFromNodes,
  consistencyProofPlan,
  inclusionProofFromNodes,
  inclusionProofPlan,
  rootFromNodes,
  rootPlan,
  type NodeReader,
} from './proof-plan.ts';
import { recordsArb } from './random-tree.fixture.ts';
import { hex } from './rfc6962-vectors.fixture.ts';
import { rootOf } from './tree-root.ts';
import type { NodeCoordinate, NodeLookup } from './tree-node.ts';

/** A node store as the ledger keeps it: every node CompactRange.append reported. */
function nodeStore(leaves: readonly Hash[]): {
  lookup: NodeLookup;
  reader: NodeReader;
  reads: NodeCoordinate[][];
} {
  const nodes = new Map<string, Hash>();
  const range = new CompactRange();
  for (const leaf of leaves)
    for (const node of range.append(leaf)) nodes.set(`${node.level}/${node.index}`, node.hash);
  const lookup: NodeLookup = (level, index) => nodes.get(`${level}/${index}`);
  const reads: NodeCoordinate[][] = [];
  const reader: NodeReader = async (wanted) => {
    reads.push([...wanted]);
    return wanted.map((node) => lookup(node.level, node.index));
  };
  return { lookup, reader, reads };
}

const treeWithSizes = recordsArb(1, 150).chain((records) =>
  fc.tuple(
    fc.constant(records.map(hashLeaf)),
    fc.integer({ min: 1, max: records.length }),
    fc.integer({ min: 1, max: records.length }),
  ),
);

describe('merkle proofs from stored nodes', () => {
  it('merkle - node-based inclusion proofs equal list-based ones', async () => {
    await fc.assert(
      fc.asyncProperty(treeWithSizes, fc.nat(), async ([leaves, size], pick) => {
        const index = pick % size;
        const { lookup, reader, reads } = nodeStore(leaves);
        const expected = inclusionProof(leaves, index, size).map(hex);
        expect((await inclusionProofFromNodes(index, size, reader)).map(hex)).toEqual(expected);
        expect(assembleProof(inclusionProofPlan(index, size), lookup).map(hex)).toEqual(expected);
        expect(reads).toHaveLength(1); // one batched read per proof
      }),
    );
  });

  it('merkle - node-based consistency proofs equal list-based ones', async () => {
    await fc.assert(
      fc.asyncProperty(treeWithSizes, async ([leaves, a, b]) => {
        const [from, to] = [Math.min(a, b), Math.max(a, b)];
        const { lookup, reader } = nodeStore(leaves);
        const expected = consistencyProof(leaves, from, to).map(hex);
        expect((await consistencyProofFromNodes(from, to, reader)).map(hex)).toEqual(expected);
        expect(assembleProof(consistencyProofPlan(from, to), lookup).map(hex)).toEqual(expected);
      }),
    );
  });

  it('merkle - the root from stored frontier nodes equals rootOf at every size', () => {
    fc.assert(
      fc.property(recordsArb(0, 150), (records) => {
        const leaves = records.map(hashLeaf);
        const { lookup } = nodeStore(leaves);
        for (let size = 0; size <= leaves.length; size++) {
          expect(hex(rootFromNodes(size, lookup))).toBe(hex(rootOf(leaves.slice(0, size))));
        }
      }),
      { numRuns: 30 },
    );
  });

  it('merkle - computes an incomplete border subtree from the completed nodes covering it', () => {
    // Leaf 0 of 7: siblings are leaf 1, node [2,4) and the incomplete subtree [4,7), which is
    // folded from node [4,6) (level 1, index 2) and leaf 6.
    expect(inclusionProofPlan(0, 7).elements).toEqual([
      [{ level: 0, index: 1 }],
      [{ level: 1, index: 1 }],
      [
        { level: 1, index: 2 },
        { level: 0, index: 6 },
      ],
    ]);
    expect(inclusionProofPlan(0, 7).nodes).toHaveLength(4);
    expect(rootPlan(13).elements).toEqual([
      [
        { level: 3, index: 0 },
        { level: 2, index: 2 },
        { level: 0, index: 12 },
      ],
    ]);
  });

  it('merkle - plans read only completed nodes of the tree at that size, O(log n) of them', () => {
    const completedWithin = (size: number) => (node: NodeCoordinate) =>
      (node.index + 1) * 2 ** node.level <= size;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (size, f) => {
          const other = Math.min(size - 1, Math.floor(f * size));
          const bound = 2 * Math.ceil(Math.log2(size + 1));
          const inclusion = inclusionProofPlan(other, size);
          expect(inclusion.nodes.every(completedWithin(size))).toBe(true);
          expect(inclusion.nodes.length).toBeLessThanOrEqual(bound);
          const consistency = consistencyProofPlan(Math.max(1, other), size);
          expect(consistency.nodes.every(completedWithin(size))).toBe(true);
          expect(consistency.nodes.length).toBeLessThanOrEqual(bound);
        },
      ),
    );
  });

  it('merkle - proofs from nodes verify in trees beyond 2^32 leaves', () => {
    // In a tree of identical leaves every complete subtree of a level has the same hash, so a
    // node store for a huge tree is one hash per level.
    const levels: Hash[] = [hashLeaf(Uint8Array.of(7))];
    for (let l = 1; l <= 52; l++) levels.push(hashChildren(levels[l - 1] as Hash, levels[l - 1] as Hash));
    const lookup: NodeLookup = (level) => levels[level];
    const size = 2 ** 44 + 2 ** 33 + 2 ** 20 + 7;
    const root = rootFromNodes(size, lookup);
    for (const index of [0, 2 ** 32 + 1, 2 ** 44 - 1, 2 ** 44, size - 8, size - 1]) {
      const proof = assembleProof(inclusionProofPlan(index, size), lookup);
      expect(verifyInclusion(levels[0] as Hash, index, size, proof, root), `leaf ${index}`).toBe(true);
      expect(verifyInclusion(levels[0] as Hash, index, size, proof.slice(1), root)).toBe(false);
    }
    for (const from of [1, 2 ** 32 + 3, 2 ** 40, size - 1]) {
      const proof = assembleProof(consistencyProofPlan(from, size), lookup);
      expect(verifyConsistency(from, size, proof, rootFromNodes(from, lookup), root), `from ${from}`).toBe(
        true,
      );
      expect(verifyConsistency(from, size, proof, root, root)).toBe(false);
    }
  });

  it('merkle - names the node the store is missing', async () => {
    const leaves = Array.from({ length: 9 }, (_, i) => hashLeaf(Uint8Array.of(i)));
    const { lookup } = nodeStore(leaves);
    const withoutOne: NodeLookup = (level, index) =>
      level === 2 && index === 1 ? undefined : lookup(level, index);
    const error = (() => {
      try {
        assembleProof(inclusionProofPlan(0, 9), withoutOne);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(MissingTreeNodeError);
    expect(error).toMatchObject({ level: 2, index: 1, code: 'missing_tree_node' });
    const shortReader: NodeReader = async (wanted) => wanted.slice(1).map((n) => lookup(n.level, n.index));
    await expect(inclusionProofFromNodes(0, 9, shortReader)).rejects.toBeInstanceOf(MissingTreeNodeError);
  });

  it('merkle - refuses plans outside the tree', () => {
    expect(() => inclusionProofPlan(5, 5)).toThrow(RangeError);
    expect(() => consistencyProofPlan(0, 5)).toThrow(RangeError);
    expect(() => consistencyProofPlan(6, 5)).toThrow(RangeError);
    expect(() => rootPlan(-1)).toThrow(RangeError);
    expect(rootFromNodes(0, () => undefined)).toEqual(EMPTY_ROOT);
  });
});
