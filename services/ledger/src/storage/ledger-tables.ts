import type { Generated } from 'kysely';

/** One appended evidence record: the exact canonical bytes that were hashed, and its leaf hash. */
export interface LedgerEntryTable {
  idx: string;
  record_id: string;
  leaf_hash: Buffer;
  record: Buffer;
  kind: string;
  session_id: string;
  session_seq: number;
  session_prev: string | null;
  time: Date;
  appended_at: Generated<Date>;
}

/** A completed subtree of the Merkle tree (level 0 = leaves), so proofs need O(log n) reads. */
export interface LedgerNodeTable {
  level: number;
  idx: string;
  hash: Buffer;
}

/**
 * Tree heads, one row per committed batch (append-only like everything else: the service has no
 * UPDATE privilege). The current head is the row with the largest size.
 */
export interface LedgerHeadTable {
  size: string;
  root: Buffer;
  committed_at: Generated<Date>;
}

/** Every signed checkpoint: the note, its JWS twin, and what they commit to. */
export interface LedgerCheckpointTable {
  size: string;
  root: Buffer;
  note: string;
  jws: string;
  signed_at: Date;
}

/** The ledger's tables (bigint columns arrive as strings from pg). */
export interface LedgerDatabase {
  ledger_entries: LedgerEntryTable;
  ledger_nodes: LedgerNodeTable;
  ledger_heads: LedgerHeadTable;
  ledger_checkpoints: LedgerCheckpointTable;
}
