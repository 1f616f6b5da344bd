import { InvalidMessageError } from '@gatehouse/errors';
import { describe, expect, it } from 'vitest';
import {
  decodeCellBatch,
  decodeCells,
  encodeCellBatch,
  UNCHANGED_CELL,
  type BatchCell,
} from './cell-batch.ts';

/** The DataRow cell layout of `rows`, built independently of the encoder: Int32 length (-1 NULL), bytes. */
function layout(rows: readonly (readonly BatchCell[])[]): Buffer {
  const parts: Buffer[] = [];
  for (const row of rows) {
    for (const cell of row) {
      const length = Buffer.alloc(4);
      if (cell === null || cell === UNCHANGED_CELL) {
        length.writeInt32BE(cell === null ? -1 : -2);
        parts.push(length);
        continue;
      }
      const bytes = typeof cell === 'string' ? Buffer.from(cell, 'utf8') : Buffer.from(cell);
      length.writeInt32BE(bytes.length);
      parts.push(length, bytes);
    }
  }
  return Buffer.concat(parts);
}

describe('cell batch', () => {
  it('cell batch - encodes text as UTF-8, bytes as they are, NULL as -1, in DataRow cell layout', () => {
    const bytes = encodeCellBatch([
      ['é', null],
      [Buffer.from([0, 255]), ''],
    ]);
    expect(bytes.toString('hex')).toBe(['00000002c3a9', 'ffffffff', '0000000200ff', '00000000'].join(''));
    expect(decodeCellBatch(bytes, 2, 2)).toEqual([
      [Buffer.from('é'), null],
      [Buffer.from([0, 255]), Buffer.alloc(0)],
    ]);
  });

  it('cell batch - unchanged cells (-2) are accepted in replies only', () => {
    const bytes = encodeCellBatch([[UNCHANGED_CELL, 'x']]);
    expect(bytes.toString('hex')).toBe('fffffffe0000000178');
    expect(decodeCellBatch(bytes, 1, 2, { replies: true })).toEqual([[UNCHANGED_CELL, Buffer.from('x')]]);
    expect(() => decodeCellBatch(bytes, 1, 2)).toThrow(InvalidMessageError);
  });

  it('cell batch - rejects a layout that does not match the row and column counts', () => {
    const bytes = encodeCellBatch([['a'], ['b']]);
    expect(() => decodeCellBatch(bytes, 1, 1)).toThrow('invalid cell batch');
    expect(() => decodeCellBatch(bytes, 3, 1)).toThrow('invalid cell batch');
    expect(() => decodeCellBatch(bytes.subarray(0, bytes.length - 1), 2, 1)).toThrow('invalid cell batch');
    const negative = Buffer.from('fffffff0', 'hex');
    expect(() => decodeCellBatch(negative, 1, 1, { replies: true })).toThrow('invalid cell batch');
  });

  it('cell batch - writes and the string codec reads the DataRow cell layout (ASCII, UTF-8, binary)', () => {
    const rows = [
      ['jane@example.com', 'Zoë Ångström', Buffer.from([0, 200, 255])],
      [null, '', Buffer.alloc(0)],
      ['a cell longer than a dozen characters', '漢字 and 🎉 after ASCII', Buffer.from('é')],
    ];
    const bytes = encodeCellBatch(rows);
    expect(bytes).toEqual(layout(rows));
    expect(decodeCells(bytes, 3, [false, false, true])).toEqual([
      ['jane@example.com', 'Zoë Ångström', Buffer.from([0, 200, 255])],
      [null, '', Buffer.alloc(0)],
      ['a cell longer than a dozen characters', '漢字 and 🎉 after ASCII', Buffer.from('é')],
    ]);
    const reply = encodeCellBatch([[UNCHANGED_CELL, 'x']]);
    expect(decodeCells(reply, 1, [false, false], { replies: true })).toEqual([[UNCHANGED_CELL, 'x']]);
    expect(() => decodeCells(reply, 1, [false, false])).toThrow('invalid cell batch');
    expect(() => decodeCells(reply, 2, [false, false], { replies: true })).toThrow('invalid cell batch');
  });

  it('cell batch - the encoder grows its buffer for a batch larger than any before', () => {
    const long = 'ü'.repeat(40_000);
    const rows = [
      [long, 'x'.repeat(100_000)],
      ['y', null],
    ];
    const bytes = encodeCellBatch(rows);
    expect(bytes).toEqual(layout(rows));
    expect(decodeCells(bytes, 2, [false, false])).toEqual(rows);
  });
});
