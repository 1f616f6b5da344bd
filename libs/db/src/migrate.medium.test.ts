// Medium tier: real PostgreSQL (testcontainers where Docker answers, else DATABASE_URL or 127.0.0.1:5432).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '@gatehouse/testing';
import { createDatabase, databaseReady, migrateToLatest, sql, type Kysely } from './index.ts';

describe('db (real PostgreSQL)', () => {
  let postgres: TestPostgres;
  let db: Kysely<{ widgets: { id: number } }>;

  beforeAll(async () => {
    postgres = await startTestPostgres();
    db = createDatabase({ url: await postgres.createDatabase('db'), applicationName: 'db-test' });
  });

  afterAll(async () => {
    await db.destroy();
    await postgres.stop();
  });

  it('db - applies migrations once, in order, per service', async () => {
    const migrations = {
      '001_widgets': {
        up: async (d: Kysely<unknown>) =>
          void (await d.schema.createTable('widgets').addColumn('id', 'integer').execute()),
      },
      '002_seed': {
        up: async (d: Kysely<unknown>) => void (await sql`insert into widgets values (7)`.execute(d)),
      },
    };
    expect(await migrateToLatest(db as Kysely<unknown>, 'widget-service', migrations)).toEqual([
      '001_widgets',
      '002_seed',
    ]);
    expect(await migrateToLatest(db as Kysely<unknown>, 'widget-service', migrations)).toEqual([]);
    expect(await db.selectFrom('widgets').select('id').execute()).toEqual([{ id: 7 }]);
    expect(await databaseReady(db as Kysely<unknown>)).toBe(true);
  });

  it('db - a failing migration is reported with its cause', async () => {
    const broken = {
      '001_bad': { up: async (d: Kysely<unknown>) => void (await sql`select nope from nowhere`.execute(d)) },
    };
    await expect(migrateToLatest(db as Kysely<unknown>, 'broken-service', broken)).rejects.toThrow(
      'broken-service migrations failed',
    );
  });

  it('db - an unreachable database is not ready', async () => {
    const unreachable = createDatabase({ url: 'postgres://postgres@127.0.0.1:1/none', applicationName: 'x' });
    expect(await databaseReady(unreachable as Kysely<unknown>)).toBe(false);
    await unreachable.destroy();
  });
});
