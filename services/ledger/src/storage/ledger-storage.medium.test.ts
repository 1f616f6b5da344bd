// Medium tier: real PostgreSQL. BatchAppender and the ledger role against real tables and triggers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { EvidenceRecord } from '@gatehouse/contracts';
import { canonicalBytes } from '@gatehouse/evidence';
import { hashLeaf, rootOf } from '@gatehouse/merkle';
import { startTestPostgres, type TestPostgres } from '@gatehouse/testing';
import { sql, type Kysely } from 'kysely';
import { evidenceRecords } from '../ledger-harness.fixture.ts';
import { BatchAppender } from '../writer/batch-appender.ts';
import { LedgerReader } from './ledger-reader.ts';
import type { LedgerDatabase } from './ledger-tables.ts';
import { openLedgerStorage } from './open-ledger-storage.ts';
import { readHead } from './tree-store.ts';

let postgres: TestPostgres;

beforeAll(async () => {
  postgres = await startTestPostgres();
});

afterAll(async () => {
  await postgres.stop();
});

async function freshLedger(
  label: string,
): Promise<{ db: Kysely<LedgerDatabase>; url: string; owner: pg.Client }> {
  const url = await postgres.createDatabase(label);
  const db = await openLedgerStorage({
    databaseUrl: url,
    migrationsDatabaseUrl: undefined,
    databaseRole: 'gatehouse_ledger',
  });
  const owner = new pg.Client({ connectionString: url });
  await owner.connect();
  return { db, url, owner };
}

/** Every stored entry in index order, with the checks an auditor would make. */
async function storedLog(db: Kysely<LedgerDatabase>) {
  const rows = await db.selectFrom('ledger_entries').selectAll().orderBy('idx').execute();
  return {
    indices: rows.map((row) => Number(row.idx)),
    ids: rows.map((row) => row.record_id),
    leafHashesMatch: rows.every((row) => Buffer.compare(row.leaf_hash, hashLeaf(row.record)) === 0),
    root: Buffer.from(rootOf(rows.map((row) => row.leaf_hash))),
  };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('ledger storage (real PostgreSQL)', () => {
  it('ledger - the service role may insert and select but not update, delete or truncate', async () => {
    const { db, owner } = await freshLedger('ledger_role');
    const appender = await BatchAppender.resume(db);
    await appender.append(evidenceRecords(1, 3));
    const { rows } = await sql<{ role: string }>`select current_user as role`.execute(db);
    expect(rows[0]?.role).toBe('gatehouse_ledger');
    for (const statement of [
      "update ledger_entries set kind = 'x'",
      'delete from ledger_nodes',
      'truncate ledger_heads',
      "update ledger_checkpoints set note = ''",
    ]) {
      await expect(sql.raw(statement).execute(db)).rejects.toThrow(/permission denied/);
    }
    // The owner has the privileges, and the trigger still refuses.
    await expect(owner.query("update ledger_entries set kind = 'x'")).rejects.toThrow(
      /append-only \(UPDATE on ledger_entries\)/,
    );
    await expect(owner.query('delete from ledger_heads')).rejects.toThrow(
      /append-only \(DELETE on ledger_heads\)/,
    );
    await expect(owner.query('truncate ledger_nodes')).rejects.toThrow(
      /append-only \(TRUNCATE on ledger_nodes\)/,
    );
    await owner.end();
    await db.destroy();
  });

  it('ledger - production setup: a login role in gatehouse_ledger that owns nothing appends but cannot change history', async () => {
    const url = await postgres.createDatabase('ledger_prod_role');
    const login = `ledger_app_${Math.random().toString(36).slice(2, 8)}`;
    const owner = new pg.Client({ connectionString: url });
    await owner.connect();
    await openLedgerStorage({
      databaseUrl: url,
      migrationsDatabaseUrl: undefined,
      databaseRole: 'none',
    }).then((db) => db.destroy());
    await owner.query(`create role ${login} login password 'app' in role gatehouse_ledger`);
    try {
      const appUrl = new URL(url);
      appUrl.username = login;
      appUrl.password = 'app';
      const db = await openLedgerStorage({
        databaseUrl: appUrl.toString(),
        migrationsDatabaseUrl: url,
        databaseRole: 'none',
        migrate: 'skip',
      });
      const appender = await BatchAppender.resume(db);
      expect(await appender.append(evidenceRecords(2, 3))).toMatchObject({ appended: 6, size: 6 });
      await expect(sql`delete from ledger_entries`.execute(db)).rejects.toThrow(/permission denied/);
      await expect(sql`update ledger_heads set size = 0`.execute(db)).rejects.toThrow(/permission denied/);
      await db.destroy();
    } finally {
      await owner.query(`drop owned by ${login}`);
      await owner.query(`drop role ${login}`);
      await owner.end();
    }
  });

  it('ledger - one batch stores entries, nodes and head that agree with the RFC 9162 root', async () => {
    const { db, owner } = await freshLedger('ledger_append');
    const records = evidenceRecords(7, 11);
    const appender = await BatchAppender.resume(db);
    const result = await appender.append(records);
    expect(result).toMatchObject({ appended: 77, size: 77, resynced: false });
    const log = await storedLog(db);
    expect(log.indices).toEqual(range(77));
    expect(log.leafHashesMatch).toBe(true);
    const expectedRoot = Buffer.from(rootOf(records.map((record) => hashLeaf(canonicalBytes(record)))));
    expect(log.root).toEqual(expectedRoot);
    expect(Buffer.from((await readHead(db)).root)).toEqual(expectedRoot);
    expect(Buffer.from(await new LedgerReader(db).rootAt(77))).toEqual(expectedRoot);
    expect(Buffer.from(await new LedgerReader(db).rootAt(40))).toEqual(
      Buffer.from(rootOf(records.slice(0, 40).map((record) => hashLeaf(canonicalBytes(record))))),
    );
    await owner.end();
    await db.destroy();
  });

  it('ledger - records already stored, or repeated within a batch, are stored once', async () => {
    const { db, owner } = await freshLedger('ledger_dedupe');
    const records = evidenceRecords(3, 4);
    const appender = await BatchAppender.resume(db);
    await appender.append(records.slice(0, 8));
    const again = await appender.append([
      ...records.slice(4, 12),
      records[11] as EvidenceRecord,
      records[0] as EvidenceRecord,
    ]);
    expect(again).toMatchObject({ appended: 4, size: 12 });
    expect(await appender.append(records)).toMatchObject({ appended: 0, size: 12 });
    const log = await storedLog(db);
    expect(log.indices).toEqual(range(12));
    expect(log.ids).toEqual(records.map((record) => record.id));
    await owner.end();
    await db.destroy();
  });

  it('ledger - a failed transaction stores nothing and the batch retried whole lands once, without gaps', async () => {
    const { db, owner } = await freshLedger('ledger_retry');
    const records = evidenceRecords(4, 5);
    const appender = await BatchAppender.resume(db);
    await appender.append(records.slice(0, 6));
    // Fail the transaction at its last statement (the head insert), after entries and nodes.
    await owner.query(`
      create table fail_next (id int);
      create function fail_head() returns trigger language plpgsql as $$
      begin
        if exists (select from fail_next) then raise exception 'injected failure'; end if;
        return new;
      end $$;
      create trigger fail_head before insert on ledger_heads for each row execute function fail_head();
      insert into fail_next values (1);
      grant select on fail_next to gatehouse_ledger;`);
    await expect(appender.append(records.slice(6))).rejects.toThrow(/injected failure/);
    expect(appender.size).toBe(6);
    expect((await storedLog(db)).indices).toEqual(range(6));
    await owner.query('delete from fail_next');
    expect(await appender.append(records.slice(6))).toMatchObject({
      appended: 14,
      size: 20,
      resynced: false,
    });
    const log = await storedLog(db);
    expect(log.indices).toEqual(range(20));
    expect(log.ids).toEqual(records.map((record) => record.id));
    await owner.end();
    await db.destroy();
  });

  it('ledger - a writer whose commit was not acknowledged, or that fell behind, resumes from the stored head', async () => {
    const { db, owner } = await freshLedger('ledger_resync');
    const records = evidenceRecords(2, 10);
    const stale = await BatchAppender.resume(db);
    const current = await BatchAppender.resume(db);
    await current.append(records.slice(0, 12));
    // `stale` never learnt of that commit: retrying the same batch must not store it twice.
    expect(await stale.append(records.slice(0, 12))).toMatchObject({ appended: 0, size: 12, resynced: true });
    expect(await stale.append(records.slice(8, 20))).toMatchObject({
      appended: 8,
      size: 20,
      resynced: false,
    });
    expect(await current.append(records)).toMatchObject({ appended: 0, size: 20, resynced: true });
    const log = await storedLog(db);
    expect(log.indices).toEqual(range(20));
    expect(log.ids).toEqual(records.map((record) => record.id));
    expect(Buffer.from(current.root())).toEqual(log.root);
    await owner.end();
    await db.destroy();
  });
});
