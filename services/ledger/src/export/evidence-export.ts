import {
  EXPORT_BUNDLE_FORMAT,
  formatBundleLine,
  type BundleLine,
  type CheckpointView,
  type KeysView,
} from '@gatehouse/ledger-verify';
import { hex } from '../api/ledger-views.ts';
import type { LedgerReader, ProvenEntry } from '../storage/ledger-reader.ts';
import { evidenceReadme } from './evidence-readme.ts';

/** Entries read (with their proofs) per query while streaming a bundle. */
const PAGE = 500;

/** What one export covers. */
export interface ExportRequest {
  from: Date;
  to: Date;
  checkpoint: CheckpointView;
  keys: KeysView;
}

function proven({ row, proof }: ProvenEntry) {
  return {
    index: Number(row.idx),
    leafHash: hex(row.leaf_hash),
    canonical: row.record.toString('utf8'),
    proof: proof.map(hex),
  };
}

/**
 * Streams an evidence bundle (see `export-bundle.ts` of @gatehouse/ledger-verify) line by
 * line, reading entries and their proofs a page at a time so memory stays flat for any range.
 * Everything is proven to `checkpoint`; entries newer than it are not included.
 */
export async function* evidenceBundle(reader: LedgerReader, request: ExportRequest): AsyncGenerator<string> {
  const { checkpoint, keys } = request;
  const size = checkpoint.size;
  const { start, end } = await reader.timeRange(request.from, request.to, size);
  const requested = { from: request.from.toISOString(), to: request.to.toISOString() };
  const line = (value: BundleLine) => formatBundleLine(value);
  yield line({
    type: 'header',
    format: EXPORT_BUNDLE_FORMAT,
    requested,
    range: { start, end },
    checkpoint,
    keys,
    generatedAt: new Date().toISOString(),
  });
  yield line({
    type: 'readme',
    text: evidenceReadme({
      origin: checkpoint.origin,
      ...requested,
      start,
      end,
      checkpointSize: size,
      verifierKey: keys.noteVerifierKey,
    }),
  });
  if (end === start) {
    yield line({ type: 'end', entries: 0 });
    return;
  }
  if (start > 0) {
    const [before] = await reader.provenEntries(start - 1, start, size);
    if (before) yield line({ type: 'fence', side: 'before', ...proven(before) });
  }
  let count = 0;
  for (let page = start; page < end; page += PAGE) {
    for (const entry of await reader.provenEntries(page, Math.min(page + PAGE, end), size)) {
      count += 1;
      yield line({ type: 'entry', ...proven(entry) });
    }
  }
  if (end < size) {
    const [after] = await reader.provenEntries(end, end + 1, size);
    if (after) yield line({ type: 'fence', side: 'after', ...proven(after) });
  }
  yield line({ type: 'end', entries: count });
}
