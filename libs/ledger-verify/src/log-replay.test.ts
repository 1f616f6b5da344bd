import { describe, expect, it } from 'vitest';
import type { EvidenceRecord } from '@gatehouse/contracts';
import { canonicalBytes, SessionEvidence } from '@gatehouse/evidence';
import { hashLeaf, rootOf, type Hash } from '@gatehouse/merkle';
import { chainHash, parseChainFields } from './chain-fields.ts';
import { LogReplay } from './log-replay.ts';
import type { Problem } from './problem.ts';
import { SessionChainChecker } from './session-chains.ts';
import { syntheticLedger } from './synthetic-ledger.fixture.ts';

interface Entry {
  index: number;
  bytes: Uint8Array;
  stored: Hash;
}

// What LogReplay computed before it scanned records: merkle's hashLeaf and rootOf, JSON.parse for
// the chain fields, and the checker's general `add` for every record.
function reference(entries: readonly Entry[]): { root: Hash; problems: Problem[] } {
  const problems: Problem[] = [];
  const checker = new SessionChainChecker('complete');
  let next = 0;
  for (const { index, bytes, stored } of entries) {
    if (index > next) problems.push({ kind: 'missing-entry', index: next, message: '' });
    else if (index < next) problems.push({ kind: 'out-of-order', index, message: '' });
    next = Math.max(next, index + 1);
    if (Buffer.compare(stored, hashLeaf(bytes)) !== 0) {
      problems.push({ kind: 'leaf-hash-mismatch', index, message: '' });
    }
    const fields = parseChainFields(bytes);
    if (fields === null) problems.push({ kind: 'malformed-record', index, message: '' });
    else checker.add(index, fields, chainHash(bytes));
  }
  problems.push(...checker.finish().problems);
  return { root: rootOf(entries.map(({ bytes }) => hashLeaf(bytes))), problems };
}

const kindsAt = (problems: readonly Problem[]) => problems.map((p) => [p.kind, p.index]);

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

  describe('ledger-verify - every tamper is caught exactly as the JSON.parse replay catches it', () => {
    // Four sessions of eight records, round-robin: session s holds indices s, s + 4, s + 8, ...
    const ledger = syntheticLedger(4, 8);
    const records = ledger.records as EvidenceRecord[];
    const intact = (): Entry[] =>
      ledger.canonical.map((bytes, index) => ({ index, bytes, stored: ledger.leafHashes[index] as Hash }));
    const text = (index: number) => Buffer.from(ledger.canonical[index] as Uint8Array).toString('utf8');
    const rewritten = (index: number, change: Partial<EvidenceRecord>): Uint8Array =>
      canonicalBytes({ ...records[index], ...change });
    const withBytes = (index: number, bytes: Uint8Array) => (entries: Entry[]) => {
      (entries[index] as Entry).bytes = bytes;
    };
    const decoy = '"session":{"id":"session-9","prev":null,"seq":0}';
    const tampers: [string, (entries: Entry[]) => void, (string | number)[][]][] = [
      ['nothing', () => {}, []],
      [
        'a statement rewritten',
        withBytes(9, rewritten(9, { details: { normalized: 'drop table audit', fingerprint: 'x' } })),
        [
          ['leaf-hash-mismatch', 9],
          ['chain-break', 13],
        ],
      ],
      [
        'a prev pointed elsewhere',
        withBytes(9, rewritten(9, { session: { ...records[9]!.session, prev: 'ab'.repeat(32) } })),
        [
          ['leaf-hash-mismatch', 9],
          ['chain-break', 9],
          ['chain-break', 13],
        ],
      ],
      [
        'a first record given a prev',
        withBytes(1, rewritten(1, { session: { ...records[1]!.session, prev: 'ab'.repeat(32) } })),
        [
          ['leaf-hash-mismatch', 1],
          ['chain-break', 1],
          ['chain-break', 5],
        ],
      ],
      [
        'a seq repeated',
        withBytes(9, rewritten(9, { session: { ...records[9]!.session, seq: 1 } })),
        [
          ['leaf-hash-mismatch', 9],
          ['chain-duplicate', 9],
          ['chain-gap', 13],
        ],
      ],
      [
        'a decoy session object in details, as text and as a nested object',
        withBytes(
          9,
          rewritten(9, { details: { note: decoy, session: { id: 'session-9', prev: null, seq: 0 } } }),
        ),
        [
          ['leaf-hash-mismatch', 9],
          ['chain-break', 13],
        ],
      ],
      [
        'a record re-spaced (same fields, not canonical)',
        withBytes(9, Buffer.from(text(9).replace('"kind":', '"kind": '))),
        [
          ['leaf-hash-mismatch', 9],
          ['chain-break', 13],
        ],
      ],
      [
        'a record cut short',
        withBytes(9, Buffer.from(text(9).slice(0, 100))),
        [
          ['leaf-hash-mismatch', 9],
          ['malformed-record', 9],
          ['chain-gap', 13],
        ],
      ],
      [
        'a record with a repeated session key (JSON.parse reads the last one)',
        withBytes(9, Buffer.from(text(9).replace('"target":', `${decoy},"target":`))),
        [
          ['leaf-hash-mismatch', 9],
          ['chain-gap', 13],
        ],
      ],
      [
        'a record removed',
        (entries) => entries.splice(9, 1),
        [
          ['missing-entry', 9],
          ['chain-gap', 13],
        ],
      ],
      [
        'two records swapped in place (a session out of seq order is allowed)',
        (entries) => {
          const [a, b] = [entries[9] as Entry, entries[13] as Entry];
          [a.bytes, b.bytes] = [b.bytes, a.bytes];
        },
        [
          ['leaf-hash-mismatch', 9],
          ['leaf-hash-mismatch', 13],
        ],
      ],
      [
        'a record appended twice',
        (entries) => entries.splice(10, 0, { ...(entries[9] as Entry) }),
        [
          ['out-of-order', 9],
          ['chain-duplicate', 9],
        ],
      ],
      [
        'a false record count at close',
        withBytes(29, rewritten(29, { details: { ...records[29]!.details, recordCount: 3 } })),
        [
          ['leaf-hash-mismatch', 29],
          ['session-close-mismatch', 29],
        ],
      ],
      [
        'a record after the close',
        (entries) =>
          entries.push({
            index: 32,
            bytes: rewritten(25, {
              session: { id: 'session-1', seq: 8, prev: chainHash(ledger.canonical[29] as Uint8Array) },
            }),
            stored: hashLeaf(rewritten(25, {})),
          }),
        [
          ['leaf-hash-mismatch', 32],
          ['record-after-close', 32],
        ],
      ],
    ];
    for (const [name, tamper, expected] of tampers) {
      it(name, () => {
        const entries = intact();
        tamper(entries);
        const replay = new LogReplay({ chains: 'complete' });
        // Half the records as plain Uint8Arrays (as TextEncoder gives them), half as Buffers.
        for (const { index, bytes, stored } of entries) {
          replay.add(index, index % 2 === 0 ? new Uint8Array(bytes) : Buffer.from(bytes), stored);
        }
        const { problems } = replay.finish();
        const expectedReplay = reference(entries);
        expect(kindsAt(problems)).toEqual(kindsAt(expectedReplay.problems));
        expect(kindsAt(problems)).toEqual(expected);
        expect(Buffer.from(replay.root())).toEqual(Buffer.from(expectedReplay.root));
      });
    }
  });

  it('ledger-verify - two session ids with the same scan key are told apart', () => {
    // The checker finds sessions by a 32-bit FNV-1a hash of the id bytes; these two ids share one
    // (found by a birthday search over session-0, session-1, ...).
    const fnv = (text: string) => {
      let key = 0x811c9dc5;
      for (let i = 0; i < text.length; i++) key = Math.imul(key ^ text.charCodeAt(i), 0x01000193);
      return key;
    };
    const pair = ['session-1129599', 'session-1732382'];
    expect(fnv(pair[0]!)).toBe(fnv(pair[1]!));
    const target = { name: 'demo', kind: 'postgres' } as const;
    const [a, b] = pair.map((id) => new SessionEvidence(id, target));
    const records: EvidenceRecord[] = [];
    for (let step = 0; step < 4; step++) {
      for (const evidence of [a, b] as SessionEvidence[]) records.push(evidence.next('statement', { step }));
    }
    const entries = records.map((record, index) => {
      const bytes = canonicalBytes(record);
      return { index, bytes, stored: hashLeaf(bytes) };
    });
    // Index 5 (b's seq 2) forged as the link a's chain expects next (seq 3 after a's seq 2 at
    // index 4): a checker that took b's record for a's would accept it there.
    entries[5]!.bytes = canonicalBytes({
      ...records[5]!,
      session: { ...records[5]!.session, seq: 3, prev: chainHash(entries[4]!.bytes) },
    });
    const replay = new LogReplay({ chains: 'complete' });
    for (const { index, bytes, stored } of entries) replay.add(index, bytes, stored);
    const finished = replay.finish();
    expect(kindsAt(finished.problems)).toEqual(kindsAt(reference(entries).problems));
    expect(kindsAt(finished.problems)).toEqual([
      ['leaf-hash-mismatch', 5],
      ['chain-duplicate', 7],
      ['chain-gap', 5],
    ]);
    expect(finished.chains).toEqual({ sessions: 2, closed: 0 });
  });

  it('ledger-verify - the leaf hash of the last entry is served for inclusion checks', () => {
    const ledger = syntheticLedger(1, 3);
    const replay = new LogReplay({ chains: 'off' });
    expect(() => replay.lastLeafHash()).toThrow();
    replay.add(0, ledger.canonical[0]!);
    replay.add(1, ledger.canonical[1]!);
    expect(Buffer.from(replay.lastLeafHash())).toEqual(Buffer.from(ledger.leafHashes[1]!));
  });
});
