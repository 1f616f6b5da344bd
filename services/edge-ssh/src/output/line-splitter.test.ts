import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter, type OutputLine } from './line-splitter.ts';

function text(lines: OutputLine[]): [string, boolean][] {
  return lines.map((line) => [line.bytes.toString('utf8'), line.terminated]);
}

describe('LineSplitter', () => {
  it('line-splitter - cuts at newlines and holds the unterminated rest', () => {
    const splitter = new LineSplitter(64);
    expect(text(splitter.push(Buffer.from('one\ntwo\nthr')))).toEqual([
      ['one', true],
      ['two', true],
    ]);
    expect(splitter.buffered).toBe(3);
    expect(text(splitter.push(Buffer.from('ee\n\nfour')))).toEqual([
      ['three', true],
      ['', true],
    ]);
    expect(text([splitter.end()!])).toEqual([['four', false]]);
    expect(splitter.end()).toBeUndefined();
  });

  it('line-splitter - cuts a line longer than the cap without splitting a UTF-8 character', () => {
    const splitter = new LineSplitter(8);
    // "aaaaaaa" + "é" (2 bytes) crosses the 8-byte cap inside the character.
    const lines = splitter.push(Buffer.from('aaaaaaaébbbb\n'));
    expect(text(lines)).toEqual([
      ['aaaaaaa', false],
      ['ébbbb', true],
    ]);
  });

  it('line-splitter - never holds more than the cap', () => {
    const splitter = new LineSplitter(16);
    for (let index = 0; index < 100; index += 1) {
      splitter.push(Buffer.from('xyz'));
      expect(splitter.buffered).toBeLessThanOrEqual(16);
    }
  });

  it('line-splitter - refuses a cap too small for one UTF-8 character', () => {
    expect(() => new LineSplitter(3)).toThrow(RangeError);
  });

  it('line-splitter - joining the lines restores the bytes for any chunking', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 120 }),
        fc.array(fc.nat(40), { maxLength: 10 }),
        fc.integer({ min: 4, max: 32 }),
        (input, cuts, cap) => {
          const bytes = Buffer.from(input, 'utf8');
          const splitter = new LineSplitter(cap);
          const lines: OutputLine[] = [];
          let start = 0;
          for (const cut of [...cuts, bytes.length]) {
            const end = Math.min(bytes.length, start + cut);
            lines.push(...splitter.push(bytes.subarray(start, end)));
            start = end;
          }
          lines.push(...splitter.push(bytes.subarray(start)));
          const last = splitter.end();
          if (last) lines.push(last);
          const joined = Buffer.concat(
            lines.map((line) => Buffer.concat([line.bytes, Buffer.from(line.terminated ? '\n' : '')])),
          );
          return joined.equals(bytes) && lines.every((line) => line.bytes.length <= cap);
        },
      ),
    );
  });
});
