// Integration: real psql and node-postgres against the real edge, with authz, audit and ledger as
// separate processes on real NATS and PostgreSQL. Proves one query's whole path and its evidence.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningStack } from '@gatehouse/local-stack';
import { ledgerEntries, psql, startTestStack } from './stack-fixture.ts';

describe('walking skeleton (psql and pg through the edge)', () => {
  let stack: RunningStack;
  let pipelinesToken: string;
  let auditorToken: string;

  beforeAll(async () => {
    stack = await startTestStack(['authz', 'masking', 'audit', 'ledger', 'edge-postgres']);
    pipelinesToken = await stack.mintToken('ci-bot', ['pipelines']);
    auditorToken = await stack.mintToken('alice', ['auditors']);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  function target(): pg.Client {
    return new pg.Client({ connectionString: stack.databases.demoUrl });
  }

  it('edge-postgres - psql runs a SELECT on the demo target with a token and gets the right rows', async () => {
    const direct = target();
    await direct.connect();
    const expected = await direct.query('select count(*)::int as n from customers');
    await direct.end();
    const result = await psql(stack, pipelinesToken, ['-A', '-t', '-c', 'SELECT count(*) FROM customers']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(Number(result.stdout.trim())).toBe(expected.rows[0].n);
  });

  it('edge-postgres - node-postgres runs a SELECT and a parameterised query', async () => {
    const { host, port } = stack.endpoints.edgePostgres;
    const client = new pg.Client({
      host,
      port,
      database: 'demo',
      user: 'ci-bot',
      password: pipelinesToken,
      ssl: false,
    });
    await client.connect();
    const simple = await client.query('SELECT id FROM customers ORDER BY id LIMIT 3');
    expect(simple.rows.map((row) => row.id)).toEqual([1, 2, 3]);
    const extended = await client.query('SELECT id FROM customers WHERE id = $1', [2]);
    expect(extended.rows).toEqual([{ id: 2 }]);
    await client.end();
  });

  it('edge-postgres - the ledger holds session-opened, decision and statement records naming the subject', async () => {
    const marker = `skeleton-${Date.now()}`;
    const result = await psql(stack, pipelinesToken, ['-c', `SELECT '${marker}' AS marker`]);
    expect(result.code).toBe(0);
    await expect
      .poll(
        async () => {
          const entries = await ledgerEntries(stack, auditorToken);
          const statement = entries.find(
            (entry) =>
              entry.kind === 'statement' && JSON.stringify(entry.record).includes('SELECT $1 AS marker'),
          );
          if (!statement) return 'no statement yet';
          const session = (statement.record['session'] as { id: string }).id;
          const kinds = entries
            .filter((entry) => (entry.record['session'] as { id: string }).id === session)
            .map((entry) => entry.kind);
          const actor = statement.record['actor'] as { sub: string; groups: string[] };
          return { kinds: [...new Set(kinds)].sort(), sub: actor.sub, groups: actor.groups };
        },
        { timeout: 20_000, interval: 250 },
      )
      .toEqual({
        kinds: expect.arrayContaining(['decision', 'session_opened', 'statement']),
        sub: 'ci-bot',
        groups: ['pipelines'],
      });
  });

  it('edge-postgres - a bad token and an expired token get SQLSTATE 28P01', async () => {
    const { host, port } = stack.endpoints.edgePostgres;
    for (const password of [
      'not-a-token',
      await stack.issuer.signClaims({
        sub: 'x',
        jti: 'old',
        iat: 1_000_000,
        exp: 1_000_060,
        aud: 'gatehouse',
        iss: stack.issuer.issuer,
        groups: ['pipelines'],
      }),
    ]) {
      const client = new pg.Client({ host, port, database: 'demo', user: 'ci-bot', password, ssl: false });
      const error = await client.connect().catch((e: unknown) => e);
      expect((error as { code?: string }).code).toBe('28P01');
      await client.end().catch(() => undefined);
    }
    const result = await psql(stack, 'garbage', ['-c', 'SELECT 1']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('password authentication failed');
  });

  it('edge-postgres - a denied statement gets 42501 at once and never reaches the target', async () => {
    const { host, port } = stack.endpoints.edgePostgres;
    const client = new pg.Client({
      host,
      port,
      database: 'demo',
      user: 'ci-bot',
      password: pipelinesToken,
      ssl: false,
    });
    await client.connect();
    const before = await client.query('SELECT count(*)::int AS n FROM customers');
    for (const statement of [
      'DELETE FROM customers',
      'CREATE TABLE gatehouse_must_not_exist (id int)',
      'DROP TABLE customers',
    ]) {
      const error = await client.query(statement).catch((e: unknown) => e);
      expect((error as { code?: string }).code, statement).toBe('42501');
    }
    // The session stays usable after a refusal.
    const after = await client.query('SELECT count(*)::int AS n FROM customers');
    expect(after.rows[0].n).toBe(before.rows[0].n);
    await client.end();
    const direct = target();
    await direct.connect();
    const created = await direct.query("select to_regclass('public.gatehouse_must_not_exist') as t");
    expect(created.rows[0].t).toBeNull();
    const count = await direct.query('select count(*)::int as n from customers');
    expect(count.rows[0].n).toBe(before.rows[0].n);
    await direct.end();
  });
});
