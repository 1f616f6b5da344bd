import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EMPTY_ROOT, hashLeaf, type Hash } from './hash.ts';
import { inclusionProof, verifyInclusion } from './inclusion-proof.ts';
import { bitFlips, recordsArb } from './random-tree.fixture.ts';
import { CT_INCLUSION_PROOFS, CT_LEAF_INPUTS, CT_ROOTS, hex, unhex } from './rfc6962-vectors.fixture.ts';
import { rootOf } from './tree-root.ts';

const leafHashes = CT_LEAF_INPUTS.map(hashLeaf);
const someHash = unhex('abacaba000000000000000000000000000000000000000000060061e00123456');

describe('merkle inclusion proofs', () => {
  it('merkle - builds the published RFC 6962 inclusion proofs', () => {
    for (const vector of CT_INCLUSION_PROOFS) {
      expect(inclusionProof(leafHashes, vector.index, vector.size).map(hex)).toEqual(vector.proof);
    }
  });

  it('merkle - verifies the published inclusion proofs and rejects every corruption of them', () => {
    for (const { index, size, proof: hexProof } of CT_INCLUSION_PROOFS) {
      const proof = hexProof.map(unhex);
      const root = unhex(CT_ROOTS[size] as string);
      const leaf = leafHashes[index] as Hash;
      expect(verifyInclusion(leaf, index, size, proof, root)).toBe(true);

      // The probes of transparency-dev/merkle's verifier tests.
      const probes: [string, number, number, Hash, readonly Hash[], Hash][] = [
        ['index - 1', index - 1, size, leaf, proof, root],
        ['index + 1', index + 1, size, leaf, proof, root],
        ['index ^ 2', index ^ 2, size, leaf, proof, root],
        ['size * 2', index, size * 2, leaf, proof, root],
        ['size / 2', index, Math.floor(size / 2), leaf, proof, root],
        ['wrong leaf', index, size, hashLeaf(Uint8Array.of(9)), proof, root],
        ['empty root', index, size, leaf, proof, EMPTY_ROOT],
        ['random root', index, size, leaf, proof, someHash],
        ['trailing root', index, size, leaf, [...proof, root], root],
        ['preceding root', index, size, leaf, [root, ...proof], root],
        ['trailing garbage', index, size, leaf, [...proof, new Uint8Array(0)], root],
      ];
      if (proof.length > 0) probes.push(['removed component', index, size, leaf, proof.slice(0, -1), root]);
      if (proof.length > 1) {
        probes.push(['inserted component', index, size, leaf, [someHash, ...proof.slice(1)], root]);
      }
      for (const [name, i, n, l, p, r] of probes) {
        expect(verifyInclusion(l, i, n, p, r), `${name} for leaf ${index} of ${size}`).toBe(false);
      }
    }
  });

  it('merkle - every inclusion proof of a random tree verifies', () => {
    fc.assert(
      fc.property(recordsArb(1, 70), (records) => {
        const leaves = records.map(hashLeaf);
        for (let size = 1; size <= leaves.length; size++) {
          const root = rootOf(leaves.slice(0, size));
          for (let index = 0; index < size; index++) {
            const proof = inclusionProof(leaves, index, size);
            expect(verifyInclusion(leaves[index] as Hash, index, size, proof, root)).toBe(true);
          }
        }
      }),
      { numRuns: 30 },
    );
  });

  it('merkle - every flipped bit in an inclusion proof, root or leaf hash fails', () => {
    fc.assert(
      fc.property(
        recordsArb(1, 200).chain((records) =>
          fc.tuple(fc.constant(records), fc.nat({ max: records.length - 1 })),
        ),
        ([records, index]) => {
          const leaves = records.map(hashLeaf);
          const size = leaves.length;
          const root = rootOf(leaves);
          const leaf = leaves[index] as Hash;
          const proof = inclusionProof(leaves, index, size);
          proof.forEach((element, position) => {
            for (const flipped of bitFlips(element)) {
              const tampered = proof.with(position, flipped);
              expect(verifyInclusion(leaf, index, size, tampered, root)).toBe(false);
            }
          });
          for (const flipped of bitFlips(root))
            expect(verifyInclusion(leaf, index, size, proof, flipped)).toBe(false);
          for (const flipped of bitFlips(leaf))
            expect(verifyInclusion(flipped, index, size, proof, root)).toBe(false);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('merkle - an inclusion proof does not verify for any other leaf index', () => {
    fc.assert(
      fc.property(
        recordsArb(2, 40).chain((records) =>
          fc.tuple(
            fc.constant(records),
            fc.nat({ max: records.length - 1 }),
            fc.nat({ max: records.length - 1 }),
          ),
        ),
        ([records, index, otherIndex]) => {
          // Distinct records: with duplicates a proof may legitimately fit a mirrored position.
          const leaves = records.map((record, i) => hashLeaf(Uint8Array.of(i, ...record)));
          const size = leaves.length;
          const root = rootOf(leaves);
          const proof = inclusionProof(leaves, index, size);
          expect(verifyInclusion(leaves[index] as Hash, otherIndex, size, proof, root)).toBe(
            otherIndex === index,
          );
        },
      ),
    );
  });

  it('merkle - rejects malformed inclusion inputs with false instead of throwing', () => {
    const proof = inclusionProof(leafHashes, 5, 8);
    const root = unhex(CT_ROOTS[8] as string);
    const leaf = leafHashes[5] as Hash;
    expect(verifyInclusion(leaf, 5, 8, proof, root)).toBe(true);
    expect(verifyInclusion(leaf, 8, 8, proof, root)).toBe(false);
    expect(verifyInclusion(leaf, 0, 0, [], EMPTY_ROOT)).toBe(false);
    expect(verifyInclusion(leaf, -1, 8, proof, root)).toBe(false);
    expect(verifyInclusion(leaf, 5.5, 8, proof, root)).toBe(false);
    expect(verifyInclusion(leaf, Number.NaN, 8, proof, root)).toBe(false);
    expect(verifyInclusion(leaf, 5, 2 ** 53, proof, root)).toBe(false);
    expect(verifyInclusion(leaf.subarray(0, 31), 5, 8, proof, root)).toBe(false);
    expect(verifyInclusion(leaf, 5, 8, proof, root.subarray(1))).toBe(false);
    expect(verifyInclusion(leaf, 5, 8, [proof[0] as Hash, new Uint8Array(33), proof[2] as Hash], root)).toBe(
      false,
    );
    expect(verifyInclusion(leaf, 5, 8, 'not a proof' as unknown as Hash[], root)).toBe(false);
    // A single-leaf tree: the root is the leaf hash and the proof is empty.
    expect(verifyInclusion(leaf, 0, 1, [], leaf)).toBe(true);
    expect(verifyInclusion(leaf, 0, 1, [leaf], leaf)).toBe(false);
  });

  it('merkle - refuses to build an inclusion proof outside the tree', () => {
    expect(() => inclusionProof(leafHashes, 8, 8)).toThrow(RangeError);
    expect(() => inclusionProof(leafHashes, 0, 9)).toThrow(RangeError);
    expect(() => inclusionProof(leafHashes, 0, 0)).toThrow(RangeError);
    expect(() => inclusionProof(leafHashes, -1, 4)).toThrow(RangeError);
    expect(() => inclusionProof(leafHashes, 1.5, 4)).toThrow(RangeError);
  });
});
