import { PolicyDeniedError } from '@gatehouse/errors';
import { describe, expect, it } from 'vitest';
import {
  builtInProfiles,
  compileProfile,
  maskRow,
  maskRows,
  mergeMaskCounts,
  PgTypeOid,
  planResultSet,
  type ColumnInfo,
} from '../index.ts';

const profile = compileProfile(builtInProfiles.default);
const text = (
  name: string,
  typeOid: number = PgTypeOid.Text,
  extra: Partial<ColumnInfo> = {},
): ColumnInfo => ({
  name,
  typeOid,
  format: 'text',
  tableName: 't',
  columnName: name,
  ...extra,
});

describe('maskRows', () => {
  const plan = planResultSet(
    [text('id', PgTypeOid.Int4), text('email'), text('phone'), text('notes')],
    profile,
  );

  it('mask-rows - masks hinted and scanned cells and counts per entity and column', () => {
    const { rows, counts } = maskRows(
      [
        ['1', 'ann@example.com', '(415) 555-0123', 'card 4111 1111 1111 1111, mail bob@example.org'],
        ['2', null, '', 'nothing here'],
      ],
      plan,
    );
    expect(rows).toEqual([
      ['1', '****@example.com', '(***) ***-0123', 'card **** **** **** 1111, mail ****@example.org'],
      ['2', null, '', 'nothing here'],
    ]);
    expect(counts).toEqual({
      total: 4,
      byEntity: { email: 2, phone: 1, card: 1 },
      byColumn: [
        { index: 1, column: 'email', byEntity: { email: 1 } },
        { index: 2, column: 'phone', byEntity: { phone: 1 } },
        { index: 3, column: 'notes', byEntity: { card: 1, email: 1 } },
      ],
    });
    expect(JSON.stringify(counts)).not.toContain('ann');
  });

  it('mask-rows - returns untouched rows as the same arrays and never modifies the input', () => {
    const clean = ['3', '', '', 'all good'];
    const dirty = ['4', 'x@example.com', '', ''];
    const { rows } = maskRows([clean, dirty], plan);
    expect(rows[0]).toBe(clean);
    expect(rows[1]).not.toBe(dirty);
    expect(dirty).toEqual(['4', 'x@example.com', '', '']);
  });

  it('mask-rows - a plan that needs no masking passes rows through', () => {
    const none = planResultSet([text('id', PgTypeOid.Int4)], profile);
    const input = [['1'], ['2']];
    const result = maskRows(input, none);
    expect(result.rows).toBe(input);
    expect(result.counts.total).toBe(0);
  });

  it('mask-rows - nullify inside free text turns the whole cell into NULL', () => {
    const nullify = compileProfile({ name: 'n', entities: { email: 'nullify', card: 'redact' } });
    const p = planResultSet([text('notes')], nullify);
    expect(maskRow(['mail ann@example.com now'], p).cells).toEqual([null]);
    expect(maskRow(['card 4111111111111111'], p).cells).toEqual(['card [REDACTED:card]']);
  });

  it('mask-rows - char(n) keeps its length and varchar(n) its limit', () => {
    const strict = compileProfile(builtInProfiles.strict);
    const p = planResultSet(
      [
        text('email', PgTypeOid.Bpchar, { typeModifier: 24 }),
        text('note', PgTypeOid.Varchar, { typeModifier: 14 }),
      ],
      strict,
    );
    const { cells } = maskRow(['ann@example.com     ', 'x ann@example.com'], p);
    expect(cells).toEqual(['[REDACTED:email]    ', 'x ********']);
    expect((cells[0] as string).length).toBe(20);
  });

  it('mask-rows - typed hinted columns get valid values of their type', () => {
    const p = planResultSet(
      [text('ssn', PgTypeOid.Int4), text('date_of_birth', PgTypeOid.Date), text('client_ip', PgTypeOid.Inet)],
      profile,
    );
    expect(maskRow(['123456789', '1990-05-17', '203.0.113.42'], p).cells).toEqual([
      '000006789',
      '1900-01-01',
      '203.0.113.0',
    ]);
  });

  it('mask-rows - JSON stays valid and keys act as hints', () => {
    const p = planResultSet([text('doc', PgTypeOid.Jsonb)], profile);
    const doc = '{"ssn": "219445566", "phone": 4155550123, "contact": {"email": "ann@example.com"}, "n": 1}';
    const [masked] = maskRow([doc], p).cells as [string];
    expect(JSON.parse(masked)).toEqual({
      ssn: '*****5566',
      phone: 0,
      contact: { email: '****@example.com' },
      n: 1,
    });
  });

  it('mask-rows - a refusal plan throws PolicyDeniedError instead of masking', () => {
    const p = planResultSet(
      [text('email', PgTypeOid.Text), text('dob', PgTypeOid.Timestamp, { format: 'binary' })],
      profile,
    );
    expect(() => maskRows([['a@example.com', new Uint8Array(8)]], p)).toThrow(PolicyDeniedError);
  });

  it('mask-rows - counts of two batches merge by column', () => {
    const a = maskRows([['1', 'a@example.com', '', '']], plan).counts;
    const b = maskRows([['2', 'b@example.com', '', 'c@example.com']], plan).counts;
    expect(mergeMaskCounts(a, b)).toEqual({
      total: 3,
      byEntity: { email: 3 },
      byColumn: [
        { index: 1, column: 'email', byEntity: { email: 2 } },
        { index: 3, column: 'notes', byEntity: { email: 1 } },
      ],
    });
  });
});
