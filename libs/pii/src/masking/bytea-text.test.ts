import { describe, expect, it } from 'vitest';
import { decodeByteaText, encodeByteaHex, isHexBytea } from './bytea-text.ts';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

describe('bytea-text', () => {
  it('bytea-text - decodes the hex output format, either case', () => {
    expect(decodeByteaText('\\x6a61FF00')).toEqual(bytes(0x6a, 0x61, 0xff, 0x00));
    expect(decodeByteaText('\\x')).toEqual(bytes());
    expect(decodeByteaText('\\x6')).toBeUndefined();
    expect(decodeByteaText('\\x6g')).toBeUndefined();
  });

  it('bytea-text - decodes the escape output format: printable bytes, \\\\ and \\ooo', () => {
    expect(decodeByteaText('ja\\\\n\\000\\377')).toEqual(bytes(0x6a, 0x61, 0x5c, 0x6e, 0x00, 0xff));
    expect(decodeByteaText('a\\9')).toBeUndefined();
    expect(decodeByteaText('a\u0100')).toBeUndefined();
  });

  it('bytea-text - encodes hex that decodes back to the same bytes', () => {
    const b = bytes(0, 1, 0x7f, 0x80, 0xfe, 0xff);
    expect(encodeByteaHex(b)).toBe('\\x00017f80feff');
    expect(decodeByteaText(encodeByteaHex(b))).toEqual(b);
    expect(isHexBytea('\\x00017f80feff')).toBe(true);
    expect(isHexBytea('\\x0')).toBe(false);
    expect(isHexBytea('x00')).toBe(false);
  });
});
