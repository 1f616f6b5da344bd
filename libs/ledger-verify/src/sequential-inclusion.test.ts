import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  hashLeaf,
  inclusionProof,
  inclusionProofPlan,
  rootOf,
  verifyInclusion,
  type Hash,
} from '@gatehouse/merkle';
import { inclusionProofLength, SequentialInclusionVerifier } from './sequential-inclusion.ts';

const leavesOf = (size: number): Hash[] =>
  Array.from({ length: size }, (_, i) => hashLeaf(Buffer.from(`leaf ${i}`)));

function flipped(hash: Hash): Hash {
  const copy = Buffer.from(hash);
  copy[7] = (copy[7] as number) ^ 0x01;
  return copy;
}

describe('sequential inclusion verifier', () => {
  it('ledger-verify - proof lengths equal the RFC 9162 audit path lengths for every index of sizes 1 to 70', () => {
    for (let size = 1; size <= 70; size++) {
      for (let index = 0; index < size; index++) {
        expect(inclusionProofLength(index, size)).toBe(inclusionProofPlan(index, size).elements.length);
      }
    }
  });

  it('ledger-verify - accepts every leaf of trees of sizes 1 to 40 in order', () => {
    for (let size = 1; size <= 40; size++) {
      const leaves = leavesOf(size);
      const verifier = new SequentialInclusionVerifier(size, rootOf(leaves));
      for (let index = 0; index < size; index++) {
        expect(verifier.verify(index, leaves[index] as Hash, inclusionProof(leaves, index, size))).toBe(true);
      }
    }
  });

  it('ledger-verify - rejects a changed leaf right after its verified neighbour (shared ancestors do not vouch for it)', () => {
    const leaves = leavesOf(16);
    const verifier = new SequentialInclusionVerifier(16, rootOf(leaves));
    expect(verifier.verify(4, leaves[4] as Hash, inclusionProof(leaves, 4, 16))).toBe(true);
    expect(verifier.verify(5, flipped(leaves[5] as Hash), inclusionProof(leaves, 5, 16))).toBe(false);
    expect(verifier.verify(5, leaves[5] as Hash, inclusionProof(leaves, 5, 16))).toBe(true);
  });

  it('ledger-verify - rejects wrong lengths, out-of-range indices and non-hash elements', () => {
    const leaves = leavesOf(9);
    const verifier = new SequentialInclusionVerifier(9, rootOf(leaves));
    const proof = inclusionProof(leaves, 3, 9);
    expect(verifier.verify(3, leaves[3] as Hash, proof.slice(1))).toBe(false);
    expect(verifier.verify(3, leaves[3] as Hash, [...proof, leaves[0] as Hash])).toBe(false);
    expect(verifier.verify(9, leaves[3] as Hash, proof)).toBe(false);
    expect(verifier.verify(-1, leaves[3] as Hash, proof)).toBe(false);
    expect(verifier.verify(3, leaves[3] as Hash, [Buffer.alloc(31), ...proof.slice(1)])).toBe(false);
    expect(verifier.verify(3, Buffer.alloc(31), proof)).toBe(false);
  });

  it('ledger-verify - agrees with verifyInclusion on random trees, index runs and corruptions', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom('none', 'leaf', 'proof')), {
          minLength: 1,
          maxLength: 60,
        }),
        (size, picks) => {
          const leaves = leavesOf(size);
          const root = rootOf(leaves);
          const verifier = new SequentialInclusionVerifier(size, root);
          const indices = [...new Set(picks.map(([n]) => n % size))].sort((a, b) => a - b);
          indices.forEach((index, i) => {
            const [seed, corruption] = picks[i % picks.length] ?? [0, 'none'];
            let leaf = leaves[index] as Hash;
            const proof = inclusionProof(leaves, index, size);
            if (corruption === 'leaf') leaf = flipped(leaf);
            const at = seed % Math.max(proof.length, 1);
            if (corruption === 'proof' && proof.length > 0) proof[at] = flipped(proof[at] as Hash);
            expect(verifier.verify(index, leaf, proof)).toBe(verifyInclusion(leaf, index, size, proof, root));
          });
        },
      ),
      { numRuns: 400 },
    );
  });
});
