import { sql, type Kysely } from 'kysely';
import type { EvidenceRecord } from '@gatehouse/contracts';
import { canonicalBytes } from '@gatehouse/evidence';
import { hashLeaf, type CompactRange, type Hash } from '@gatehouse/merkle';
import type { LedgerDatabase } from '../storage/ledger-tables.ts';
import { readHead, readRange } from '../storage/tree-store.ts';

/** Transaction-scoped advisory lock serialising appends ("ghla" as an int). */
const APPEND_LOCK_KEY = 0x67686c61;

/** What one `append` did. */
export interface AppendResult {
  /** Records stored by this call (duplicates of stored records are skipped). */
  appended: number;
  /** Tree size and root after the call. */
  size: number;
  root: Hash;
  /** Whether the stored head had moved past the in-memory one (see `append`). */
  resynced: boolean;
}

// SQLSTATE 23505 on the record_id unique index.
function isDuplicateRecord(error: unknown): boolean {
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  return code === '23505' && constraint === 'ledger_entries_record_id_key';
}

/** A record with its canonical bytes and leaf hash, computed once, outside any transaction. */
export interface PreparedRecord {
  readonly record: EvidenceRecord;
  /** RFC 8785 canonical bytes: what is stored and hashed. */
  readonly bytes: Uint8Array;
  /** RFC 9162 leaf hash of `bytes`. */
  readonly leafHash: Hash;
}

/** Canonicalises and hashes a record (CPU work the consumer does while a transaction runs). */
export function prepareRecord(record: EvidenceRecord): PreparedRecord {
  const bytes = canonicalBytes(record);
  return { record, bytes, leafHash: hashLeaf(bytes) };
}

/**
 * Appends batches of records to the Merkle log. One transaction per batch writes the entries,
 * the completed-subtree nodes and a new head row; the in-memory compact range advances only
 * after the commit, so a failed batch leaves memory as it was and the batch can be retried
 * whole.
 *
 * The transaction first takes an advisory lock and reads the stored head. If the head is not
 * where memory says (a commit whose acknowledgement was lost, or another writer), it rebuilds
 * the range from the stored frontier before assigning indices. A record already stored (by id)
 * makes the unique index refuse the batch, which then runs again skipping stored records inside
 * the same locked transaction. So a crash or retry at any point can neither leave a gap nor
 * store a record twice.
 */
export class BatchAppender {
  private constructor(
    private readonly db: Kysely<LedgerDatabase>,
    private range: CompactRange,
  ) {}

  /** Resumes from the stored head and its frontier nodes. */
  static async resume(db: Kysely<LedgerDatabase>): Promise<BatchAppender> {
    return new BatchAppender(db, await readRange(db, await readHead(db)));
  }

  /** Leaves appended so far (as of the last commit this appender saw). */
  get size(): number {
    return this.range.size;
  }

  /** Root of the tree as of the last commit this appender saw. */
  root(): Hash {
    return this.range.root();
  }

  /** Appends the records not stored yet, in order. */
  append(records: readonly EvidenceRecord[]): Promise<AppendResult> {
    return this.appendPrepared(records.map(prepareRecord));
  }

  /** Appends prepared records not stored yet, in order (a record id repeated in the batch counts once). */
  async appendPrepared(batch: readonly PreparedRecord[]): Promise<AppendResult> {
    const prepared: PreparedRecord[] = [];
    const ids = new Set<string>();
    for (const entry of batch) {
      if (ids.has(entry.record.id)) continue;
      ids.add(entry.record.id);
      prepared.push(entry);
    }
    const transaction = (dedupe: boolean) =>
      this.db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(${APPEND_LOCK_KEY})`.execute(trx);
        const head = await readHead(trx);
        const resynced = head.size !== this.range.size;
        const base = resynced ? await readRange(trx, head) : this.range;
        if (prepared.length === 0) return { next: base, appended: 0, resynced };
        const stored = new Set<string>();
        if (dedupe) {
          const { rows } = await sql<{ record_id: string }>`
          select record_id from ledger_entries where record_id = any(${[...ids]}::text[])`.execute(trx);
          for (const row of rows) stored.add(row.record_id);
        }
        const next = base.clone();
        const entries = {
          idx: [] as number[],
          recordId: [] as string[],
          leafHash: [] as Uint8Array[],
          record: [] as Uint8Array[],
          kind: [] as string[],
          sessionId: [] as string[],
          sessionSeq: [] as number[],
          sessionPrev: [] as (string | null)[],
          time: [] as string[],
        };
        const nodes = { level: [] as number[], idx: [] as number[], hash: [] as Uint8Array[] };
        for (const { record, bytes, leafHash } of prepared) {
          if (stored.has(record.id)) continue;
          entries.idx.push(next.size);
          entries.recordId.push(record.id);
          entries.leafHash.push(leafHash);
          entries.record.push(bytes);
          entries.kind.push(record.kind);
          entries.sessionId.push(record.session.id);
          entries.sessionSeq.push(record.session.seq);
          entries.sessionPrev.push(record.session.prev);
          entries.time.push(record.time);
          for (const node of next.append(leafHash)) {
            nodes.level.push(node.level);
            nodes.idx.push(node.index);
            nodes.hash.push(node.hash);
          }
        }
        if (entries.idx.length === 0) return { next: base, appended: 0, resynced };
        // One statement for all three tables, whatever the batch size: arrays travel as single
        // parameters, and the data-modifying CTEs succeed or fail together.
        await sql`
          with entries as (
            insert into ledger_entries (idx, record_id, leaf_hash, record, kind, session_id, session_seq, session_prev, time)
            select * from unnest(
              ${entries.idx}::bigint[], ${entries.recordId}::text[], ${entries.leafHash}::bytea[], ${entries.record}::bytea[],
              ${entries.kind}::text[], ${entries.sessionId}::text[], ${entries.sessionSeq}::integer[],
              ${entries.sessionPrev}::text[], ${entries.time}::timestamptz[])
          ), nodes as (
            insert into ledger_nodes (level, idx, hash)
            select * from unnest(${nodes.level}::smallint[], ${nodes.idx}::bigint[], ${nodes.hash}::bytea[])
          )
          insert into ledger_heads (size, root) values (${String(next.size)}::bigint, ${Buffer.from(next.root())})`.execute(
          trx,
        );
        return { next, appended: entries.idx.length, resynced };
      });
    // Optimistic: a record is rarely stored already (only after a redelivery), so try without
    // looking; the unique record_id index refuses a duplicate and the batch runs again, skipping
    // what is stored.
    let outcome: Awaited<ReturnType<typeof transaction>>;
    try {
      outcome = await transaction(false);
    } catch (error) {
      if (!isDuplicateRecord(error)) throw error;
      outcome = await transaction(true);
    }
    this.range = outcome.next;
    return {
      appended: outcome.appended,
      size: outcome.next.size,
      root: outcome.next.root(),
      resynced: outcome.resynced,
    };
  }
}
