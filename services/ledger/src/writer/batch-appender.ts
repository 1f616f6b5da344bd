import type { EvidenceRecord } from '@gatehouse/contracts';
import type { Insertable, Kysely } from 'kysely';
import { canonicalBytes } from '@gatehouse/evidence';
import { CompactRange, frontierCoordinates, hashLeaf, type TreeNode } from '@gatehouse/merkle';
import type { LedgerDatabase } from '../storage/ledger-tables.ts';

/** Another writer changed the tree under us: this replica must stop writing. */
export class LostLeadershipError extends Error {
  override readonly name = 'LostLeadershipError';
}

/**
 * Appends batches of records to the Merkle log. Entries, completed-subtree nodes and the tree
 * head go in one transaction; the in-memory compact range advances only after commit, so a
 * failed batch leaves memory and storage in step and the batch can be retried as a whole.
 */
export class BatchAppender {
  private constructor(
    private readonly db: Kysely<LedgerDatabase>,
    private range: CompactRange,
  ) {}

  /** Resumes from the stored head and frontier nodes. */
  static async resume(db: Kysely<LedgerDatabase>): Promise<BatchAppender> {
    const head = await db.selectFrom('ledger_head').select('size').executeTakeFirst();
    const size = Number(head?.size ?? 0);
    const hashes: Buffer[] = [];
    for (const { level, index } of frontierCoordinates(size)) {
      const node = await db
        .selectFrom('ledger_nodes')
        .select('hash')
        .where('level', '=', level)
        .where('idx', '=', String(index))
        .executeTakeFirstOrThrow();
      hashes.push(node.hash);
    }
    return new BatchAppender(db, CompactRange.fromFrontier(size, hashes));
  }

  /** Leaves appended so far. */
  get size(): number {
    return this.range.size;
  }

  /** Root of the tree as stored. */
  root(): Uint8Array {
    return this.range.root();
  }

  /** Appends the records not stored yet, in order; returns how many were new. */
  async append(records: readonly EvidenceRecord[]): Promise<number> {
    const ids = [...new Set(records.map((record) => record.id))];
    const stored = ids.length
      ? await this.db.selectFrom('ledger_entries').select('record_id').where('record_id', 'in', ids).execute()
      : [];
    const seen = new Set(stored.map((row) => row.record_id));
    const next = CompactRange.fromFrontier(
      this.range.size,
      this.range.frontier().map((node) => node.hash),
    );
    const entries: Insertable<LedgerDatabase['ledger_entries']>[] = [];
    const nodes: TreeNode[] = [];
    for (const record of records) {
      if (seen.has(record.id)) continue;
      seen.add(record.id);
      const bytes = canonicalBytes(record);
      const leafHash = hashLeaf(bytes);
      const index = next.size;
      nodes.push(...next.append(leafHash));
      entries.push({
        idx: String(index),
        record_id: record.id,
        leaf_hash: Buffer.from(leafHash),
        record: Buffer.from(bytes),
        kind: record.kind,
        session_id: record.session.id,
        session_seq: record.session.seq,
        session_prev: record.session.prev,
        time: new Date(record.time),
      });
    }
    if (entries.length === 0) return 0;
    const expectedSize = this.range.size;
    await this.db.transaction().execute(async (trx) => {
      const head = await trx.selectFrom('ledger_head').select('size').forUpdate().executeTakeFirst();
      if (Number(head?.size ?? 0) !== expectedSize) {
        throw new LostLeadershipError(`tree size is ${head?.size}, this writer expected ${expectedSize}`);
      }
      for (let start = 0; start < entries.length; start += 1000) {
        await trx
          .insertInto('ledger_entries')
          .values(entries.slice(start, start + 1000))
          .execute();
      }
      const nodeRows = nodes.map((node) => ({
        level: node.level,
        idx: String(node.index),
        hash: Buffer.from(node.hash),
      }));
      for (let start = 0; start < nodeRows.length; start += 2000) {
        await trx
          .insertInto('ledger_nodes')
          .values(nodeRows.slice(start, start + 2000))
          .execute();
      }
      const headRow = {
        id: true,
        size: String(next.size),
        root: Buffer.from(next.root()),
        updated_at: new Date(),
      };
      await trx
        .insertInto('ledger_head')
        .values(headRow)
        .onConflict((conflict) =>
          conflict
            .column('id')
            .doUpdateSet({ size: headRow.size, root: headRow.root, updated_at: headRow.updated_at }),
        )
        .execute();
    });
    this.range = next;
    return entries.length;
  }
}
