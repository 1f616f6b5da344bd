import { describe, expect, it } from 'vitest';
import {
  builtInProfiles,
  compileProfile,
  maskRow,
  PgTypeOid,
  planResultSet,
  type ColumnInfo,
} from '../index.ts';

const profile = compileProfile(builtInProfiles.default);
const col = (name: string, typeOid: number, extra: Partial<ColumnInfo> = {}): ColumnInfo => ({
  name,
  typeOid,
  format: 'text',
  tableName: 'customers',
  columnName: name,
  ...extra,
});
const summary = (columns: ColumnInfo[]): string[] =>
  planResultSet(columns, profile).columns.map((c) => `${c.name}:${c.kind}${c.entity ? `:${c.entity}` : ''}`);

describe('planResultSet', () => {
  it('plan - masks hinted columns whole, scans free text, passes typed columns', () => {
    expect(
      summary([
        col('id', PgTypeOid.Int4),
        col('email', PgTypeOid.Varchar),
        col('notes', PgTypeOid.Text),
        col('profile', PgTypeOid.Jsonb),
        col('amount', PgTypeOid.Numeric),
        col('created_at', PgTypeOid.Timestamptz),
        col('active', PgTypeOid.Bool),
        col('avatar', PgTypeOid.Bytea),
        col('external_id', PgTypeOid.Uuid),
      ]),
    ).toEqual([
      'id:pass',
      'email:whole:email',
      'notes:scan',
      'profile:scan',
      'amount:pass',
      'created_at:pass',
      'active:pass',
      'avatar:pass',
      'external_id:pass',
    ]);
  });

  it('plan - says nothing needs masking when no column can hold PII', () => {
    const plan = planResultSet([col('id', PgTypeOid.Int8), col('total', PgTypeOid.Numeric)], profile);
    expect(plan.needsMasking).toBe(false);
    expect(plan.maskedColumns).toEqual([]);
    expect(plan.refusal).toBeUndefined();
  });

  it('plan - follows the source column through an alias, and the alias when there is no source', () => {
    expect(summary([col('contact', PgTypeOid.Text, { columnName: 'email' })])).toEqual([
      'contact:whole:email',
    ]);
    expect(summary([{ name: 'ssn', typeOid: PgTypeOid.Text, format: 'text' }])).toEqual(['ssn:whole:ssn']);
    expect(summary([{ name: 'upper', typeOid: PgTypeOid.Text, format: 'text' }])).toEqual(['upper:scan']);
  });

  it('plan - hinted typed columns are masked whole; computed numbers are scanned; inet is an IP', () => {
    expect(
      summary([
        col('ssn', PgTypeOid.Int4),
        col('date_of_birth', PgTypeOid.Date),
        { name: 'sum', typeOid: PgTypeOid.Int8, format: 'text' },
        col('last_login_ip', PgTypeOid.Inet),
        col('peer', PgTypeOid.Inet),
      ]),
    ).toEqual([
      'ssn:whole:ssn',
      'date_of_birth:whole:dob',
      'sum:scan',
      'last_login_ip:whole:ipv4',
      'peer:whole:ipv4',
    ]);
  });

  it('plan - only the allow-list passes: bool, time, interval, OID types, dates, uuid, traced numbers and bytea', () => {
    expect(
      summary([
        col('active', PgTypeOid.Bool),
        col('opens_at', PgTypeOid.Time),
        col('ttl', PgTypeOid.Interval),
        col('rel', 2205), // regclass
        col('created', PgTypeOid.Timestamptz),
        col('external', PgTypeOid.Uuid),
        col('amount', PgTypeOid.Numeric),
        col('avatar', PgTypeOid.Bytea),
        col('flags', 1000), // bool[]
        col('days', 1182), // date[]
        col('scores', PgTypeOid.Int4Array),
        { name: 'relid', typeOid: PgTypeOid.Oid, format: 'text' },
      ]).every((s) => s.endsWith(':pass')),
    ).toBe(true);
  });

  it('plan - composites, records, arrays, unknown OIDs, fixed-syntax types and computed bytea are scanned', () => {
    expect(
      summary([
        { name: 'c', typeOid: 16_500, format: 'text' },
        { name: 'row', typeOid: PgTypeOid.Record, format: 'text' },
        { name: 'array_agg', typeOid: PgTypeOid.TextArray, format: 'text' },
        { name: 'sums', typeOid: PgTypeOid.Int4Array, format: 'text' },
        col('mood', 16_501),
        col('doc', PgTypeOid.Xml),
        col('tsv', 3614),
        col('net', PgTypeOid.Cidr),
        { name: 'bytea', typeOid: PgTypeOid.Bytea, format: 'text' },
        col('peers', 1041), // inet[]
        col('email', PgTypeOid.TextArray),
      ]),
    ).toEqual([
      'c:scan',
      'row:scan',
      'array_agg:scan',
      'sums:scan',
      'mood:scan',
      'doc:scan',
      'tsv:scan',
      'net:scan',
      'bytea:scan',
      'peers:whole:ipv4',
      'email:whole:email',
    ]);
    const plan = planResultSet([col('names', 1015, { typeModifier: 14 })], profile);
    expect(plan.columns[0]).toMatchObject({
      valueKind: 'array',
      elementKind: 'text',
      lengthLimit: 10,
      delimiter: ',',
    });
    expect(planResultSet([col('boxes', 1020)], profile).columns[0]!.delimiter).toBe(';');
  });

  it('plan - records length limits: char(n) pads to length, varchar(n) caps it', () => {
    const plan = planResultSet(
      [
        col('code', PgTypeOid.Bpchar, { typeModifier: 14 }),
        col('memo', PgTypeOid.Varchar, { typeModifier: 24 }),
      ],
      profile,
    );
    expect(plan.columns.map((c) => [c.lengthLimit, c.padToLength])).toEqual([
      [10, true],
      [20, false],
    ]);
  });

  it('plan - refuses a binary column it cannot rewrite, unless the operator is nullify', () => {
    const binary = planResultSet(
      [
        col('email', PgTypeOid.Text, { format: 'binary' }),
        col('dob', PgTypeOid.Timestamp, { format: 'binary' }),
      ],
      profile,
    );
    expect(binary.columns.map((c) => c.kind)).toEqual(['whole', 'refuse']);
    expect(binary.refusal).toEqual({
      column: 1,
      name: 'dob',
      reason: expect.stringContaining('binary format of type 1114'),
    });
    const nullify = compileProfile({ name: 'n', entities: { dob: 'nullify' } });
    expect(
      planResultSet([col('dob', PgTypeOid.Timestamp, { format: 'binary' })], nullify).refusal,
    ).toBeUndefined();
  });

  it('plan - reasons name the cause without values', () => {
    const plan = planResultSet(
      [
        col('contact', PgTypeOid.Text, { columnName: 'email', tableName: 'users' }),
        col('notes', PgTypeOid.Text),
      ],
      profile,
    );
    expect(plan.columns.map((c) => c.reason)).toEqual(['source column users.email says email', 'free text']);
  });
});

describe('planResultSet with custom rules', () => {
  const custom = compileProfile({
    name: 'custom',
    entities: { email: 'redact' },
    customRules: [
      { entity: 'employee_id', pattern: '\\bEMP-\\d{6}\\b', operator: 'hash' },
      { entity: 'card', pattern: '\\bC\\d{16}\\b', validator: 'luhn' },
      { entity: 'badge', columns: ['badge_no'], operator: 'redact' },
    ],
    hashKey: 'custom-key-0123456789',
  });

  it('plan - custom patterns are scanned in free text, with their validator', () => {
    const plan = planResultSet([col('notes', PgTypeOid.Text)], custom);
    const { cells, counts } = maskRow(['EMP-123456 used C4111111111111111 and C4111111111111112'], plan);
    expect(cells[0]).toMatch(/^h:[0-9a-f]{16} used \[REDACTED:card\] and C4111111111111112$/);
    expect(counts.byEntity).toEqual({ employee_id: 1, card: 1 });
  });

  it('plan - a custom rule with columns masks that column whole, even a typed one', () => {
    const plan = planResultSet(
      [col('badge_no', PgTypeOid.Int4), col('badge_no_flag', PgTypeOid.Bool)],
      custom,
    );
    expect(plan.columns.map((c) => `${c.kind}:${c.entity ?? '-'}`)).toEqual(['whole:badge', 'pass:-']);
    expect(maskRow(['4711', 't'], plan).cells).toEqual(['0000', 't']);
  });
});
