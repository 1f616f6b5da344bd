import type { Kysely, Selectable } from 'kysely';
import {
  assembleProof,
  consistencyProofFromNodes,
  inclusionProofFromNodes,
  inclusionProofPlan,
  rootPlan,
  type Hash,
  type NodeCoordinate,
} from '@gatehouse/merkle';
import type { LedgerCheckpointTable, LedgerDatabase, LedgerEntryTable } from './ledger-tables.ts';
import { readHead, readNodes, type TreeHead } from './tree-store.ts';

/** A stored entry row. */
export type EntryRow = Selectable<LedgerEntryTable>;

/** A stored checkpoint row. */
export type CheckpointRow = Selectable<LedgerCheckpointTable>;

/** An entry row with its inclusion proof. */
export interface ProvenEntry {
  row: EntryRow;
  proof: Hash[];
}

/**
 * Read queries of the auditor API. Entries and nodes below the tree head never change, so reads
 * need no transaction: a proof for a size at or below the head is consistent whenever it is read.
 */
export class LedgerReader {
  constructor(private readonly db: Kysely<LedgerDatabase>) {}

  /** The committed tree head. */
  head(): Promise<TreeHead> {
    return readHead(this.db);
  }

  /** The newest signed checkpoint. */
  latestCheckpoint(): Promise<CheckpointRow | undefined> {
    return this.db
      .selectFrom('ledger_checkpoints')
      .selectAll()
      .orderBy('size', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  /** The checkpoint signed at exactly `size`. */
  checkpointAt(size: number): Promise<CheckpointRow | undefined> {
    return this.db
      .selectFrom('ledger_checkpoints')
      .selectAll()
      .where('size', '=', String(size))
      .executeTakeFirst();
  }

  /** Entries `[start, end)` in index order. */
  entries(start: number, end: number): Promise<EntryRow[]> {
    return this.db
      .selectFrom('ledger_entries')
      .selectAll()
      .where('idx', '>=', String(start))
      .where('idx', '<', String(end))
      .orderBy('idx')
      .execute();
  }

  /** The entry at `index`. */
  entry(index: number): Promise<EntryRow | undefined> {
    return this.db
      .selectFrom('ledger_entries')
      .selectAll()
      .where('idx', '=', String(index))
      .executeTakeFirst();
  }

  /** Lowest index of an entry with this leaf hash. */
  async indexOfLeafHash(leafHash: Uint8Array): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('ledger_entries')
      .select('idx')
      .where('leaf_hash', '=', Buffer.from(leafHash))
      .orderBy('idx')
      .limit(1)
      .executeTakeFirst();
    return row ? Number(row.idx) : undefined;
  }

  /** Up to `limit` records of one session, in session order. */
  session(sessionId: string, limit: number): Promise<EntryRow[]> {
    return this.db
      .selectFrom('ledger_entries')
      .selectAll()
      .where('session_id', '=', sessionId)
      .orderBy('session_seq')
      .orderBy('idx')
      .limit(limit)
      .execute();
  }

  /** The leaf hash at `index` as the node store holds it (what proofs start from). */
  async leafHash(index: number): Promise<Hash | undefined> {
    const [hash] = await readNodes(this.db, [{ level: 0, index }]);
    return hash;
  }

  /** Inclusion proof of leaf `index` in the tree of `size` leaves. */
  inclusionProof(index: number, size: number): Promise<Hash[]> {
    return inclusionProofFromNodes(index, size, (nodes) => readNodes(this.db, nodes));
  }

  /** Consistency proof from size `from` to size `to`. */
  consistencyProof(from: number, to: number): Promise<Hash[]> {
    return consistencyProofFromNodes(from, to, (nodes) => readNodes(this.db, nodes));
  }

  /** Root of the tree of `size` leaves, from its frontier nodes. */
  async rootAt(size: number): Promise<Hash> {
    const plan = rootPlan(size);
    const hashes = await readNodes(this.db, plan.nodes);
    const found = new Map(plan.nodes.map((node, i) => [`${node.level}:${node.index}`, hashes[i]]));
    return assembleProof(plan, (level, index) => found.get(`${level}:${index}`))[0] as Hash;
  }

  /**
   * Index range `[start, end)` spanning every entry below `size` whose time lies in `[from, to)`:
   * from the first such entry to the last (entries between them are included whatever their time).
   */
  async timeRange(from: Date, to: Date, size: number): Promise<{ start: number; end: number }> {
    const row = await this.db
      .selectFrom('ledger_entries')
      .select((eb) => [eb.fn.min('idx').as('first'), eb.fn.max('idx').as('last')])
      .where('time', '>=', from)
      .where('time', '<', to)
      .where('idx', '<', String(size))
      .executeTakeFirst();
    if (row?.first === null || row?.first === undefined) return { start: 0, end: 0 };
    return { start: Number(row.first), end: Number(row.last) + 1 };
  }

  /**
   * Entries `[start, end)` with their inclusion proofs in the tree of `size` leaves, reading
   * every node the page's proofs need in one query.
   */
  async provenEntries(start: number, end: number, size: number): Promise<ProvenEntry[]> {
    const rows = await this.entries(start, end);
    const plans = rows.map((row) => inclusionProofPlan(Number(row.idx), size));
    const wanted = new Map<string, NodeCoordinate>();
    for (const plan of plans) for (const node of plan.nodes) wanted.set(`${node.level}:${node.index}`, node);
    const coordinates = [...wanted.values()];
    const hashes = await readNodes(this.db, coordinates);
    const found = new Map(coordinates.map((node, i) => [`${node.level}:${node.index}`, hashes[i]]));
    return rows.map((row, i) => ({
      row,
      proof: assembleProof(plans[i]!, (level, index) => found.get(`${level}:${index}`)),
    }));
  }
}
