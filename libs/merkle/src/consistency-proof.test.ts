import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { consistencyProof, verifyConsistency } from './consistency-proof.ts';
import { EMPTY_ROOT, hashLeaf, type Hash } from './hash.ts';
import { bitFlips, recordsArb } from './random-tree.fixture.ts';
import { CT_CONSISTENCY_PROOFS, CT_LEAF_INPUTS, CT_ROOTS, hex, unhex } from './rfc6962-vectors.fixture.ts';
import { rootOf } from './tree-root.ts';

const leafHashes = CT_LEAF_INPUTS.map(hashLeaf);
const rootAt = (size: number): Hash => unhex(CT_ROOTS[size] as string);

/** A random tree and two sizes 1 <= from <= to <= its size. */
const treeAndSizes = recordsArb(1, 90).chain((records) =>
  fc
    .tuple(fc.integer({ min: 1, max: records.length }), fc.integer({ min: 1, max: records.length }))
    .map(([a, b]) => ({ leaves: records.map(hashLeaf), from: Math.min(a, b), to: Math.max(a, b) })),
);

describe('merkle consistency proofs', () => {
  it('merkle - builds the published RFC 6962 consistency proofs', () => {
    for (const vector of CT_CONSISTENCY_PROOFS) {
      expect(consistencyProof(leafHashes, vector.from, vector.to).map(hex)).toEqual(vector.proof);
    }
  });

  it('merkle - verifies the published consistency proofs and rejects every corruption of them', () => {
    for (const { from, to, proof: hexProof } of CT_CONSISTENCY_PROOFS) {
      const proof = hexProof.map(unhex);
      const [fromRoot, toRoot] = [rootAt(from), rootAt(to)];
      expect(verifyConsistency(from, to, proof, fromRoot, toRoot)).toBe(true);
      if (proof.length === 0) continue;

      // The probes of transparency-dev/merkle's verifier tests.
      const wrong = unhex('abacaba000000000000000000000000000000000000000000060061e00123456');
      const probes: [string, number, number, readonly Hash[], Hash, Hash][] = [
        ['from - 1', from - 1, to, proof, fromRoot, toRoot],
        ['from + 1', from + 1, to, proof, fromRoot, toRoot],
        ['from ^ 2', from ^ 2, to, proof, fromRoot, toRoot],
        ['to * 2', from, to * 2, proof, fromRoot, toRoot],
        ['to / 2', from, Math.floor(to / 2), proof, fromRoot, toRoot],
        ['wrong old root', from, to, proof, wrong, toRoot],
        ['wrong new root', from, to, proof, fromRoot, wrong],
        ['swapped roots', from, to, proof, toRoot, fromRoot],
        ['empty proof', from, to, [], fromRoot, toRoot],
        ['trailing old root', from, to, [...proof, fromRoot], fromRoot, toRoot],
        ['trailing new root', from, to, [...proof, toRoot], fromRoot, toRoot],
        ['preceding old root', from, to, [fromRoot, ...proof], fromRoot, toRoot],
        ['preceding new root', from, to, [toRoot, ...proof], fromRoot, toRoot],
        ['preceding proof[0]', from, to, [proof[0] as Hash, ...proof], fromRoot, toRoot],
        ['truncated proof', from, to, proof.slice(0, -1), fromRoot, toRoot],
        ['trailing garbage', from, to, [...proof, new Uint8Array(0)], fromRoot, toRoot],
      ];
      for (const [name, m, n, p, r1, r2] of probes) {
        expect(verifyConsistency(m, n, p, r1, r2), `${name} for ${from} -> ${to}`).toBe(false);
      }
    }
  });

  it('merkle - every consistency proof of a random tree verifies', () => {
    fc.assert(
      fc.property(recordsArb(1, 50), (records) => {
        const leaves = records.map(hashLeaf);
        const roots = leaves.map((_, i) => rootOf(leaves.slice(0, i + 1)));
        for (let to = 1; to <= leaves.length; to++) {
          for (let from = 1; from <= to; from++) {
            const proof = consistencyProof(leaves, from, to);
            expect(verifyConsistency(from, to, proof, roots[from - 1] as Hash, roots[to - 1] as Hash)).toBe(
              true,
            );
          }
        }
      }),
      { numRuns: 20 },
    );
  });

  it('merkle - every flipped bit in a consistency proof or either root fails', () => {
    fc.assert(
      fc.property(treeAndSizes, ({ leaves, from, to }) => {
        const fromRoot = rootOf(leaves.slice(0, from));
        const toRoot = rootOf(leaves.slice(0, to));
        const proof = consistencyProof(leaves, from, to);
        proof.forEach((element, position) => {
          for (const flipped of bitFlips(element)) {
            expect(verifyConsistency(from, to, proof.with(position, flipped), fromRoot, toRoot)).toBe(false);
          }
        });
        for (const flipped of bitFlips(fromRoot))
          expect(verifyConsistency(from, to, proof, flipped, toRoot)).toBe(false);
        for (const flipped of bitFlips(toRoot))
          expect(verifyConsistency(from, to, proof, fromRoot, flipped)).toBe(false);
      }),
      { numRuns: 40 },
    );
  });

  it('merkle - a tree that rewrote history fails the consistency check', () => {
    fc.assert(
      fc.property(
        treeAndSizes.chain((t) => fc.tuple(fc.constant(t), fc.nat({ max: t.from - 1 }))),
        ([{ leaves, from, to }, changed]) => {
          fc.pre(from < to);
          const fromRoot = rootOf(leaves.slice(0, from));
          const rewritten = leaves.with(changed, hashLeaf(Uint8Array.of(0xff, ...(leaves[changed] as Hash))));
          const proof = consistencyProof(rewritten, from, to);
          expect(verifyConsistency(from, to, proof, fromRoot, rootOf(rewritten.slice(0, to)))).toBe(false);
        },
      ),
    );
  });

  it('merkle - rejects a consistency proof from size 0', () => {
    const root = rootAt(3);
    expect(verifyConsistency(0, 3, [], EMPTY_ROOT, root)).toBe(false);
    expect(verifyConsistency(0, 3, [root], EMPTY_ROOT, root)).toBe(false);
    expect(verifyConsistency(0, 0, [], EMPTY_ROOT, EMPTY_ROOT)).toBe(false);
    expect(() => consistencyProof(leafHashes, 0, 3)).toThrow(RangeError);
  });

  it('merkle - equal sizes need an empty proof and equal roots', () => {
    expect(verifyConsistency(5, 5, [], rootAt(5), rootAt(5))).toBe(true);
    expect(verifyConsistency(5, 5, [], rootAt(5), rootAt(4))).toBe(false);
    expect(verifyConsistency(5, 5, [rootAt(5)], rootAt(5), rootAt(5))).toBe(false);
    expect(consistencyProof(leafHashes, 5, 5)).toEqual([]);
  });

  it('merkle - rejects malformed consistency inputs with false instead of throwing', () => {
    const proof = consistencyProof(leafHashes, 6, 8);
    const [r6, r8] = [rootAt(6), rootAt(8)];
    expect(verifyConsistency(6, 8, proof, r6, r8)).toBe(true);
    expect(verifyConsistency(8, 6, proof, r8, r6)).toBe(false);
    expect(verifyConsistency(-6, 8, proof, r6, r8)).toBe(false);
    expect(verifyConsistency(6, 8.5, proof, r6, r8)).toBe(false);
    expect(verifyConsistency(6, Number.POSITIVE_INFINITY, proof, r6, r8)).toBe(false);
    expect(verifyConsistency(6, 8, proof, r6.subarray(0, 16), r8)).toBe(false);
    expect(verifyConsistency(6, 8, proof, r6, Buffer.concat([r8, Buffer.of(0)]))).toBe(false);
    expect(
      verifyConsistency(6, 8, [proof[0] as Hash, (proof[1] as Hash).subarray(1), proof[2] as Hash], r6, r8),
    ).toBe(false);
    expect(verifyConsistency(6, 8, null as unknown as Hash[], r6, r8)).toBe(false);
    expect(verifyConsistency(1, 2, [], rootAt(1), rootAt(2))).toBe(false);
  });

  it('merkle - refuses to build a consistency proof outside the tree', () => {
    expect(() => consistencyProof(leafHashes, 3, 9)).toThrow(RangeError);
    expect(() => consistencyProof(leafHashes, 5, 4)).toThrow(RangeError);
    expect(() => consistencyProof(leafHashes, 1.5, 4)).toThrow(RangeError);
  });
});
