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

/** The tree head: one row, rewritten in the same transaction as each appended batch. */
export interface LedgerHeadTable {
  id: boolean;
  size: string;
  root: Buffer;
  updated_at: Date;
}

/** The ledger's tables (bigint columns arrive as strings from pg). */
export interface LedgerDatabase {
  ledger_entries: LedgerEntryTable;
  ledger_nodes: LedgerNodeTable;
  ledger_head: LedgerHeadTable;
}
