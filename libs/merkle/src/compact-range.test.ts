import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CompactRange } from './compact-range.ts';
import { EMPTY_ROOT, hashChildren, hashLeaf, type Hash } from './hash.ts';
import { recordsArb } from './random-tree.fixture.ts';
import { CT_LEAF_INPUTS, CT_ROOTS, hex } from './rfc6962-vectors.fixture.ts';
import { rangeRoot, rootOf } from './tree-root.ts';
import { frontierCoordinates, type TreeNode } from './tree-node.ts';

function popcount(n: number): number {
  let count = 0;
  for (let x = n; x > 0; x = Math.floor(x / 2)) count += x % 2;
  return count;
}

describe('merkle compact range', () => {
  it('merkle - a compact range gives the published RFC 6962 root after every append', () => {
    const range = new CompactRange();
    expect(hex(range.root())).toBe(CT_ROOTS[0]);
    CT_LEAF_INPUTS.forEach((input, i) => {
      range.append(hashLeaf(input));
      expect(range.size).toBe(i + 1);
      expect(hex(range.root())).toBe(CT_ROOTS[i + 1]);
    });
  });

  it('merkle - the compact range root equals rootOf for every size of a random tree', () => {
    fc.assert(
      fc.property(recordsArb(0, 300), (records) => {
        const leaves = records.map(hashLeaf);
        const range = new CompactRange();
        expect(range.root()).toEqual(EMPTY_ROOT);
        leaves.forEach((leaf, i) => {
          range.append(leaf);
          expect(hex(range.root())).toBe(hex(rootOf(leaves.slice(0, i + 1))));
        });
      }),
      { numRuns: 30 },
    );
  });

  it('merkle - each append reports the leaf and exactly the subtrees it completed, with their hashes', () => {
    fc.assert(
      fc.property(recordsArb(1, 200), (records) => {
        const leaves = records.map(hashLeaf);
        const range = new CompactRange();
        const all: TreeNode[] = [];
        leaves.forEach((leaf, i) => {
          const created = range.append(leaf);
          // Leaf i completes one subtree per trailing one bit of i, bottom-up.
          let trailingOnes = 0;
          for (let x = i; x % 2 === 1; x = (x - 1) / 2) trailingOnes += 1;
          expect(created.map((node) => node.level)).toEqual(
            Array.from({ length: trailingOnes + 1 }, (_, l) => l),
          );
          expect(created[0]).toEqual({ level: 0, index: i, hash: leaf });
          for (const node of created) {
            const width = 2 ** node.level;
            expect((node.index + 1) * width).toBe(i + 1);
            expect(hex(node.hash)).toBe(hex(rangeRoot(leaves, node.index * width, (node.index + 1) * width)));
          }
          all.push(...created);
        });
        // A tree of n leaves has 2n - popcount(n) completed-subtree nodes, each reported once.
        expect(all.length).toBe(2 * leaves.length - popcount(leaves.length));
        expect(new Set(all.map((node) => `${node.level}/${node.index}`)).size).toBe(all.length);
      }),
      { numRuns: 30 },
    );
  });

  it('merkle - keeps only one hash per set bit of the size (O(log n) memory)', () => {
    const range = new CompactRange();
    for (let i = 0; i < 1000; i++) range.append(hashLeaf(Uint8Array.of(i & 0xff, i >> 8)));
    expect(range.frontier().map(({ level, index }) => ({ level, index }))).toEqual(frontierCoordinates(1000));
    expect(range.frontier()).toHaveLength(popcount(1000));
  });

  it('merkle - resumes from a stored frontier and continues with the same roots', () => {
    fc.assert(
      fc.property(recordsArb(0, 120), fc.nat(), (records, cut) => {
        const leaves = records.map(hashLeaf);
        const at = leaves.length === 0 ? 0 : cut % (leaves.length + 1);
        const original = new CompactRange();
        leaves.slice(0, at).forEach((leaf) => original.append(leaf));
        const resumed = CompactRange.fromFrontier(
          at,
          original.frontier().map((node) => node.hash),
        );
        expect(resumed.size).toBe(at);
        expect(hex(resumed.root())).toBe(hex(original.root()));
        for (const leaf of leaves.slice(at)) {
          expect(resumed.append(leaf)).toEqual(original.append(leaf));
        }
        expect(hex(resumed.root())).toBe(hex(rootOf(leaves)));
      }),
      { numRuns: 50 },
    );
  });

  it('merkle - a clone advances independently of the original', () => {
    const leaves = CT_LEAF_INPUTS.map(hashLeaf);
    const original = new CompactRange();
    leaves.slice(0, 5).forEach((leaf) => original.append(leaf));
    const staged = original.clone();
    leaves.slice(5).forEach((leaf) => staged.append(leaf));
    expect([original.size, hex(original.root())]).toEqual([5, CT_ROOTS[5]]);
    expect([staged.size, hex(staged.root())]).toEqual([8, CT_ROOTS[8]]);
  });

  it('merkle - rejects a leaf hash that is not 32 bytes and leaves the range unchanged', () => {
    const range = new CompactRange();
    range.append(hashLeaf(Uint8Array.of(1)));
    const root = hex(range.root());
    expect(() => range.append(new Uint8Array(31))).toThrow(RangeError);
    expect(range.size).toBe(1);
    expect(hex(range.root())).toBe(root);
  });

  it('merkle - rejects a frontier that does not fit the size', () => {
    const leaf = hashLeaf(Uint8Array.of(1));
    expect(() => CompactRange.fromFrontier(3, [leaf])).toThrow(RangeError);
    expect(() => CompactRange.fromFrontier(3, [leaf, new Uint8Array(3)])).toThrow(RangeError);
    expect(() => CompactRange.fromFrontier(-1, [])).toThrow(RangeError);
    expect(CompactRange.fromFrontier(4, [leaf]).root()).toEqual(leaf);
  });

  it('merkle - handles sizes beyond 2^32 without 32-bit truncation', () => {
    // In a tree of identical leaves every complete subtree of a level has the same hash.
    const levels: Hash[] = [hashLeaf(new Uint8Array(0))];
    for (let l = 1; l <= 45; l++) levels.push(hashChildren(levels[l - 1] as Hash, levels[l - 1] as Hash));
    const size = 2 ** 44 + 2 ** 33 + 7;
    const range = CompactRange.fromFrontier(
      size,
      frontierCoordinates(size).map((node) => levels[node.level] as Hash),
    );
    const created = range.append(levels[0] as Hash);
    expect(created).toEqual(
      [0, 1, 2, 3].map((level) => ({ level, index: Math.floor(size / 2 ** level), hash: levels[level] })),
    );
    expect(range.size).toBe(size + 1);
    const expectedRoot = hashChildren(
      levels[44] as Hash,
      hashChildren(levels[33] as Hash, levels[3] as Hash),
    );
    expect(hex(range.root())).toBe(hex(expectedRoot));
  });
});
