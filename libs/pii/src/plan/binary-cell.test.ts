import { describe, expect, it } from 'vitest';
import {
  builtInProfiles,
  compileProfile,
  createTally,
  maskBinaryCell,
  maskRows,
  PgTypeOid,
  planResultSet,
  supportsBinary,
  type ColumnInfo,
} from '../index.ts';

const profile = compileProfile(builtInProfiles.default);
const bin = (name: string, typeOid: number): ColumnInfo => ({
  name,
  typeOid,
  format: 'binary',
  tableName: 't',
  columnName: name,
});
const int4 = (n: number): Uint8Array => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, n);
  return b;
};
const int8 = (n: bigint): Uint8Array => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigInt64(0, n);
  return b;
};
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const days = (iso: string): Uint8Array => int4((Date.parse(iso) - Date.UTC(2000, 0, 1)) / 86_400_000);

describe('maskBinaryCell', () => {
  it('binary-cell - supports int2/int4/int8, text types, json/jsonb and date only', () => {
    for (const oid of [
      PgTypeOid.Int2,
      PgTypeOid.Int4,
      PgTypeOid.Int8,
      PgTypeOid.Text,
      PgTypeOid.Varchar,
      PgTypeOid.Jsonb,
      PgTypeOid.Date,
    ]) {
      expect(supportsBinary(oid)).toBe(true);
    }
    for (const oid of [
      PgTypeOid.Numeric,
      PgTypeOid.Timestamp,
      PgTypeOid.Uuid,
      PgTypeOid.Inet,
      PgTypeOid.Float8,
    ]) {
      expect(supportsBinary(oid)).toBe(false);
    }
  });

  it('binary-cell - re-encodes integers in range with the same width', () => {
    const plan = planResultSet([bin('ssn', PgTypeOid.Int4), bin('card_number', PgTypeOid.Int8)], profile);
    const ssn = maskBinaryCell(int4(123456789), PgTypeOid.Int4, plan.columns[0]!);
    expect(ssn).toEqual({ ok: true, value: int4(6789) });
    const card = maskBinaryCell(int8(4111111111111111n), PgTypeOid.Int8, plan.columns[1]!);
    expect(card).toEqual({ ok: true, value: int8(1111n) });
  });

  it('binary-cell - re-encodes text, jsonb (version byte kept) and dates', () => {
    const plan = planResultSet(
      [bin('email', PgTypeOid.Varchar), bin('doc', PgTypeOid.Jsonb), bin('date_of_birth', PgTypeOid.Date)],
      profile,
    );
    expect(maskBinaryCell(utf8('ann@example.com'), PgTypeOid.Varchar, plan.columns[0]!)).toEqual({
      ok: true,
      value: utf8('****@example.com'),
    });
    const jsonb = new Uint8Array([1, ...utf8('{"email": "ann@example.com"}')]);
    expect(maskBinaryCell(jsonb, PgTypeOid.Jsonb, plan.columns[1]!)).toEqual({
      ok: true,
      value: new Uint8Array([1, ...utf8('{"email": "****@example.com"}')]),
    });
    expect(maskBinaryCell(days('1990-05-17'), PgTypeOid.Date, plan.columns[2]!)).toEqual({
      ok: true,
      value: days('1900-01-01'),
    });
    expect(maskBinaryCell(int4(0x7fffffff), PgTypeOid.Date, plan.columns[2]!)).toEqual({
      ok: true,
      value: int4(0x7fffffff),
    });
  });

  it('binary-cell - returns the same bytes when nothing was found', () => {
    const plan = planResultSet([bin('notes', PgTypeOid.Text)], profile);
    const bytes = utf8('nothing personal');
    const result = maskBinaryCell(bytes, PgTypeOid.Text, plan.columns[0]!);
    expect(result.ok && result.value).toBe(bytes);
  });

  it('binary-cell - refuses malformed input and types without an encoder, but nullify works for any type', () => {
    const plan = planResultSet(
      [bin('ssn', PgTypeOid.Int4), bin('notes', PgTypeOid.Text), bin('dob', PgTypeOid.Timestamp)],
      profile,
    );
    expect(maskBinaryCell(new Uint8Array(3), PgTypeOid.Int4, plan.columns[0]!)).toEqual({
      ok: false,
      reason: 'binary 23: expected 4 bytes',
    });
    expect(maskBinaryCell(new Uint8Array([0xff, 0xfe]), PgTypeOid.Text, plan.columns[1]!)).toEqual({
      ok: false,
      reason: 'binary 25: text is not UTF-8',
    });
    expect(maskBinaryCell(int8(1n), PgTypeOid.Timestamp, plan.columns[2]!).ok).toBe(false);
    const nullify = compileProfile({ name: 'n', entities: { dob: 'nullify' } });
    const p = planResultSet([bin('dob', PgTypeOid.Timestamp)], nullify);
    const tally = createTally(p);
    expect(maskBinaryCell(int8(1n), PgTypeOid.Timestamp, p.columns[0]!, tally)).toEqual({
      ok: true,
      value: null,
    });
    expect(tally.toCounts().byEntity).toEqual({ dob: 1 });
  });

  it('binary-cell - maskRows dispatches byte cells to the binary path', () => {
    const plan = planResultSet([bin('ssn', PgTypeOid.Int4)], profile);
    const { rows, counts } = maskRows([[int4(123456789)], [null]], plan);
    expect(rows).toEqual([[int4(6789)], [null]]);
    expect(counts.byEntity).toEqual({ ssn: 1 });
  });
});
