// Medium tier: real PostgreSQL (testcontainers where Docker answers, else DATABASE_URL or
// 127.0.0.1:5432). The server is the oracle: everything the classifier calls `read` must run in a
// READ ONLY transaction without a read-only violation, and corpus writes must hit one.
import { startTestPostgres, type TestPostgres } from '@gatehouse/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqlClassifier, type SqlClassifier } from '../index.ts';
import { readSqlCorpus } from './index.ts';

// Tables the corpus names, so that statements get past name resolution to the read-only check.
const SCHEMA = `
CREATE TABLE customers (id int PRIMARY KEY, name text, email text, vip boolean, region text,
  created_at timestamptz, deleted_at timestamptz, note text, deleted boolean);
CREATE TABLE orders (id int PRIMARY KEY, customer_id int, total numeric, status text,
  created_at timestamptz, discount_id int, sales_rep_id int);
CREATE TABLE t (id int, a int, name text, archived boolean, flag boolean, note text);
CREATE TABLE u (id int);
CREATE TABLE s (id int, flag boolean, deleted boolean, name text);
CREATE TABLE staging (id int, name text, deleted boolean);
CREATE TABLE sessions (id int, expires_at timestamptz, user_id int, pg_terminate_backend int);
CREATE TABLE payments (id int, order_id int, amount numeric);
CREATE TABLE order_items (id int, order_id int, amount numeric, sku text);
CREATE TABLE archived_customers (LIKE customers);
CREATE TABLE old_orders (id int);
CREATE TABLE log (id serial, msg text);
CREATE TABLE events (id serial, kind text, payload text);
CREATE TABLE accounts (id int, balance numeric);
CREATE TABLE audit (id int);
CREATE TABLE "Customers" ("Id" int, "Name" text);
CREATE TABLE "delete" ("drop" int);
CREATE TABLE "drop" (id int);
CREATE TABLE "order" (id int);
CREATE TABLE "DROP TABLE customers" (id int);
CREATE TABLE a (id int);
CREATE SCHEMA analytics;
CREATE TABLE analytics.daily (day date);
CREATE SEQUENCE orders_id_seq;
`;

const READ_ONLY_VIOLATION = '25006';

describe('sql corpus against PostgreSQL', () => {
  let postgres: TestPostgres;
  let client: pg.Client;
  let classifier: SqlClassifier;

  beforeAll(async () => {
    postgres = await startTestPostgres();
    client = new pg.Client({ connectionString: await postgres.createDatabase('sql_risk') });
    await client.connect();
    await client.query(SCHEMA);
    await client.query("SET statement_timeout = '500ms'");
    classifier = await createSqlClassifier();
  });

  afterAll(async () => {
    await client.end();
    await postgres.stop();
  });

  /** Runs `sql` in a READ ONLY transaction that is rolled back; returns the SQLSTATE or 'ok'. */
  async function runReadOnly(sql: string): Promise<string> {
    await client.query('BEGIN READ ONLY');
    try {
      await client.query(sql);
      return 'ok';
    } catch (error) {
      return (error as { code?: string }).code ?? 'unknown';
    } finally {
      await client.query('ROLLBACK');
    }
  }

  it('sql corpus - no statement classified read violates a READ ONLY transaction', async () => {
    let executed = 0;
    const violations: string[] = [];
    for (const row of readSqlCorpus()) {
      const result = classifier.classify(row.sql);
      // Transaction control would end the test's own transaction.
      if (result.riskClass !== 'read' || result.riskFlags.includes('transaction_control')) continue;
      const outcome = await runReadOnly(row.sql);
      if (outcome === 'ok') executed += 1;
      if (outcome === READ_ONLY_VIOLATION) violations.push(row.sql);
    }
    expect(violations).toEqual([]);
    // The harness is not vacuous: most reads really ran.
    expect(executed).toBeGreaterThan(100);
  });

  it('sql corpus - plain row writes classified write or destructive are refused by READ ONLY', async () => {
    const kinds = new Set(['insert', 'update', 'delete', 'merge', 'truncate']);
    const unrefused: string[] = [];
    let checked = 0;
    for (const row of readSqlCorpus()) {
      const result = classifier.classify(row.sql);
      const plain = result.statements.length === 1 && kinds.has(result.statements[0]?.kind ?? '');
      if (!plain || (result.riskClass !== 'write' && result.riskClass !== 'destructive')) continue;
      const outcome = await runReadOnly(row.sql);
      // Some rows reference columns or cursors the fixture lacks; those fail before the check.
      if (outcome === 'ok') unrefused.push(row.sql);
      if (outcome === READ_ONLY_VIOLATION) checked += 1;
    }
    expect(unrefused).toEqual([]);
    expect(checked).toBeGreaterThan(40);
  });
});
