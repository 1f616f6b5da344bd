// Medium tier: real PostgreSQL (testcontainers where Docker answers, else DATABASE_URL or
// 127.0.0.1:5432) through node-postgres. Real: the server's RowDescription (type OIDs, source
// columns), its array / composite / bytea text output, and its input functions, which must read
// every masked cell back (`$1::type`) and print it again exactly as masking wrote it.
import { startTestPostgres, type TestPostgres } from '@gatehouse/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  builtInProfiles,
  compileProfile,
  maskRows,
  PgTypeOid,
  planResultSet,
  type ColumnInfo,
  type CompiledProfile,
} from '../index.ts';

const SCHEMA = String.raw`
CREATE TYPE mood AS ENUM ('calm', 'jane.doe@example.com');
CREATE DOMAIN contact_text AS text;
CREATE TYPE pair AS (a text, b text);
CREATE TYPE triple AS (id int, email text, tags text[]);
CREATE TABLE customers (id int, full_name text, email text, ssn text, phones text[], contact contact_text,
  note xml, mood mood, tags text[]);
INSERT INTO customers VALUES
  (1, 'Jane Doe', 'jane.doe@example.com', '123-45-6789', ARRAY['(415) 555-0123', '+44 20 7946 0958'],
   'reach me: j.d@example.org', '<n>mail jane.doe@example.com</n>', 'calm',
   ARRAY['NULL', '', 'a,b', 'say "hi" x@example.net', 'back\slash y@example.net', ' spaced ', '{brace}', NULL]),
  (2, 'O''Brien, Pat', 'pat@example.net', '219-44-5566', NULL, NULL, NULL, 'calm',
   ARRAY[NULL, 'z@example.com', '(paren) q@example.org']::text[]);
`;

/** Every personal value the fixture holds that a detector can find (names need a column hint). */
const PII = [
  'jane.doe@example.com',
  '123-45-6789',
  '555-0123',
  '7946 0958',
  'j.d@example.org',
  'x@example.net',
  'y@example.net',
  'pat@example.net',
  '219-44-5566',
  'z@example.com',
  'q@example.org',
];

const fakeProfile = compileProfile({
  name: 'fake',
  entities: { email: 'fake', phone: 'fake', ssn: 'hash', name: 'fake', address: 'fake' },
  hashKey: 'medium-test-key-0123456789',
});
const PROFILES: [string, CompiledProfile][] = [
  ['default', compileProfile(builtInProfiles.default)],
  ['strict', compileProfile(builtInProfiles.strict)],
  ['fake', fakeProfile],
];

/** A query, and the type its masked cells are cast back to (a named type for anonymous records). */
const QUERIES: [label: string, sql: string, castTo: string][] = [
  ['whole-row composite', 'SELECT c FROM customers c ORDER BY id', 'customers'],
  ['record', 'SELECT row(email, ssn) AS r FROM customers ORDER BY id', 'pair'],
  ['text[] (array_agg)', 'SELECT array_agg(email ORDER BY id) AS a FROM customers', 'text[]'],
  ['text[] with quoting (traced)', 'SELECT tags FROM customers ORDER BY id', 'text[]'],
  ['row type array', 'SELECT array_agg(c ORDER BY id) AS a FROM customers c', 'customers[]'],
  ['record[]', 'SELECT array_agg(row(id, email, tags) ORDER BY id) AS a FROM customers', 'triple[]'],
  [
    'multi-dimensional text[]',
    'SELECT ARRAY[[email, ssn], [full_name, $$x y$$]] AS m FROM customers',
    'text[]',
  ],
  ['dimension decoration', `SELECT '[0:1]={jane.doe@example.com,x}'::text[] AS d`, 'text[]'],
  ['bytea (computed)', 'SELECT email::bytea AS b FROM customers ORDER BY id', 'bytea'],
  ['bytea[] (computed)', 'SELECT ARRAY[email::bytea, ssn::bytea] AS b FROM customers ORDER BY id', 'bytea[]'],
  ['domain over text', 'SELECT contact FROM customers ORDER BY id', 'contact_text'],
  ['xml', 'SELECT note FROM customers ORDER BY id', 'xml'],
  ['hinted text[] (names)', 'SELECT array_agg(full_name ORDER BY id) AS full_name FROM customers', 'text[]'],
];

/** Every value as the server sent it: no driver parsing, so masking sees the wire text. */
const RAW_TEXT: pg.CustomTypesConfig = {
  getTypeParser: (() => (value: string) => value) as pg.CustomTypesConfig['getTypeParser'],
};

describe('structured cells against real PostgreSQL', () => {
  let postgres: TestPostgres;
  let client: pg.Client;

  beforeAll(async () => {
    postgres = await startTestPostgres();
    client = new pg.Client({ connectionString: await postgres.createDatabase('pii_structured') });
    await client.connect();
    await client.query(SCHEMA);
  });

  afterAll(async () => {
    await client?.end();
    await postgres?.stop();
  });

  /** Runs `sql` with every value as the server's text (no driver parsing) and plans it like the edge. */
  async function query(sql: string, binary = false) {
    // `binary` asks for result format code 1 in Bind (extended protocol); pg's type definitions leave it out.
    const config = {
      text: sql,
      rowMode: 'array',
      types: RAW_TEXT,
      ...(binary ? { binary, queryMode: 'extended' } : {}),
    } as pg.QueryArrayConfig;
    const result = await client.query<(string | null)[]>(config);
    const columns: ColumnInfo[] = [];
    for (const field of result.fields) {
      let source: { relname: string; attname: string } | undefined;
      if (field.tableID !== 0) {
        const found = await client.query<{ relname: string; attname: string }>(
          'SELECT relname, attname FROM pg_attribute JOIN pg_class ON pg_class.oid = attrelid WHERE attrelid = $1 AND attnum = $2',
          [field.tableID, field.columnID],
        );
        source = found.rows[0];
      }
      columns.push({
        name: field.name,
        typeOid: field.dataTypeID,
        format: field.format === 'binary' ? 'binary' : 'text', // the format code the server sent
        tableName: source?.relname,
        columnName: source?.attname,
        typeModifier: field.dataTypeModifier,
      });
    }
    return { columns, rows: result.rows };
  }

  /** The text PostgreSQL prints after reading `text` as `type`: equal to `text` when masking quoted like the server. */
  async function roundTrip(text: string, type: string): Promise<string> {
    const { rows } = await client.query<{ back: string }>(`SELECT ($1::${type})::text AS back`, [text]);
    return rows[0]!.back;
  }

  it('structured - RowDescription carries the base type for a domain and a user OID for enums and row types', async () => {
    const { columns } = await query(`SELECT contact, mood, c, row(1) AS r, tags FROM customers c LIMIT 1`);
    expect(columns.map((c) => c.typeOid).slice(0, 1)).toEqual([PgTypeOid.Text]);
    expect(columns[1]!.typeOid).toBeGreaterThanOrEqual(16_384);
    expect(columns[2]!.typeOid).toBeGreaterThanOrEqual(16_384);
    expect(columns[3]!.typeOid).toBe(PgTypeOid.Record);
    expect(columns[4]!.typeOid).toBe(PgTypeOid.TextArray);
  });

  for (const [name, profile] of PROFILES) {
    it.each(QUERIES)(
      `structured - %s is masked (${name}) and reads back as its type`,
      async (_, sql, castTo) => {
        const { columns, rows } = await query(sql);
        const plan = planResultSet(columns, profile);
        expect(plan.refusal).toBeUndefined();
        expect(plan.needsMasking).toBe(true);
        const masked = maskRows(rows, plan);
        expect(masked.counts.total).toBeGreaterThan(0);
        for (const row of masked.rows) {
          const cell = row[0] as string | null;
          if (cell === null) continue;
          expect(await roundTrip(cell, castTo)).toBe(cell);
          const readable = castTo.startsWith('bytea') ? decodeHexes(cell) : cell;
          for (const value of PII) expect(readable).not.toContain(value);
        }
      },
    );
  }

  it('structured - an enum label holding PII is masked as text', async () => {
    const { columns, rows } = await query(`SELECT 'jane.doe@example.com'::mood AS m, 'calm'::mood AS ok`);
    const { rows: masked } = maskRows(rows, planResultSet(columns, PROFILES[0]![1]));
    expect(masked[0]).toEqual(['****@example.com', 'calm']);
  });

  it('structured - a tsvector holding PII becomes NULL; nullify turns a composite cell into NULL', async () => {
    const tsv = await query(`SELECT to_tsvector('simple', email) AS t FROM customers ORDER BY id`);
    expect(maskRows(tsv.rows, planResultSet(tsv.columns, PROFILES[0]![1])).rows).toEqual([[null], [null]]);
    const nullify = compileProfile({ name: 'n', entities: { email: 'nullify', ssn: 'partial' } });
    const row = await query('SELECT c FROM customers c ORDER BY id');
    expect(maskRows(row.rows, planResultSet(row.columns, nullify)).rows).toEqual([[null], [null]]);
  });

  it('structured - binary-format composites, records, arrays and computed bytea are refused', async () => {
    const { columns } = await query(
      'SELECT c, row(email, ssn) AS r, tags, email::bytea AS b FROM customers c ORDER BY id',
      true,
    );
    const plan = planResultSet(columns, PROFILES[0]![1]);
    expect(plan.columns.map((c) => c.kind)).toEqual(['refuse', 'refuse', 'refuse', 'refuse']);
    expect(plan.refusal?.reason).toContain('request text format');
  });
});

/** The UTF-8 text of every `\x...` hex bytea inside `text` (a bytea cell or a bytea[] cell). */
function decodeHexes(text: string): string {
  return text.replace(/\\+x([0-9a-f]*)/g, (_, hex: string) => Buffer.from(hex, 'hex').toString('utf8'));
}
