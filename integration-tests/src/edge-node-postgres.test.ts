// Integration: node-postgres (pg, pg-cursor) against the real edge-postgres, with authz and
// audit as separate processes on real NATS and PostgreSQL (policy: services/edge-postgres/bench/bench-policy.yaml, no masking, so relayed bytes can be compared with the target's). Proves the simple and
// extended protocols, named prepared statements, real pipelining, LISTEN/NOTIFY, a Flush-driven
// cursor, query cancel, binary results, NULLs, empty queries and errors in the middle of a result.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import Cursor from 'pg-cursor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type RunningStack } from '@gatehouse/local-stack';
import { uniquePrefix } from '@gatehouse/testing';

const policyFile = join(
  import.meta.dirname,
  '..',
  '..',
  'services',
  'edge-postgres',
  'bench',
  'bench-policy.yaml',
);

describe('edge-postgres with node-postgres', () => {
  let stack: RunningStack;
  let pipelines: string;
  let dbadmin: string;
  const open: pg.Client[] = [];

  beforeAll(async () => {
    stack = await startStack({
      prefix: uniquePrefix(),
      stateDir: mkdtempSync(join(tmpdir(), 'gatehouse-edge-it-')),
      natsUrl: process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222',
      databaseUrl: process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
      ports: 'auto',
      services: ['authz', 'audit', 'edge-postgres'],
      policyFile,
      dropOnStop: true,
    });
    pipelines = await stack.mintToken('ci-bot', ['pipelines']);
    dbadmin = await stack.mintToken('dba', ['writers']);
  });

  afterAll(async () => {
    await Promise.allSettled(open.map((client) => client.end()));
    await stack?.stop();
  });

  async function edgeClient(token: string, extra: Partial<pg.ClientConfig> = {}): Promise<pg.Client> {
    const { host, port } = stack.endpoints.edgePostgres;
    const client = new pg.Client({
      host,
      port,
      database: 'demo',
      user: 'ci-bot',
      password: token,
      ssl: false,
      ...extra,
    });
    open.push(client);
    await client.connect();
    return client;
  }

  async function directClient(extra: Partial<pg.ClientConfig> = {}): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: stack.databases.demoUrl, ...extra });
    open.push(client);
    await client.connect();
    return client;
  }

  it('edge-postgres - simple and extended queries return the same rows as the target', async () => {
    const edge = await edgeClient(pipelines);
    const target = await directClient();
    const text =
      'SELECT id, full_name, city, date_of_birth, created_at FROM customers WHERE id <= 20 ORDER BY id';
    expect((await edge.query(text)).rows).toEqual((await target.query(text)).rows);
    const parameterised =
      'SELECT id, email FROM customers WHERE id = ANY($1::int[]) AND city <> $2 ORDER BY id';
    const values = [[3, 5, 8, 13], 'nowhere'];
    expect((await edge.query(parameterised, values)).rows).toEqual(
      (await target.query(parameterised, values)).rows,
    );
  });

  it('edge-postgres - a named prepared statement is parsed once and executed many times', async () => {
    const edge = await edgeClient(pipelines);
    const ids: number[] = [];
    for (const id of [4, 9, 16]) {
      const result = await edge.query({
        name: 'customer-by-id',
        text: 'SELECT id FROM customers WHERE id = $1',
        values: [id],
      });
      ids.push(result.rows[0].id as number);
    }
    expect(ids).toEqual([4, 9, 16]);
    const prepared = await edge.query(
      "SELECT name, statement FROM pg_prepared_statements WHERE name = 'customer-by-id'",
    );
    expect(prepared.rows).toEqual([
      { name: 'customer-by-id', statement: 'SELECT id FROM customers WHERE id = $1' },
    ]);
  });

  it('edge-postgres - a refused named statement fails and the session keeps working', async () => {
    const edge = await edgeClient(pipelines);
    const error = await edge
      .query({ name: 'wipe', text: 'DELETE FROM customers', values: [] })
      .catch((e: unknown) => e as { code?: string; message?: string });
    expect(error).toMatchObject({ code: '42501' });
    const prepared = await edge.query(
      "SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name = 'wipe'",
    );
    expect(prepared.rows).toEqual([{ n: 0 }]);
    expect((await edge.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('edge-postgres - pipelined queries (pg pipeline mode) all answer, in order, a refusal only failing its own', async () => {
    const edge = await edgeClient(pipelines, { pipeline: true } as Partial<pg.ClientConfig>);
    const pending = [
      edge.query('SELECT $1::int AS n', [1]),
      edge.query('SELECT $1::int AS n', [2]),
      edge.query('DELETE FROM customers'),
      edge.query('SELECT $1::int AS n, pg_sleep(0.05)::text AS s', [3]),
      edge.query('SELECT count(*)::int AS n FROM customers WHERE id < $1', [5]),
    ];
    const settled = await Promise.allSettled(pending);
    expect(
      settled.map((result) =>
        result.status === 'fulfilled' ? result.value.rows[0].n : (result.reason as { code: string }).code,
      ),
    ).toEqual([1, 2, '42501', 3, 4]);
  });

  it('edge-postgres - many pipelined extended queries on one connection keep their order', async () => {
    const edge = await edgeClient(pipelines, { pipeline: true } as Partial<pg.ClientConfig>);
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        edge.query('SELECT $1::int AS i, id FROM customers WHERE id = $2', [i, (i % 50) + 1]),
      ),
    );
    expect(results.map((result) => result.rows[0].i)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(results.map((result) => result.rows[0].id)).toEqual(
      Array.from({ length: 200 }, (_, i) => (i % 50) + 1),
    );
  });

  it('edge-postgres - LISTEN through the edge receives NOTIFY sent through the edge and directly', async () => {
    const listener = await edgeClient(pipelines);
    const notifier = await edgeClient(dbadmin);
    const target = await directClient();
    const received: { channel: string; payload: string | undefined }[] = [];
    listener.on('notification', (message) =>
      received.push({ channel: message.channel, payload: message.payload }),
    );
    await listener.query('LISTEN gatehouse_events');
    await notifier.query("NOTIFY gatehouse_events, 'through the edge'");
    await target.query("SELECT pg_notify('gatehouse_events', 'straight to the target')");
    await expect.poll(() => received.length, { timeout: 5000 }).toBe(2);
    expect(received).toEqual([
      { channel: 'gatehouse_events', payload: 'through the edge' },
      { channel: 'gatehouse_events', payload: 'straight to the target' },
    ]);
    // A notification arriving while the listener is idle (no query in flight) is relayed too.
    await target.query("NOTIFY gatehouse_events, 'idle'");
    await expect.poll(() => received.at(-1)?.payload, { timeout: 5000 }).toBe('idle');
  });

  it('edge-postgres - pg-cursor fetches a result in Flush-driven pages (PortalSuspended)', async () => {
    const edge = await edgeClient(pipelines);
    const cursor = edge.query(new Cursor('SELECT id FROM customers WHERE id <= $1 ORDER BY id', [25]));
    const pages: number[][] = [];
    for (;;) {
      const rows = await cursor.read(10);
      if (rows.length === 0) break;
      pages.push(rows.map((row: { id: number }) => row.id));
    }
    await cursor.close();
    expect(pages.map((page) => page.length)).toEqual([10, 10, 5]);
    expect(pages.flat()).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect((await edge.query('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
  });

  it('edge-postgres - Client.cancel sends a CancelRequest that stops a running query', async () => {
    const edge = await edgeClient(pipelines);
    const sleeping = new pg.Query('SELECT pg_sleep(30)');
    const running = new Promise<unknown>((resolve) => {
      sleeping.on('error', resolve);
      sleeping.on('end', () => resolve('finished without a cancel'));
    });
    void edge.query(sleeping);
    const target = await directClient();
    await expect
      .poll(
        async () =>
          (
            await target.query(
              "SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND query = 'SELECT pg_sleep(30)'",
            )
          ).rows[0].n,
        { timeout: 10_000, interval: 100 },
      )
      .toBe(1);
    const { host, port } = stack.endpoints.edgePostgres;
    const canceller = new pg.Client({
      host,
      port,
      database: 'demo',
      user: 'ci-bot',
      password: pipelines,
      ssl: false,
    });
    (canceller as unknown as { cancel(client: pg.Client, query: pg.Query): void }).cancel(edge, sleeping);
    expect(await running).toMatchObject({ code: '57014' });
    expect((await edge.query('SELECT 3 AS three')).rows).toEqual([{ three: 3 }]);
  });

  it('edge-postgres - binary result formats decode to the same values as on the target', async () => {
    const text =
      'SELECT $1::int4 AS i4, 9007199254740993::int8 AS i8, 2.5::float8 AS f8, true AS b, ' +
      "'\\xdeadbeef'::bytea AS raw, 'text é'::text AS t, NULL::int4 AS missing, " +
      "'2024-02-29 12:34:56.789+00'::timestamptz AS ts, ARRAY[1,2,3]::int4[] AS arr";
    const edge = await edgeClient(pipelines, { binary: true } as Partial<pg.ClientConfig>);
    const target = await directClient({ binary: true } as Partial<pg.ClientConfig>);
    const through = await edge.query(text, [7]);
    const reference = await target.query(text, [7]);
    expect(through.fields.map((field) => field.format)).toEqual(reference.fields.map(() => 'binary'));
    expect(through.rows).toEqual(reference.rows);
    expect(through.rows[0].missing).toBeNull();
    expect(through.rows[0].i8).toBe('9007199254740993');
    expect(through.rows[0].arr).toEqual([1, 2, 3]);
  });

  it('edge-postgres - large rows split across TCP chunks arrive intact', async () => {
    const edge = await edgeClient(pipelines);
    const result = await edge.query(
      'SELECT repeat(md5(g::text), 4000) AS blob, g FROM generate_series(1, 40) AS g',
    );
    expect(result.rows).toHaveLength(40);
    expect(result.rows.every((row: { blob: string }) => row.blob.length === 128_000)).toBe(true);
    const target = await directClient();
    const reference = await target.query(
      "SELECT md5(string_agg(repeat(md5(g::text), 4000), '' ORDER BY g)) AS digest FROM generate_series(1, 40) AS g",
    );
    const { createHash } = await import('node:crypto');
    expect(
      createHash('md5')
        .update(result.rows.map((row: { blob: string }) => row.blob).join(''))
        .digest('hex'),
    ).toBe(reference.rows[0].digest);
  });

  it('edge-postgres - an empty query, an error in the middle of a result and a NULL row keep the session usable', async () => {
    const edge = await edgeClient(pipelines);
    const empty = await edge.query('');
    expect(empty.command).toBeNull();
    expect(empty.rows).toEqual([]);
    const midResult = await edge
      .query('SELECT 10 / (5 - g) AS q FROM generate_series(1, 10) AS g')
      .catch((e: unknown) => e as { code?: string });
    expect(midResult).toMatchObject({ code: '22012' });
    const nulls = await edge.query('SELECT NULL::text AS a, NULL::int AS b');
    expect(nulls.rows).toEqual([{ a: null, b: null }]);
    // An error inside a transaction leaves it failed until ROLLBACK, exactly as on PostgreSQL.
    await edge.query('BEGIN');
    await edge.query('SELECT 1 / 0').catch(() => undefined);
    const aborted = await edge.query('SELECT 1').catch((e: unknown) => e as { code?: string });
    expect(aborted).toMatchObject({ code: '25P02' });
    await edge.query('ROLLBACK');
    expect((await edge.query('SELECT 4 AS four')).rows).toEqual([{ four: 4 }]);
  });

  it('edge-postgres - ParameterStatus changes from SET reach the client', async () => {
    const edge = await edgeClient(pipelines);
    const statuses: Record<string, string> = {};
    (
      edge as unknown as {
        connection: {
          on(
            event: string,
            listener: (message: { parameterName: string; parameterValue: string }) => void,
          ): void;
        };
      }
    ).connection.on(
      'parameterStatus',
      (message) => (statuses[message.parameterName] = message.parameterValue),
    );
    await edge.query("SET application_name = 'edge-it'");
    expect(statuses['application_name']).toBe('edge-it');
  });
});
