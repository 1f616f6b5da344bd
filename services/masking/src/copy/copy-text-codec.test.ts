import { describe, expect, it } from 'vitest';
import { defaultCopyOptions } from './copy-options.ts';
import { CopyFormatError, encodeCopyRow } from './copy-row-codec.ts';
import { CopyTextCodec } from './copy-text-codec.ts';

const codec = new CopyTextCodec(defaultCopyOptions('text'));

describe('CopyTextCodec', () => {
  it('copy text - splits fields on tabs, reads \\N as NULL and decodes backslash escapes', () => {
    const [row] = codec.decode('7\t\\N\ta\\tb\\\\c\\nd\\re\tx\\\ty\t\n');
    expect(row!.fields).toEqual(['7', null, 'a\tb\\c\nd\re', 'x\ty', '']);
    expect(row!.raw).toEqual(['7', '\\N', 'a\\tb\\\\c\\nd\\re', 'x\\\ty', '']);
    expect(row!.terminator).toBe('\n');
  });

  it('copy text - decodes octal and hex escapes and keeps other escaped characters literally', () => {
    const [row] = codec.decode('\\101\\x42\\q\n');
    expect(row!.fields).toEqual(['AB' + 'q']);
  });

  it('copy text - a payload with several rows gives one row per line, \\r\\n kept as terminator', () => {
    const rows = codec.decode('1\ta\r\n2\tb\n');
    expect(rows.map((row) => row.fields)).toEqual([
      ['1', 'a'],
      ['2', 'b'],
    ]);
    expect(rows.map((row) => row.terminator)).toEqual(['\r\n', '\n']);
  });

  it('copy text - refuses a payload that does not end a row', () => {
    expect(() => codec.decode('1\tpartial')).toThrow(CopyFormatError);
  });

  it('copy text - encodes masked values with PostgreSQL escapes and untouched fields byte for byte', () => {
    const [row] = codec.decode('1\ta\\\\b\tsecret\n');
    const line = encodeCopyRow(codec, row!, ['1', 'a\\b', 'x\ty\nz\\']);
    expect(line).toBe('1\ta\\\\b\tx\\ty\\nz\\\\\n');
    expect(encodeCopyRow(codec, row!, ['1', 'a\\b', null])).toBe('1\ta\\\\b\t\\N\n');
  });

  it('copy text - honours a custom delimiter and NULL string', () => {
    const custom = new CopyTextCodec({ ...defaultCopyOptions('text'), delimiter: '|', nullString: 'NULL' });
    const [row] = custom.decode('a\\|b|NULL|c\n');
    expect(row!.fields).toEqual(['a|b', null, 'c']);
    expect(custom.encodeField('x|y')).toBe('x\\|y');
    expect(custom.encodeField(null)).toBe('NULL');
  });
});
