import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashLeaf } from './hash.ts';
import { recordsArb, referenceRoot } from './random-tree.fixture.ts';
import { CT_LEAF_INPUTS, CT_ROOTS, hex } from './rfc6962-vectors.fixture.ts';
import { rootOf } from './tree-root.ts';

describe('merkle tree root', () => {
  it('merkle - matches the published RFC 6962 roots for sizes 0 to 8', () => {
    const leafHashes = CT_LEAF_INPUTS.map(hashLeaf);
    const roots = Array.from({ length: 9 }, (_, size) => hex(rootOf(leafHashes.slice(0, size))));
    expect(roots).toEqual(CT_ROOTS);
    expect(roots[8]).toBe('5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328');
  });

  it('merkle - equals the recursive RFC 9162 definition for random trees', () => {
    fc.assert(
      fc.property(recordsArb(0, 140), (records) => {
        expect(hex(rootOf(records.map(hashLeaf)))).toBe(hex(referenceRoot(records)));
      }),
    );
  });

  it('merkle - rejects a leaf hash that is not 32 bytes', () => {
    const leafHashes = CT_LEAF_INPUTS.map(hashLeaf);
    leafHashes[3] = new Uint8Array(20);
    expect(() => rootOf(leafHashes)).toThrow(RangeError);
  });
});
