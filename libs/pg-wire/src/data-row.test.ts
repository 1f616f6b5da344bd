import { ProtocolViolationError } from '@gatehouse/errors';
import fc from 'fast-check';
import { Parser } from 'pg-protocol/dist/parser.js';
import { describe, expect, it } from 'vitest';
import {
  DataRowCells,
  encodeDataRow,
  forEachDataRowCell,
  rewriteDataRow,
  type CellValue,
} from './data-row.ts';

const row = encodeDataRow(['1', null, '', 'ada@example.com', 'ünï', null]);

function pgFields(message: Buffer): unknown[] {
  let fields: unknown[] = [];
  new Parser().parse(message, (parsed) => {
    fields = (parsed as unknown as { fields: unknown[] }).fields;
  });
  return fields;
}

describe('data-row', () => {
  it('data-row - encodes lengths per cell: -1 for NULL, 0 for empty, UTF-8 byte length otherwise', () => {
    expect(row.subarray(0, 7).toString('hex')).toBe(
      `44${(row.length - 1).toString(16).padStart(8, '0')}0006`,
    );
    const hex = row.subarray(7).toString('hex');
    expect(hex).toBe(
      [
        '00000001' + '31',
        'ffffffff',
        '00000000',
        '0000000f' + Buffer.from('ada@example.com').toString('hex'),
        '00000005' + Buffer.from('ünï').toString('hex'),
        'ffffffff',
      ].join(''),
    );
  });

  it('data-row - forEachDataRowCell visits (offset, length) pairs without decoding', () => {
    const visits: [number, number, number][] = [];
    const count = forEachDataRowCell(row, (index, offset, length) => visits.push([index, offset, length]));
    expect(count).toBe(6);
    expect(visits).toEqual([
      [0, 11, 1],
      [1, 16, -1],
      [2, 20, 0],
      [3, 24, 15],
      [4, 43, 5],
      [5, 52, -1],
    ]);
  });

  it('data-row - DataRowCells reads cells on demand as text or views, NULL as null', () => {
    const cells = DataRowCells.of(row);
    expect(cells.count).toBe(6);
    expect(cells.text(0)).toBe('1');
    expect(cells.text(1)).toBeNull();
    expect(cells.isNull(1)).toBe(true);
    expect(cells.text(2)).toBe('');
    expect(cells.isNull(2)).toBe(false);
    expect(cells.bytes(2)).toEqual(Buffer.alloc(0));
    expect(cells.text(3)).toBe('ada@example.com');
    expect(cells.text(4)).toBe('ünï');
    expect(cells.length(4)).toBe(5); // UTF-8 bytes, not characters
    expect(cells.bytes(5)).toBeNull();
    const view = cells.bytes(3)!;
    expect(view.buffer).toBe(row.buffer);
    expect(view.byteOffset).toBe(row.byteOffset + 24);
    expect(() => cells.text(6)).toThrow(RangeError);
    expect(() => cells.text(-1)).toThrow(RangeError);
  });

  it('data-row - a reused DataRowCells indexes rows of different widths', () => {
    const cells = new DataRowCells(1);
    expect(cells.reset(encodeDataRow(['a', 'b', 'c'])).text(2)).toBe('c');
    expect(cells.reset(encodeDataRow([])).count).toBe(0);
    expect(cells.reset(encodeDataRow([null])).isNull(0)).toBe(true);
    expect(() => cells.text(1)).toThrow(RangeError);
  });

  it('data-row - rewrites only the given cells and copies the others byte for byte', () => {
    const cells = DataRowCells.of(row);
    const rewritten = rewriteDataRow(
      cells,
      new Map<number, CellValue>([
        [3, 'a**@example.com'],
        [1, 'was null'],
        [4, null],
      ]),
    );
    expect(rewritten).toEqual(encodeDataRow(['1', 'was null', '', 'a**@example.com', null, null]));
    expect(pgFields(rewritten)).toEqual(['1', 'was null', '', 'a**@example.com', null, null]);
  });

  it('data-row - rewriting with no replacements returns an equal copy; first and last cells can change', () => {
    const cells = DataRowCells.of(row);
    const same = rewriteDataRow(cells, new Map());
    expect(same).toEqual(row);
    expect(same.buffer === row.buffer && same.byteOffset === row.byteOffset).toBe(false);
    const ends = rewriteDataRow(
      cells,
      new Map<number, CellValue>([
        [0, Buffer.from([0xff, 0x00])],
        [5, ''],
      ]),
    );
    expect(ends).toEqual(encodeDataRow([Buffer.from([0xff, 0x00]), null, '', 'ada@example.com', 'ünï', '']));
  });

  it('data-row - rejects replacements for cells the row does not have', () => {
    const cells = DataRowCells.of(row);
    expect(() => rewriteDataRow(cells, new Map([[6, 'x']]))).toThrow(
      'replacement for cell 6 but the row has 6',
    );
  });

  it('data-row - rewrite equals re-encoding for any row and any replacement set (property)', () => {
    const cell = fc.oneof(fc.constant(null), fc.string({ unit: 'grapheme', maxLength: 20 }));
    fc.assert(
      fc.property(
        fc.array(cell, { maxLength: 12 }),
        fc.array(fc.tuple(fc.nat(), cell), { maxLength: 12 }),
        (values, edits) => {
          const original = encodeDataRow(values);
          const replacements = new Map<number, CellValue>();
          const expected = [...values];
          for (const [at, value] of edits) {
            if (values.length === 0) break;
            replacements.set(at % values.length, value);
            expected[at % values.length] = value;
          }
          const cells = DataRowCells.of(original);
          expect(rewriteDataRow(cells, replacements)).toEqual(encodeDataRow(expected));
          expect(Array.from({ length: cells.count }, (_, i) => cells.text(i))).toEqual(values);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('data-row - rejects malformed rows: wrong type, bad length, cell past the end, length below -1, trailing bytes', () => {
    const wrongType = Buffer.from(row);
    wrongType[0] = 0x54;
    expect(() => DataRowCells.of(wrongType)).toThrow('invalid DataRow message: type byte 0x54');
    const badLength = Buffer.from(row);
    badLength.writeInt32BE(3, 1);
    expect(() => DataRowCells.of(badLength)).toThrow(ProtocolViolationError);
    const pastEnd = encodeDataRow(['abc']);
    pastEnd.writeInt32BE(4, 7);
    expect(() => forEachDataRowCell(pastEnd, () => undefined)).toThrow('cell 0 runs past the end');
    const belowNull = encodeDataRow(['abcd']);
    belowNull.writeInt32BE(-2, 7);
    expect(() => DataRowCells.of(belowNull)).toThrow('cell 0 has length -2');
    const trailing = encodeDataRow(['abcd']);
    trailing.writeInt32BE(3, 7);
    expect(() => DataRowCells.of(trailing)).toThrow('1 trailing byte(s)');
    const missingCell = encodeDataRow(['a']);
    missingCell.writeInt16BE(2, 5);
    expect(() => DataRowCells.of(missingCell)).toThrow('cell 1 length runs past the end');
    expect(() => DataRowCells.of(Buffer.from([0x44, 0, 0, 0]))).toThrow('4 bytes is too short');
  });
});
