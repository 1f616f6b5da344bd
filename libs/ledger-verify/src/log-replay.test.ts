import { describe, expect, it } from 'vitest';
import { hashLeaf, rootOf } from '@gatehouse/merkle';
import { LogReplay } from './log-replay.ts';
import { syntheticLedger } from './synthetic-ledger.fixture.ts';

describe('log replay', () => {
  it('ledger-verify - recomputes the RFC 9162 root and passes an intact log', () => {
    const ledger = syntheticLedger(4, 6);
    const replay = new LogReplay({ chains: 'complete' });
    ledger.canonical.forEach((bytes, index) => replay.add(index, bytes, ledger.leafHashes[index]));
    expect(Buffer.from(replay.root())).toEqual(Buffer.from(rootOf(ledger.leafHashes)));
    expect(replay.finish()).toEqual({ problems: [], chains: { sessions: 4, closed: 4 } });
  });

  it('ledger-verify - names gaps, repeats, stored-hash mismatches and unparsable records by index', () => {
    const ledger = syntheticLedger(1, 6);
    const replay = new LogReplay({ chains: 'complete' });
    replay.add(0, ledger.canonical[0]!, ledger.leafHashes[0]);
    replay.add(2, ledger.canonical[2]!, ledger.leafHashes[2]);
    replay.add(1, ledger.canonical[1]!, ledger.leafHashes[1]);
    replay.add(3, ledger.canonical[3]!, ledger.leafHashes[0]);
    replay.add(4, Buffer.from('not json'));
    expect(replay.problems.map((p) => [p.kind, p.index])).toEqual([
      ['missing-entry', 1],
      ['out-of-order', 1],
      ['leaf-hash-mismatch', 3],
      ['malformed-record', 4],
    ]);
  });

  it('ledger-verify - prefix roots equal the roots of leaf prefixes across snapshot boundaries', () => {
    const leaves = Array.from({ length: 9000 }, (_, i) => Buffer.from(`record ${i}`));
    const replay = new LogReplay({ chains: 'off', keepLeaves: true });
    leaves.forEach((bytes, index) => replay.add(index, bytes));
    const hashes = leaves.map((bytes) => hashLeaf(bytes));
    for (const size of [0, 1, 4095, 4096, 4097, 8192, 8999, 9000]) {
      expect(Buffer.from(replay.prefixRoot(size))).toEqual(Buffer.from(rootOf(hashes.slice(0, size))));
    }
    expect(Buffer.from(replay.leafHash(8191))).toEqual(Buffer.from(hashes[8191]!));
  });
});
