// Test fixture: an in-memory ledger of real evidence records (built with SessionEvidence, as the
// edges build them), its signed checkpoint, an export bundle of it, and a fake auditor API.
import type { EvidenceRecord } from '@gatehouse/contracts';
import { canonicalBytes, SessionEvidence } from '@gatehouse/evidence';
import {
  checkpointJws,
  consistencyProof,
  generateNoteKeys,
  hashLeaf,
  inclusionProof,
  parseSignerKey,
  rootOf,
  signCheckpoint,
  type Hash,
  type NoteSigner,
} from '@gatehouse/merkle';
import { formatBundleLine, EXPORT_BUNDLE_FORMAT, type BundleLine } from './export-bundle.ts';
import type { CheckpointView, EntryView } from './ledger-api.ts';
import type { FetchFunction } from './ledger-client.ts';

export const ORIGIN = 'gatehouse.test/ledger';
export const BASE_TIME = Date.parse('2026-01-01T00:00:00.000Z');

/** A ledger held in memory. */
export interface SyntheticLedger {
  readonly records: EvidenceRecord[];
  readonly canonical: Uint8Array[];
  readonly leafHashes: Hash[];
  readonly signer: NoteSigner;
  readonly verifierKey: string;
}

/** Time of the record at `index`: one second apart, so a time range selects an index range. */
export function timeAt(index: number): string {
  return new Date(BASE_TIME + index * 1000).toISOString();
}

/**
 * `sessions` sessions of `perSession` records each (opened, statements, closed with chain head
 * and count like edge-postgres writes), interleaved round-robin in log order.
 */
export function syntheticLedger(sessions: number, perSession: number): SyntheticLedger {
  const builders = Array.from(
    { length: sessions },
    (_, s) =>
      new SessionEvidence(
        `session-${s}`,
        { name: 'demo', kind: 'postgres' },
        {
          sub: `user-${s}`,
          groups: ['pipelines'],
          issuer: 'http://issuer.test',
          tokenId: `token-${s}`,
        },
      ),
  );
  const records: EvidenceRecord[] = [];
  for (let step = 0; step < perSession; step++) {
    for (const builder of builders) {
      const time = new Date(BASE_TIME + records.length * 1000);
      const record =
        step === 0
          ? builder.next('session_opened', { clientAddress: '127.0.0.1' }, time)
          : step === perSession - 1
            ? builder.next(
                'session_closed',
                { reason: 'client', chainHead: builder.head, recordCount: builder.count + 1 },
                time,
              )
            : builder.next(
                'statement',
                { normalized: `select $1 -- ${step}`, fingerprint: `fp${step}` },
                time,
              );
      records.push(record);
    }
  }
  const canonical = records.map((record) => canonicalBytes(record));
  const keys = generateNoteKeys(ORIGIN);
  return {
    records,
    canonical,
    leafHashes: canonical.map((bytes) => hashLeaf(bytes)),
    signer: parseSignerKey(keys.signerKey),
    verifierKey: keys.verifierKey,
  };
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** The signed checkpoint of the first `size` leaves. */
export async function checkpointView(
  ledger: SyntheticLedger,
  size: number,
  signer = ledger.signer,
): Promise<CheckpointView> {
  const checkpoint = { origin: ORIGIN, size, root: rootOf(ledger.leafHashes.slice(0, size)) };
  return {
    origin: ORIGIN,
    size,
    root: hex(checkpoint.root),
    note: signCheckpoint(checkpoint, signer),
    jws: await checkpointJws(checkpoint, signer.privateKey),
    signedAt: new Date(BASE_TIME).toISOString(),
  };
}

/** Entry of the auditor API for `canonical` bytes at `index`. */
export function entryView(
  index: number,
  canonical: Uint8Array,
  leafHash: Hash = hashLeaf(canonical),
): EntryView {
  const record = JSON.parse(Buffer.from(canonical).toString('utf8')) as EvidenceRecord;
  return {
    index,
    recordId: record.id,
    leafHash: hex(leafHash),
    kind: record.kind,
    sessionId: record.session.id,
    sessionSeq: record.session.seq,
    time: record.time,
    record,
    canonical: Buffer.from(canonical).toString('base64'),
  };
}

/**
 * Bundle lines for entries `[start, end)` proven to the checkpoint of `size`, with fences, as the
 * ledger's export writes them. `from`/`to` default to the times of `start` and `end`.
 */
export async function bundleLines(
  ledger: SyntheticLedger,
  start: number,
  end: number,
  size: number,
): Promise<string[]> {
  const checkpoint = await checkpointView(ledger, size);
  const proven = (index: number) => ({
    index,
    leafHash: hex(ledger.leafHashes[index] as Hash),
    canonical: Buffer.from(ledger.canonical[index] as Uint8Array).toString('utf8'),
    proof: inclusionProof(ledger.leafHashes, index, size).map(hex),
  });
  const lines: BundleLine[] = [
    {
      type: 'header',
      format: EXPORT_BUNDLE_FORMAT,
      requested: { from: timeAt(start), to: timeAt(end) },
      range: { start, end },
      checkpoint,
      keys: { origin: ORIGIN, noteVerifierKey: ledger.verifierKey, jwks: { keys: [] } },
      generatedAt: timeAt(size),
    },
    { type: 'readme', text: 'test bundle' },
  ];
  if (start > 0) lines.push({ type: 'fence', side: 'before', ...proven(start - 1) });
  for (let index = start; index < end; index++) lines.push({ type: 'entry', ...proven(index) });
  if (end < size) lines.push({ type: 'fence', side: 'after', ...proven(end) });
  lines.push({ type: 'end', entries: end - start });
  return lines.map((line) => formatBundleLine(line).slice(0, -1));
}

/** What the fake API serves: entries as stored (possibly tampered), proofs from the signed tree. */
export interface FakeApiState {
  /** Leaves of the signed tree (the untouched node store). */
  signedLeaves: Hash[];
  /** Checkpoint size served by /v1/checkpoint. */
  size: number;
  /** Entries as the entries table now holds them, in index order. */
  entries: EntryView[];
  signer?: NoteSigner;
}

/** A fetch that answers the auditor API routes the verifier uses, from `state`. */
export function fakeApi(ledger: SyntheticLedger, state: FakeApiState): FetchFunction {
  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  return async (url) => {
    const { pathname, searchParams } = new URL(url);
    const number = (name: string) => Number(searchParams.get(name));
    const leaves = state.signedLeaves;
    if (pathname === '/v1/checkpoint') {
      const checkpoint = { origin: ORIGIN, size: state.size, root: rootOf(leaves.slice(0, state.size)) };
      const signer = state.signer ?? ledger.signer;
      return json({
        origin: ORIGIN,
        size: state.size,
        root: hex(checkpoint.root),
        note: signCheckpoint(checkpoint, signer),
        jws: await checkpointJws(checkpoint, signer.privateKey),
        signedAt: timeAt(0),
      });
    }
    if (pathname === '/v1/entries') {
      const [start, end] = [number('start'), number('end')];
      return json({
        size: state.size,
        entries: state.entries.filter((e) => e.index >= start && e.index < end),
      });
    }
    if (pathname === '/v1/proof/consistency') {
      const [from, to] = [number('from'), number('to')];
      if (!(from >= 1 && from <= to && to <= leaves.length)) return json({ message: 'bad sizes' }, 400);
      return json({
        from,
        to,
        proof: consistencyProof(leaves, from, to).map(hex),
        fromRoot: hex(rootOf(leaves.slice(0, from))),
        toRoot: hex(rootOf(leaves.slice(0, to))),
      });
    }
    if (pathname === '/v1/proof/inclusion') {
      const [index, size] = [number('index'), number('size')];
      return json({
        index,
        size,
        leafHash: hex(leaves[index] as Hash),
        proof: inclusionProof(leaves, index, size).map(hex),
        root: hex(rootOf(leaves.slice(0, size))),
        checkpoint: null,
      });
    }
    return json({ message: 'not found' }, 404);
  };
}
