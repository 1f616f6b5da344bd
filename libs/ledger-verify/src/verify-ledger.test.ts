import { describe, expect, it } from 'vitest';
import { canonicalBytes } from '@gatehouse/evidence';
import { generateNoteKeys, hashLeaf, parseSignerKey } from '@gatehouse/merkle';
import { LedgerClient } from './ledger-client.ts';
import type { EntryView } from './ledger-api.ts';
import { verifyLedger } from './verify-ledger.ts';
import { VERIFIER_STATE_FORMAT, type VerifierState } from './verifier-state.ts';
import {
  entryView,
  fakeApi,
  ORIGIN,
  syntheticLedger,
  type FakeApiState,
} from './synthetic-ledger.fixture.ts';

const ledger = syntheticLedger(5, 12);
const SIZE = 60;
const intact = (): EntryView[] => ledger.canonical.map((bytes, index) => entryView(index, bytes));

function run(state: Partial<FakeApiState> = {}, saved?: VerifierState) {
  const api: FakeApiState = { signedLeaves: ledger.leafHashes, size: SIZE, entries: intact(), ...state };
  return verifyLedger({
    client: new LedgerClient({ baseUrl: 'http://ledger.test', token: 't', fetch: fakeApi(ledger, api) }),
    verifierKey: ledger.verifierKey,
    pageSize: 7,
    ...(saved ? { saved } : {}),
  });
}

function forged(index: number): Uint8Array {
  return canonicalBytes({
    ...ledger.records[index]!,
    details: { normalized: 'truncate audit', fingerprint: 'z' },
  });
}

describe('verify ledger (live)', () => {
  it('ledger-verify - an untouched ledger verifies and yields a state to save', async () => {
    const progress: number[] = [];
    const { report, state } = await verifyLedger({
      client: new LedgerClient({
        baseUrl: 'http://ledger.test',
        token: 't',
        fetch: fakeApi(ledger, { signedLeaves: ledger.leafHashes, size: SIZE, entries: intact() }),
      }),
      verifierKey: ledger.verifierKey,
      pageSize: 25,
      onProgress: ({ done }) => progress.push(done),
    });
    expect(report).toMatchObject({
      ok: true,
      size: SIZE,
      entries: SIZE,
      sessions: { sessions: 5, closed: 5 },
    });
    expect(progress).toEqual([25, 50, 60]);
    expect(state).toMatchObject({
      format: VERIFIER_STATE_FORMAT,
      origin: ORIGIN,
      size: SIZE,
      root: report.root,
    });
  });

  it('ledger-verify - a record changed together with its stored leaf hash is located by proofs', async () => {
    const entries = intact();
    entries[23] = entryView(23, forged(23));
    const { report, state } = await run({ entries });
    expect(state).toBeNull();
    expect(report.firstBadIndex).toBe(23);
    expect(report.problems).toContainEqual(expect.objectContaining({ kind: 'not-in-signed-log', index: 23 }));
  });

  it('ledger-verify - a record changed without its stored leaf hash is named directly', async () => {
    const entries = intact();
    entries[40] = entryView(40, forged(40), ledger.leafHashes[40]);
    const { report } = await run({ entries });
    expect(report.firstBadIndex).toBe(40);
    expect(report.problems[0]).toMatchObject({ kind: 'leaf-hash-mismatch', index: 40 });
  });

  it('ledger-verify - a deleted row is named by its index', async () => {
    const entries = intact().filter((entry) => entry.index !== 31);
    const { report } = await run({ entries });
    expect(report.firstBadIndex).toBe(31);
    expect(report.problems[0]).toMatchObject({ kind: 'missing-entry', index: 31 });
  });

  it('ledger-verify - a deleted last row is named by its index', async () => {
    const { report } = await run({ entries: intact().slice(0, SIZE - 1) });
    expect(report.firstBadIndex).toBe(SIZE - 1);
  });

  it('ledger-verify - a row inserted by shifting the later ones is named by its index', async () => {
    const shifted = intact().map((entry) =>
      entry.index >= 17 ? { ...entry, index: entry.index + 1 } : entry,
    );
    shifted.splice(17, 0, entryView(17, forged(17)));
    const { report } = await run({ entries: shifted });
    expect(report.firstBadIndex).toBe(17);
  });

  it('ledger-verify - two swapped rows are named by the first', async () => {
    const entries = intact();
    entries[12] = { ...entryView(44, ledger.canonical[44]!), index: 12 };
    entries[44] = { ...entryView(12, ledger.canonical[12]!), index: 44 };
    const { report } = await run({ entries });
    expect(report.firstBadIndex).toBe(12);
    expect(report.problems[0]).toMatchObject({ kind: 'not-in-signed-log', index: 12 });
  });

  it('ledger-verify - a checkpoint not signed by the pinned key fails before reading entries', async () => {
    const other = parseSignerKey(generateNoteKeys(ORIGIN).signerKey);
    const { report, state } = await run({ signer: other });
    expect(state).toBeNull();
    expect(report.problems.map((p) => p.kind)).toEqual(['bad-signature']);
  });

  it('ledger-verify - a saved checkpoint the new one extends passes; a shrunk or rewritten log does not', async () => {
    const first = await run({
      size: 30,
      signedLeaves: ledger.leafHashes.slice(0, 30),
      entries: intact().slice(0, 30),
    });
    expect(first.report.ok).toBe(true);
    const saved = first.state as VerifierState;
    expect((await run({}, saved)).report.ok).toBe(true);

    const shrunk = await run(
      { size: 20, signedLeaves: ledger.leafHashes.slice(0, 20), entries: intact().slice(0, 20) },
      saved,
    );
    expect(shrunk.report.problems.map((p) => p.kind)).toEqual(['inconsistent-checkpoint']);

    // The operator rewrote entry 5 and re-signed everything: the signature holds, the history does not.
    const rewrittenLeaves = [...ledger.leafHashes];
    rewrittenLeaves[5] = hashLeaf(forged(5));
    const entries = intact();
    entries[5] = entryView(5, forged(5));
    const rewritten = await run({ signedLeaves: rewrittenLeaves, entries }, saved);
    expect(rewritten.report.problems.map((p) => p.kind)).toContain('inconsistent-checkpoint');
  });
});
