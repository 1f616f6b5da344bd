import type { CheckpointView, KeysView } from './ledger-api.ts';

// The evidence export (GET /v1/export): JSON Lines, one object per line, in this order:
//   header, readme, [fence before], entry..., [fence after], end
// Every entry and fence carries its exact canonical record text and an RFC 9162 inclusion proof
// to the checkpoint in the header, so the bundle verifies offline with nothing but the pinned key.

/** Format id in the header line. */
export const EXPORT_BUNDLE_FORMAT = 'gatehouse.ledger.export.v1';

/** Media type of the bundle (JSON Lines). */
export const EXPORT_BUNDLE_MEDIA_TYPE = 'application/jsonl';

/** First line: what the bundle covers and what it is proven against. */
export interface BundleHeader {
  readonly type: 'header';
  readonly format: typeof EXPORT_BUNDLE_FORMAT;
  /** The time range asked for, RFC 3339, `from` inclusive, `to` exclusive. */
  readonly requested: { readonly from: string; readonly to: string };
  /**
   * Log indices `[start, end)` of the entries: from the first to the last entry whose time is in
   * the requested range, plus any entry between them (times are not strictly increasing).
   */
  readonly range: { readonly start: number; readonly end: number };
  /** The signed checkpoint every proof leads to. */
  readonly checkpoint: CheckpointView;
  /** The ledger's published keys (pin your own copy; do not trust these blindly). */
  readonly keys: KeysView;
  /** When the bundle was made, RFC 3339. */
  readonly generatedAt: string;
}

/** Second line: the README (what each record kind evidences, how to verify). */
export interface BundleReadme {
  readonly type: 'readme';
  readonly text: string;
}

/** An entry: the record text exactly as hashed, and its inclusion proof. */
export interface BundleEntry {
  readonly type: 'entry';
  readonly index: number;
  /** RFC 9162 leaf hash, hex. */
  readonly leafHash: string;
  /** The canonical record JSON (RFC 8785) whose UTF-8 bytes are the leaf. */
  readonly canonical: string;
  /** Inclusion proof to the header's checkpoint, hex, leaf to root. */
  readonly proof: readonly string[];
}

/**
 * The log entry just outside the range, proven like an entry; its time lies outside the
 * requested range, which shows no in-range entry was cut off at that end.
 */
export interface BundleFence extends Omit<BundleEntry, 'type'> {
  readonly type: 'fence';
  readonly side: 'before' | 'after';
}

/** Last line: how many entries the bundle holds (a missing end line means it was truncated). */
export interface BundleEnd {
  readonly type: 'end';
  readonly entries: number;
}

/** Any line of a bundle. */
export type BundleLine = BundleHeader | BundleReadme | BundleEntry | BundleFence | BundleEnd;

/** One bundle line as text, newline included. */
export function formatBundleLine(line: BundleLine): string {
  return `${JSON.stringify(line)}\n`;
}
