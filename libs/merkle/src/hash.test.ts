import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EMPTY_ROOT, hashChildren, hashLeaf, isHash } from './hash.ts';
import { CT_LEAF_INPUTS, CT_ROOTS, hex } from './rfc6962-vectors.fixture.ts';

describe('merkle hashing', () => {
  it('merkle - the empty tree root is SHA-256 of nothing', () => {
    expect(hex(EMPTY_ROOT)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('merkle - a leaf hash is SHA-256(0x00 || record), matching the CT vector for the empty record', () => {
    expect(hex(hashLeaf(new Uint8Array(0)))).toBe(CT_ROOTS[1]);
    const record = CT_LEAF_INPUTS[7] as Uint8Array;
    const expected = createHash('sha256').update(Uint8Array.of(0)).update(record).digest('hex');
    expect(hex(hashLeaf(record))).toBe(expected);
  });

  it('merkle - hashes records larger than the scratch buffer the same way', () => {
    for (const size of [16 * 1024 - 2, 16 * 1024 - 1, 16 * 1024, 100_000]) {
      const record = new Uint8Array(size).map((_, i) => i * 31);
      const expected = createHash('sha256').update(Uint8Array.of(0)).update(record).digest('hex');
      expect(hex(hashLeaf(record))).toBe(expected);
    }
  });

  it('merkle - returns a fresh hash each time, not a view of a reused buffer', () => {
    const first = hashLeaf(Uint8Array.of(1));
    const copy = hex(first);
    hashLeaf(Uint8Array.of(2));
    hashChildren(first, first);
    expect(hex(first)).toBe(copy);
  });

  it('merkle - a node hash is SHA-256(0x01 || left || right), matching the CT size-2 root', () => {
    const left = hashLeaf(CT_LEAF_INPUTS[0] as Uint8Array);
    const right = hashLeaf(CT_LEAF_INPUTS[1] as Uint8Array);
    expect(hex(hashChildren(left, right))).toBe(CT_ROOTS[2]);
    expect(hex(hashChildren(right, left))).not.toBe(CT_ROOTS[2]);
  });

  it('merkle - hashChildren rejects children that are not 32 bytes', () => {
    const good = hashLeaf(Uint8Array.of(1));
    expect(() => hashChildren(good, good.subarray(0, 31))).toThrow(RangeError);
    expect(() => hashChildren(new Uint8Array(33), good)).toThrow(RangeError);
  });

  it('merkle - isHash accepts exactly 32-byte Uint8Arrays', () => {
    expect(isHash(new Uint8Array(32))).toBe(true);
    expect(isHash(Buffer.alloc(32))).toBe(true);
    expect(isHash(new Uint8Array(31))).toBe(false);
    expect(isHash(Array.from({ length: 32 }, () => 0))).toBe(false);
    expect(isHash('x'.repeat(32))).toBe(false);
  });
});
