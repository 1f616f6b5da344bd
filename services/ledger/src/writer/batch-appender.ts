import { sql, type Kysely } from 'kysely';
import type { EvidenceRecord } from '@gatehouse/contracts';
import { canonicalBytes } from '@gatehouse/evidence';
import { hashLeaf, type CompactRange, type Hash } from '@gatehouse/merkle';
import type { LedgerDatabase } from '../storage/ledger-tables.ts';
import { readHead, readRange } from '../storage/tree-store.ts';

/** Transaction-scoped advisory lock serialising the appends that resync ("ghla" as an int). */
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

// SQLSTATE 23505: a unique index (record id, entry index, node or head position) refused a row.
function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown }).code === '23505';
}

/** Another writer appended while this one held the append lock; the batch is to be retried. */
export class AppendConflictError extends Error {
  override readonly name = 'AppendConflictError';
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

/** The rows one append writes, built from the compact range it starts at. */
interface AppendRows {
  /** The range before (what the stored head must be) and after the append. */
  base: CompactRange;
  next: CompactRange;
  entries: {
    idx: number[];
    recordId: string[];
    leafHash: Uint8Array[];
    record: Uint8Array[];
    /** 1-based offset of each record in the concatenated records (SQL substring). */
    offset: number[];
    length: number[];
    kind: string[];
    sessionId: string[];
    sessionSeq: number[];
    sessionPrev: (string | null)[];
    time: string[];
  };
  nodes: { level: number[]; idx: number[]; hash: Uint8Array[] };
}

function appendRows(
  base: CompactRange,
  prepared: readonly PreparedRecord[],
  stored: ReadonlySet<string>,
): AppendRows {
  const next = base.clone();
  const rows: AppendRows = {
    base,
    next,
    entries: {
      idx: [],
      recordId: [],
      leafHash: [],
      record: [],
      offset: [],
      length: [],
      kind: [],
      sessionId: [],
      sessionSeq: [],
      sessionPrev: [],
      time: [],
    },
    nodes: { level: [], idx: [], hash: [] },
  };
  const { entries, nodes } = rows;
  let offset = 1;
  for (const { record, bytes, leafHash } of prepared) {
    if (stored.has(record.id)) continue;
    entries.idx.push(next.size);
    entries.recordId.push(record.id);
    entries.leafHash.push(leafHash);
    entries.record.push(bytes);
    entries.offset.push(offset);
    entries.length.push(bytes.length);
    offset += bytes.length;
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
  return rows;
}

/**
 * Writes entries, nodes and the new head in one statement, whatever the batch size: arrays
 * travel as single parameters, and the data-modifying CTEs succeed or fail together. Bytes travel
 * concatenated, one binary parameter each, cut apart by the server (node-postgres would send an
 * array of buffers as hex text, twice the size, encoded and parsed item by item). Nothing is
 * written unless the stored head is still `rows.base`; resolves to whether it was.
 */
async function insertRows(executor: Kysely<LedgerDatabase>, rows: AppendRows): Promise<boolean> {
  const { base, next, entries, nodes } = rows;
  const { rows: written } = await sql<{ size: string }>`
    with expected as (
      select where coalesce((select max(size) from ledger_heads), 0) = ${String(base.size)}::bigint
    ), entries as (
      insert into ledger_entries (idx, record_id, leaf_hash, record, kind, session_id, session_seq, session_prev, time)
      select idx, record_id, substring(${Buffer.concat(entries.leafHash)}::bytea from n::int * 32 - 31 for 32),
        substring(${Buffer.concat(entries.record)}::bytea from record_offset for record_length),
        kind, session_id, session_seq, session_prev, time
      from unnest(
        ${entries.idx}::bigint[], ${entries.recordId}::text[], ${entries.offset}::integer[], ${entries.length}::integer[],
        ${entries.kind}::text[], ${entries.sessionId}::text[], ${entries.sessionSeq}::integer[],
        ${entries.sessionPrev}::text[], ${entries.time}::timestamptz[])
        with ordinality as e(idx, record_id, record_offset, record_length, kind, session_id, session_seq, session_prev, time, n)
      where exists (select from expected)
    ), nodes as (
      insert into ledger_nodes (level, idx, hash)
      select level, idx, substring(${Buffer.concat(nodes.hash)}::bytea from n::int * 32 - 31 for 32)
      from unnest(${nodes.level}::smallint[], ${nodes.idx}::bigint[]) with ordinality as m(level, idx, n)
      where exists (select from expected)
    )
    insert into ledger_heads (size, root)
    select ${String(next.size)}::bigint, ${Buffer.from(next.root())} from expected
    returning size`.execute(executor);
  return written.length === 1;
}

/**
 * Appends batches of records to the Merkle log. One append writes the entries, the
 * completed-subtree nodes and a new head row atomically; the in-memory compact range advances
 * only after the commit, so a failed batch leaves memory as it was and the batch can be retried
 * whole.
 *
 * Usually that is a single statement, committed on its own (one round trip): it writes only if
 * the stored head is where memory says, and the unique indexes on entry index, node position,
 * head size and record id refuse anything a concurrent or earlier commit already holds. When it
 * wrote nothing or was refused (a commit whose acknowledgement was lost, another writer, a record
 * stored already after a redelivery), the batch runs again in a transaction that takes an
 * advisory lock, reads the stored head, rebuilds the range from the stored frontier if the head
 * moved, and skips records already stored. So a crash or retry at any point can neither leave a
 * gap nor store a record twice.
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
    if (prepared.length > 0) {
      // Optimistic: the head is rarely elsewhere and a record rarely stored already (only after
      // a redelivery), so try without locking or looking.
      const rows = appendRows(this.range, prepared, new Set());
      try {
        if (await insertRows(this.db, rows)) return this.#advance(rows.next, prepared.length, false);
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
    }
    const outcome = await this.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${APPEND_LOCK_KEY})`.execute(trx);
      const head = await readHead(trx);
      const resynced = head.size !== this.range.size;
      const base = resynced ? await readRange(trx, head) : this.range;
      if (prepared.length === 0) return { next: base, appended: 0, resynced };
      const { rows: found } = await sql<{ record_id: string }>`
        select record_id from ledger_entries where record_id = any(${[...ids]}::text[])`.execute(trx);
      const rows = appendRows(base, prepared, new Set(found.map((row) => row.record_id)));
      if (rows.entries.idx.length === 0) return { next: base, appended: 0, resynced };
      // Only another writer's optimistic append, which takes no lock, can move the head now.
      if (!(await insertRows(trx, rows))) {
        throw new AppendConflictError('another writer appended meanwhile; retry the batch');
      }
      return { next: rows.next, appended: rows.entries.idx.length, resynced };
    });
    return this.#advance(outcome.next, outcome.appended, outcome.resynced);
  }

  #advance(next: CompactRange, appended: number, resynced: boolean): AppendResult {
    this.range = next;
    return { appended, size: next.size, root: next.root(), resynced };
  }
}
