import { InvalidMessageError } from '@gatehouse/errors';
import { describe, expect, it } from 'vitest';
import { decodeCellBatch, decodeCells, encodeCellBatch, encodeCells, UNCHANGED_CELL } from './cell-batch.ts';

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

  it('cell batch - the base64 text codec reads and writes the same bytes as the byte codec (ASCII, UTF-8, binary)', () => {
    const rows = [
      ['jane@example.com', 'Zoë Ångström', Buffer.from([0, 200, 255])],
      [null, '', Buffer.alloc(0)],
    ];
    const base64 = encodeCells(rows);
    expect(Buffer.from(base64, 'base64')).toEqual(encodeCellBatch(rows));
    expect(decodeCells(base64, 2, [false, false, true])).toEqual([
      ['jane@example.com', 'Zoë Ångström', Buffer.from([0, 200, 255])],
      [null, '', Buffer.alloc(0)],
    ]);
    const reply = encodeCells([[UNCHANGED_CELL, 'x']]);
    expect(decodeCells(reply, 1, [false, false], { replies: true })).toEqual([[UNCHANGED_CELL, 'x']]);
    expect(() => decodeCells(reply, 1, [false, false])).toThrow('invalid cell batch');
    expect(() => decodeCells(reply, 2, [false, false], { replies: true })).toThrow('invalid cell batch');
  });
});
