import { describe, expect, it } from 'vitest';
import { hashChildren, hashLeaf, rootOf } from '@gatehouse/merkle';
import { DigestRange } from './digest-range.ts';
import { digestBytes, digestMatches, leafDigest, nodeDigest } from './digest-string.ts';

const record = (length: number, fill: number): Buffer => Buffer.alloc(length, fill);

describe('digest strings and the digest range', () => {
  it('ledger-verify - leaf and node digests are the RFC 9162 hashes of @gatehouse/merkle', () => {
    // Lengths around the reused scratch buffer's size, alternating so a stale view would show.
    for (const length of [0, 1, 64, 651, 16_382, 16_383, 16_384, 40_000, 651, 3, 0]) {
      const bytes = record(length, length & 0xff);
      expect(digestBytes(leafDigest(bytes))).toEqual(Buffer.from(hashLeaf(bytes)));
    }
    const [left, right] = [leafDigest(record(10, 1)), leafDigest(record(10, 2))];
    expect(digestBytes(nodeDigest(left, right))).toEqual(
      Buffer.from(hashChildren(digestBytes(left), digestBytes(right))),
    );
  });

  it('ledger-verify - a digest matches its own bytes only', () => {
    const digest = leafDigest(record(100, 7));
    const bytes = digestBytes(digest);
    expect(digest).toHaveLength(32);
    expect(digestMatches(bytes, digest)).toBe(true);
    for (const position of [0, 17, 31]) {
      const changed = Buffer.from(bytes);
      changed[position] = (changed[position] as number) ^ 0x80;
      expect(digestMatches(changed, digest)).toBe(false);
    }
    expect(digestMatches(bytes.subarray(0, 31), digest)).toBe(false);
    expect(digestMatches(Buffer.concat([bytes, Buffer.alloc(1)]), digest)).toBe(false);
  });

  it('ledger-verify - the range root equals the RFC 9162 root at every size, clones stay apart', () => {
    const leaves = Array.from({ length: 130 }, (_, i) => hashLeaf(Buffer.from(`record ${i}`)));
    const range = new DigestRange();
    expect(digestBytes(range.root())).toEqual(Buffer.from(rootOf([])));
    let clone = range.clone();
    for (const [i, leaf] of leaves.entries()) {
      range.append(Buffer.from(leaf).toString('latin1'));
      expect(range.size).toBe(i + 1);
      expect(digestBytes(range.root())).toEqual(Buffer.from(rootOf(leaves.slice(0, i + 1))));
      if (i === 64) clone = range.clone();
    }
    expect(clone.size).toBe(65);
    expect(digestBytes(clone.root())).toEqual(Buffer.from(rootOf(leaves.slice(0, 65))));
  });
});
