import { describe, expect, it } from 'vitest';
import { CopyCsvCodec } from './copy-csv-codec.ts';
import { defaultCopyOptions } from './copy-options.ts';
import { CopyFormatError, encodeCopyRow } from './copy-row-codec.ts';

const options = defaultCopyOptions('csv');
const codec = new CopyCsvCodec(options, ['id', 'name', 'notes']);

describe('CopyCsvCodec', () => {
  it('copy csv - reads quoted fields with delimiters, doubled quotes and newlines', () => {
    const [row] = codec.decode('1,"Doe, Jane","said ""hi""\nthen left"\n');
    expect(row!.fields).toEqual(['1', 'Doe, Jane', 'said "hi"\nthen left']);
    expect(row!.raw).toEqual(['1', '"Doe, Jane"', '"said ""hi""\nthen left"']);
  });

  it('copy csv - an unquoted empty field is NULL, a quoted empty one is the empty string', () => {
    const [row] = codec.decode('1,,""\n');
    expect(row!.fields).toEqual(['1', null, '']);
  });

  it('copy csv - several rows in one payload, \\r\\n terminators', () => {
    const rows = codec.decode('1,a,b\r\n2,c,d\n');
    expect(rows.map((row) => row.fields)).toEqual([
      ['1', 'a', 'b'],
      ['2', 'c', 'd'],
    ]);
    expect(rows[0]!.terminator).toBe('\r\n');
  });

  it('copy csv - refuses a payload that ends inside quotes or without a newline', () => {
    expect(() => codec.decode('1,"open\n')).toThrow(CopyFormatError);
    expect(() => codec.decode('1,a,b')).toThrow(CopyFormatError);
  });

  it('copy csv - quotes a masked value only when PostgreSQL would', () => {
    const [row] = codec.decode('1,"Doe, Jane",x\n');
    expect(encodeCopyRow(codec, row!, ['1', 'Doe, Jane', '[REDACTED:name]'])).toBe(
      '1,"Doe, Jane",[REDACTED:name]\n',
    );
    expect(codec.encodeField('a,b', 2)).toBe('"a,b"');
    expect(codec.encodeField('say "x"', 2)).toBe('"say ""x"""');
    expect(codec.encodeField('', 2)).toBe('""');
    expect(codec.encodeField(null, 2)).toBe('');
  });

  it('copy csv - FORCE_QUOTE by column name or *, and a distinct escape character', () => {
    const forced = new CopyCsvCodec({ ...options, forceQuote: ['notes'], escape: '\\' }, [
      'id',
      'name',
      'notes',
    ]);
    expect(forced.encodeField('plain', 2)).toBe('"plain"');
    expect(forced.encodeField('plain', 1)).toBe('plain');
    expect(forced.encodeField('a"b\\c', 1)).toBe('"a\\"b\\\\c"');
    const [row] = forced.decode('1,"a\\"b",x\n');
    expect(row!.fields).toEqual(['1', 'a"b', 'x']);
    const all = new CopyCsvCodec({ ...options, forceQuote: '*' }, ['id']);
    expect(all.encodeField('1', 0)).toBe('"1"');
  });
});
