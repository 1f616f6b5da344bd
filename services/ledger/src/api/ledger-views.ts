import type { CheckpointView, EntryView } from '@gatehouse/ledger-verify';
import type { CheckpointRow, EntryRow } from '../storage/ledger-reader.ts';

/** Lowercase hex of a hash. */
export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** An entry row as the auditor API shows it. */
export function entryView(row: EntryRow): EntryView {
  let record: unknown = null;
  try {
    record = JSON.parse(row.record.toString('utf8'));
  } catch {
    // Bytes that are not JSON were not written by the ledger; `canonical` still shows them.
  }
  return {
    index: Number(row.idx),
    recordId: row.record_id,
    leafHash: hex(row.leaf_hash),
    kind: row.kind,
    sessionId: row.session_id,
    sessionSeq: row.session_seq,
    time: row.time.toISOString(),
    record,
    canonical: row.record.toString('base64'),
  };
}

/** A checkpoint row as the auditor API shows it. */
export function checkpointView(row: CheckpointRow, origin: string): CheckpointView {
  return {
    origin,
    size: Number(row.size),
    root: hex(row.root),
    note: row.note,
    jws: row.jws,
    signedAt: row.signed_at.toISOString(),
  };
}
