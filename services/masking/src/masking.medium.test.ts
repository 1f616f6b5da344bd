// Medium tier: real NATS (NATS_URL / 127.0.0.1:4222 or testcontainers) and real PostgreSQL
// (DATABASE_URL / 127.0.0.1:5432 or testcontainers). The whole MaskingModule boots in-process
// through startHttpService (port 0) on its own subject prefix; a test database holds a table
// whose catalog entries masking reads with the credentials of a real TARGETS_FILE. Result column
// descriptions come from node-postgres running real queries against that table.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@gatehouse/config';
import { DependencyUnavailableError } from '@gatehouse/errors';
import {
  decodeCellBatch,
  encodeCellBatch,
  envelope,
  MessageType,
  subjectsFor,
  UNCHANGED_CELL,
  type BodyOf,
  type MessageOf,
} from '@gatehouse/contracts';
import { createLogger } from '@gatehouse/logging';
import { connectBus, requestMessage, type NatsConnection } from '@gatehouse/nats';
import { ServiceMetrics, startHttpService } from '@gatehouse/service-host';
import {
  startTestNats,
  startTestPostgres,
  uniquePrefix,
  type TestNats,
  type TestPostgres,
} from '@gatehouse/testing';
import { TargetRegistry } from '@gatehouse/targets';
import { TargetCatalogs } from './catalog/target-catalogs.ts';
import { CopyStatementParser } from './copy/copy-statement.ts';
import { maskingConfigSpec } from './masking-config.ts';
import { MaskingModule } from './masking.module.ts';
import { ProfileCatalog } from './profiles/profile-catalog.ts';

type MaskRequest = BodyOf<'gatehouse.masking.v1.mask_request'>;

let nats: TestNats;
let postgres: TestPostgres;
let databaseUrl: string;
let database: pg.Client;
let client: NatsConnection;
let dir: string;
let app: INestApplication;
const prefix = uniquePrefix();
const silent = createLogger({ service: 'test', level: 'silent' });

async function mask(body: MaskRequest): Promise<MessageOf<'gatehouse.masking.v1.mask_reply'>> {
  return requestMessage(client, envelope(MessageType.MaskRequest, body), {
    subject: subjectsFor(prefix).maskingMask,
    dependency: 'masking',
    replyType: MessageType.MaskReply,
    timeoutMs: 5000,
  });
}

/** The columns of a real query's RowDescription, as an edge forwards them. */
async function describeQuery(sql: string, binary = false): Promise<MaskRequest['columns']> {
  const result = await database.query({
    text: sql,
    ...(binary ? { binary: true, queryMode: 'extended' as const } : {}),
  });
  return result.fields.map((field) => ({
    name: field.name,
    typeOid: field.dataTypeID,
    typeModifier: field.dataTypeModifier,
    tableOid: field.tableID,
    columnNumber: field.columnID,
    format: field.format === 'binary' ? ('binary' as const) : ('text' as const),
  }));
}

function writeTargets(entries: Record<string, { port: number }>): string {
  const url = new URL(databaseUrl);
  const lines = ['targets:'];
  for (const [name, { port }] of Object.entries(entries)) {
    lines.push(
      `  ${name}: { kind: postgres, host: ${url.hostname}, port: ${port}, database: ${url.pathname.slice(1)}, user: ${decodeURIComponent(url.username)}${url.password ? `, password: '${decodeURIComponent(url.password)}'` : ''} }`,
    );
  }
  const path = join(dir, 'targets.yaml');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

beforeAll(async () => {
  [nats, postgres] = await Promise.all([startTestNats(), startTestPostgres()]);
  databaseUrl = await postgres.createDatabase('masking');
  database = new pg.Client({ connectionString: databaseUrl });
  await database.connect();
  // Row texts print timestamptz fields in the session's time zone.
  await database.query("SET TIME ZONE 'UTC'");
  await database.query(`
    CREATE TABLE people (id integer PRIMARY KEY, email text, ssn text, birth_date date, notes text, "Kontakt" text);
    INSERT INTO people VALUES
      (1, 'jane.doe@example.com', '181-05-5848', '1980-02-03', 'call 415-555-0120', 'x'),
      (2, 'bob@example.org', NULL, '1975-12-24', NULL, 'y');
    CREATE TABLE customers (id integer, full_name text, legacy text, email text, street_address text,
                            date_of_birth date, notes text, created_at timestamptz);
    ALTER TABLE customers DROP COLUMN legacy;
    INSERT INTO customers VALUES
      (7, 'Finn Meyer', 'finn.meyer@example.com', '12 Elm Street, Springfield', '1958-07-04',
       'said "hi", call 415-555-0120', '2024-01-02 03:04:05+00');
    CREATE TYPE mailing AS (full_name varchar(40), postcode text);
    CREATE TYPE mood AS ENUM ('ok', 'sad');`);
  dir = mkdtempSync(join(tmpdir(), 'masking-medium-'));
  const url = new URL(databaseUrl);
  const targetsFile = writeTargets({ demo: { port: Number(url.port || 5432) }, down: { port: 1 } });
  const config = loadConfig(maskingConfigSpec, {
    env: {
      NATS_URL: nats.url,
      GATEHOUSE_PREFIX: prefix,
      MASKING_HTTP_PORT: '0',
      TARGETS_FILE: targetsFile,
      MASKING_CATALOG_TTL: '300ms',
      MASKING_CATALOG_TIMEOUT: '1s',
    },
  });
  const bus = await connectBus({ url: nats.url, name: 'masking-medium', logger: silent });
  client = await connectBus({ url: nats.url, name: 'masking-medium-client', logger: silent });
  const parts = {
    profiles: ProfileCatalog.load({ hashKey: 'medium-test-key-0123456789' }),
    copyParser: await CopyStatementParser.create(),
  };
  app = await startHttpService(
    MaskingModule.forRoot({ config, logger: silent, bus, metrics: new ServiceMetrics('masking') }, parts),
    { host: '127.0.0.1', port: 0, logger: silent },
  );
});

afterAll(async () => {
  await app?.close();
  await client?.drain();
  await database?.end();
  await postgres?.stop();
  await nats?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('masking over NATS with a real target catalog', () => {
  it('masking - traces aliased columns of a real query to people.email and plans a computed one by content', async () => {
    const columns = await describeQuery('SELECT id, email AS x, lower(email) AS l, birth_date FROM people');
    const reply = await mask({ profile: 'default', target: 'demo', columns });
    expect(reply.body.plan).toEqual({
      maskedColumns: [1, 2, 3],
      columns: [
        {
          index: 1,
          name: 'x',
          source: 'people.email',
          action: 'whole',
          entity: 'email',
          reason: 'source column people.email says email',
          replace: { form: 'email_domain', text: '[REDACTED:email]' },
        },
        { index: 2, name: 'l', action: 'scan', reason: 'free text' },
        {
          index: 3,
          name: 'birth_date',
          source: 'people.birth_date',
          action: 'whole',
          entity: 'dob',
          reason: 'source column people.birth_date says dob',
          replace: { form: 'date_year_start', text: '1900' },
        },
      ],
    });
  });

  it('masking - masks a batch of real rows; numbers and dates stay valid values of their type', async () => {
    const sql = 'SELECT id, email AS x, ssn, birth_date, notes FROM people ORDER BY id';
    const columns = await describeQuery(sql);
    const { rows } = await database.query({
      text: sql,
      rowMode: 'array',
      types: { getTypeParser: () => (value: string) => value },
    });
    const reply = await mask({
      profile: 'default',
      target: 'demo',
      columns,
      cellColumns: [1, 2, 3, 4],
      rows: rows.map((row: string[]) => row.slice(1)),
    });
    expect(reply.body.error).toBeUndefined();
    expect(reply.body.rows).toEqual([
      ['****@example.com', '***-**-5848', '1900-01-01', 'call ***-***-0120'],
      ['****@example.org', null, '1900-01-01', null],
    ]);
    expect(reply.body.counts).toEqual([
      { entity: 'email', column: 'x', index: 1, count: 2 },
      { entity: 'ssn', column: 'ssn', index: 2, count: 1 },
      { entity: 'dob', column: 'birth_date', index: 3, count: 2 },
      { entity: 'phone', column: 'notes', index: 4, count: 1 },
    ]);
    // The masked date is a date the target itself accepts.
    const check = await database.query('SELECT $1::date AS d', [reply.body.rows![0]![2]]);
    expect(check.rows[0].d).toBeInstanceOf(Date);
  });

  it('masking - masks a batch of cell bytes framed after the JSON, as the edge sends it, and frames the reply the same way', async () => {
    const sql = 'SELECT id, email AS x, ssn, notes FROM people ORDER BY id';
    const columns = await describeQuery(sql);
    const { rows } = await database.query({
      text: sql,
      rowMode: 'array',
      types: { getTypeParser: () => (value: string) => value },
    });
    const cells = encodeCellBatch(rows.map((row: (string | null)[]) => row.slice(1)));
    const request = envelope(MessageType.MaskRequest, {
      profile: 'default',
      target: 'demo',
      columns,
      cellColumns: [1, 2, 3],
      rowCount: rows.length,
      cellBytes: cells.length,
    });
    const payload = Buffer.concat([Buffer.from(JSON.stringify(request)), Buffer.from('\n'), cells]);
    const answer = Buffer.from(
      (await client.request(subjectsFor(prefix).maskingMask, payload, { timeout: 5000 })).data,
    );
    const split = answer.indexOf(0x0a);
    const reply = JSON.parse(answer.subarray(0, split).toString('utf8'));
    expect(reply.type).toBe(MessageType.MaskReply);
    expect(reply.body.error).toBeUndefined();
    const masked = answer.subarray(split + 1);
    expect(reply.body.cellBytes).toBe(masked.length);
    expect(decodeCellBatch(masked, 2, 3, { replies: true })).toEqual([
      [Buffer.from('****@example.com'), Buffer.from('***-**-5848'), Buffer.from('call ***-***-0120')],
      // NULL cells come back unchanged (-2): the edge keeps its own bytes.
      [Buffer.from('****@example.org'), UNCHANGED_CELL, UNCHANGED_CELL],
    ]);
    expect(reply.body.counts).toEqual([
      { entity: 'email', column: 'x', index: 1, count: 2 },
      { entity: 'ssn', column: 'ssn', index: 2, count: 1 },
      { entity: 'phone', column: 'notes', index: 3, count: 1 },
    ]);
  });

  it('masking - masks binary-format cells from a real binary result', async () => {
    const sql = 'SELECT email, birth_date FROM people WHERE id = 1';
    const columns = await describeQuery(sql, true);
    expect(columns.map((c) => c.format)).toEqual(['binary', 'binary']);
    // The binary wire forms of the row: UTF-8 text, and a date as Int32 days since 2000-01-01.
    const days = Buffer.alloc(4);
    days.writeInt32BE((Date.UTC(1980, 1, 3) - Date.UTC(2000, 0, 1)) / 86_400_000);
    const cells = [Buffer.from('jane.doe@example.com').toString('base64'), days.toString('base64')];
    const reply = await mask({ profile: 'default', target: 'demo', columns, rows: [cells] });
    expect(reply.body.error).toBeUndefined();
    const [email, born] = reply.body.rows![0]!.map((cell) => Buffer.from(cell!, 'base64'));
    expect(email!.toString()).toBe('****@example.com');
    expect(born!.readInt32BE()).toBe(-36524);
  });

  it('masking - plans and masks real COPY output of the table', async () => {
    const statement = 'COPY people (id, email, notes) TO STDOUT';
    const copy = { statement, index: 0, format: 'text' as const, columnCount: 3, offset: 0 };
    const plan = await mask({ profile: 'default', target: 'demo', columns: [], copy });
    expect(plan.body.plan?.maskedColumns).toEqual([1, 2]);
    const reply = await mask({
      profile: 'default',
      target: 'demo',
      columns: [],
      copy,
      lines: ['1\tjane.doe@example.com\tcall 415-555-0120\n'],
    });
    expect(reply.body.lines).toEqual(['1\t****@example.com\tcall ***-***-0120\n']);
  });

  it('masking - re-reads the catalog after the TTL: a renamed column is planned by its new name', async () => {
    const columns = await describeQuery('SELECT "Kontakt" FROM people');
    expect((await mask({ profile: 'default', target: 'demo', columns })).body.plan?.maskedColumns).toEqual([
      0,
    ]);
    await database.query('ALTER TABLE people RENAME COLUMN "Kontakt" TO phone');
    await new Promise((resolve) => setTimeout(resolve, 400));
    const renamed = await mask({ profile: 'default', target: 'demo', columns });
    expect(renamed.body.plan?.columns[0]).toMatchObject({
      name: 'Kontakt',
      source: 'people.phone',
      action: 'whole',
      entity: 'phone',
    });
  });

  it('masking - unknown target, unreachable catalog, unknown profile and malformed requests get error replies', async () => {
    const columns = await describeQuery('SELECT email FROM people');
    expect((await mask({ profile: 'default', target: 'nowhere', columns })).body.error).toEqual({
      code: 'unknown_target',
      message: 'masking has no catalog access to target "nowhere" (not in TARGETS_FILE)',
    });
    expect((await mask({ profile: 'default', target: 'down', columns })).body.error).toEqual({
      code: 'catalog_unavailable',
      message: 'the catalog of target "down" could not be read',
    });
    expect((await mask({ profile: 'gone', target: 'demo', columns })).body.error?.code).toBe(
      'unknown_profile',
    );
    const answer = await client.request(
      subjectsFor(prefix).maskingMask,
      new TextEncoder().encode('{"type":"nope"}'),
      { timeout: 5000 },
    );
    const body = JSON.parse(new TextDecoder().decode(answer.data)).body;
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.message).toMatch(/^masking refused a malformed request/u);
  });

  it('masking - SELECT c FROM customers c: the name, address and birth date inside the row are masked by field name', async () => {
    const sql = 'SELECT c FROM customers c';
    const columns = await describeQuery(sql);
    const { rows } = await database.query({
      text: sql,
      rowMode: 'array',
      types: { getTypeParser: () => (value: string) => value },
    });
    expect(rows).toEqual([
      [
        '(7,"Finn Meyer",finn.meyer@example.com,"12 Elm Street, Springfield",1958-07-04,"said ""hi"", call 415-555-0120","2024-01-02 03:04:05+00")',
      ],
    ]);
    const plan = await mask({ profile: 'default', target: 'demo', columns });
    expect(plan.body.plan?.columns).toEqual([
      { index: 0, name: 'c', action: 'scan', reason: 'fields of customers by name' },
    ]);
    const reply = await mask({ profile: 'default', target: 'demo', columns, rows });
    expect(reply.body.error).toBeUndefined();
    const masked = reply.body.rows![0]![0]!;
    expect(masked).toBe(
      '(7,[REDACTED:name],****@example.com,[REDACTED:address],1900-01-01,"said ""hi"", call ***-***-0120","2024-01-02 03:04:05+00")',
    );
    expect(reply.body.counts).toEqual([
      { entity: 'email', column: 'c', index: 0, count: 1 },
      { entity: 'phone', column: 'c', index: 0, count: 1 },
      { entity: 'name', column: 'c', index: 0, count: 1 },
      { entity: 'address', column: 'c', index: 0, count: 1 },
      { entity: 'dob', column: 'c', index: 0, count: 1 },
    ]);
    // The target reads the masked text back as a customers row, field for field.
    const back = await database.query('SELECT ($1::customers).*', [masked]);
    expect(back.rows[0]).toMatchObject({
      id: 7,
      full_name: '[REDACTED:name]',
      street_address: '[REDACTED:address]',
      notes: 'said "hi", call ***-***-0120',
    });
  });

  it('masking - array_agg(c) of customers rows is masked element by element, field by field', async () => {
    const sql = 'SELECT array_agg(c) AS cs FROM customers c';
    const columns = await describeQuery(sql);
    const { rows } = await database.query({
      text: sql,
      rowMode: 'array',
      types: { getTypeParser: () => (value: string) => value },
    });
    const reply = await mask({ profile: 'default', target: 'demo', columns, rows });
    expect(reply.body.error).toBeUndefined();
    const masked = reply.body.rows![0]![0]!;
    // The target reads it back as customers[]: every element a valid row.
    const back = await database.query('SELECT to_jsonb(u) AS j FROM unnest($1::customers[]) AS u', [masked]);
    expect(back.rows.map((row) => row.j)).toEqual([
      {
        id: 7,
        full_name: '[REDACTED:name]',
        email: '****@example.com',
        street_address: '[REDACTED:address]',
        date_of_birth: '1900-01-01',
        notes: 'said "hi", call ***-***-0120',
        created_at: '2024-01-02T03:04:05+00:00',
      },
    ]);
  });

  it('masking - the catalog reader gives composite fields in attribute order without dropped columns', async () => {
    const types = await database.query<{ typname: string; oid: number }>(
      `SELECT typname, oid::int AS oid FROM pg_type WHERE typname IN ('customers', '_customers', 'mailing', 'mood')`,
    );
    const oid = Object.fromEntries(types.rows.map((row) => [row.typname, row.oid]));
    const catalogs = new TargetCatalogs({
      targets: TargetRegistry.fromFile(join(dir, 'targets.yaml')),
      ttlMs: 60_000,
      timeoutMs: 1000,
      logger: silent,
    });
    try {
      const found = await catalogs.compositeTypes('demo', [
        oid.customers!,
        oid._customers!,
        oid.mailing!,
        oid.mood!,
        99_999,
      ]);
      expect([...found.keys()].sort()).toEqual([oid.customers, oid._customers, oid.mailing].sort());
      expect(found.get(oid._customers!)).toEqual({ ...found.get(oid.customers!)!, array: true });
      expect(found.get(oid.customers!)).toEqual({
        name: 'customers',
        array: false,
        fields: [
          { name: 'id', typeOid: 23, typeModifier: -1 },
          { name: 'full_name', typeOid: 25, typeModifier: -1 },
          { name: 'email', typeOid: 25, typeModifier: -1 },
          { name: 'street_address', typeOid: 25, typeModifier: -1 },
          { name: 'date_of_birth', typeOid: 1082, typeModifier: -1 },
          { name: 'notes', typeOid: 25, typeModifier: -1 },
          { name: 'created_at', typeOid: 1184, typeModifier: -1 },
        ],
      });
      expect(found.get(oid.mailing!)).toEqual({
        name: 'mailing',
        array: false,
        fields: [
          { name: 'full_name', typeOid: 1043, typeModifier: 44 },
          { name: 'postcode', typeOid: 25, typeModifier: -1 },
        ],
      });
      // Cached for the TTL: a column added since is not seen until the entry expires.
      await database.query('ALTER TABLE customers ADD COLUMN phone text');
      try {
        const again = await catalogs.compositeTypes('demo', [oid.customers!]);
        expect(again.get(oid.customers!)).toBe(found.get(oid.customers!));
      } finally {
        await database.query('ALTER TABLE customers DROP COLUMN phone');
      }
      await expect(catalogs.compositeTypes('down', [oid.customers!])).rejects.toBeInstanceOf(
        DependencyUnavailableError,
      );
    } finally {
      await catalogs.close();
    }
  });

  it('masking - masks SSH output lines', async () => {
    const reply = await mask({
      profile: 'strict',
      target: 'demo-ssh',
      columns: [],
      lines: ['user jane.doe@example.com logged in'],
    });
    expect(reply.body.lines).toEqual(['user [REDACTED:email] logged in']);
  });
});
