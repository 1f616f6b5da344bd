import { describe, expect, it } from 'vitest';
import { decodeCellBatch, encodeCellBatch, UNCHANGED_CELL } from '@gatehouse/contracts';
import { DependencyUnavailableError, ProtocolViolationError } from '@gatehouse/errors';
import {
  DataRowCells,
  encodeDataRow,
  MessageFramer,
  MessageSource,
  type CellValue,
  type Frame,
} from '@gatehouse/pg-wire';
import { WholeCellBytes, WholeCellForm } from '@gatehouse/pii';
import { cutCells, pasteCells, type MaskedColumn } from './row-batch.ts';

// Real: DataRow bytes from @gatehouse/pg-wire, framed as the relay frames them (one chunk), and the
// mask contract's cell batch codec for the service's side.

function frames(...rows: CellValue[][]): Frame[] {
  const framer = new MessageFramer({ source: MessageSource.Backend });
  framer.push(Buffer.concat(rows.map((row) => encodeDataRow(row))));
  const out: Frame[] = [];
  let frame: Frame | null;
  while ((frame = framer.next()) !== null) out.push(frame);
  return out;
}

/** Masked columns whose cells are all sent to masking. */
const sent = (...indexes: number[]): MaskedColumn[] => indexes.map((index) => ({ index, masker: undefined }));

const text = (frame: Frame) => {
  const cells = DataRowCells.of(frame.message());
  return Array.from({ length: cells.count }, (_, i) => cells.text(i));
};

describe('row batch', () => {
  it('row batch - cuts only the masked columns out, as DataRow cell bytes', () => {
    const batch = frames(['1', 'jane@example.com', null, 'x'], ['2', null, 'Zoë', 'y']);
    const { cells } = cutCells(batch, sent(1, 2), 4);
    expect(decodeCellBatch(cells, 2, 2)).toEqual([
      [Buffer.from('jane@example.com'), null],
      [null, Buffer.from('Zoë')],
    ]);
  });

  it('row batch - pastes changed cells (shorter, longer, NULL) and keeps unchanged ones, every row in one buffer', () => {
    const batch = frames(['1', 'jane@example.com', null, 'x'], ['2', null, 'Zoë', 'y'], ['3', 'a', 'b', 'z']);
    const cut = cutCells(batch, sent(1, 2), 4);
    const reply = encodeCellBatch([
      ['****@example.com', UNCHANGED_CELL],
      [UNCHANGED_CELL, '[REDACTED:name]'],
      [null, UNCHANGED_CELL],
    ]);
    const out = pasteCells(batch, cut, sent(1, 2), reply, new Int32Array(2));
    expect(out.map(text)).toEqual([
      ['1', '****@example.com', null, 'x'],
      ['2', null, '[REDACTED:name]', 'y'],
      ['3', null, 'b', 'z'],
    ]);
    expect(out[1]!.message()).toEqual(encodeDataRow(['2', null, '[REDACTED:name]', 'y']));
    expect(new Set(out.map((frame) => frame.buffer)).size).toBe(1);
    expect(out[2]!.start).toBe(out[1]!.end);
  });

  it('row batch - runs of adjacent cells are cut and pasted whole, and split where a column or an unchanged cell lies between', () => {
    const batch = frames(['a', 'keep', 'b', 'c', 'd'], ['e', 'keep', 'f', 'g', 'h']);
    const cut = cutCells(batch, sent(0, 2, 3, 4), 5);
    expect(decodeCellBatch(cut.cells, 2, 4).map((row) => row.map(String))).toEqual([
      ['a', 'b', 'c', 'd'],
      ['e', 'f', 'g', 'h'],
    ]);
    const reply = encodeCellBatch([
      ['A1', 'B22', 'C333', 'D'],
      ['E', UNCHANGED_CELL, 'G', 'H4444'],
    ]);
    expect(pasteCells(batch, cut, sent(0, 2, 3, 4), reply, new Int32Array(4)).map(text)).toEqual([
      ['A1', 'keep', 'B22', 'C333', 'D'],
      ['E', 'keep', 'f', 'G', 'H4444'],
    ]);
  });

  it('row batch - batches out at the same time keep their own positions (scratch buffers are shared)', () => {
    const first = frames(['1', 'aaaa@example.com'], ['2', 'b']);
    const second = frames(['x', 'y', 'zzzzzzzz@example.com']);
    const cutFirst = cutCells(first, sent(1), 2);
    const cutSecond = cutCells(second, sent(0, 2), 3);
    const secondOut = pasteCells(
      second,
      cutSecond,
      sent(0, 2),
      encodeCellBatch([['X', '***']]),
      new Int32Array(2),
    );
    const thirdCut = cutCells(frames(['q', 'r']), sent(0, 1), 2); // reuses what the second batch gave back
    const firstOut = pasteCells(
      first,
      cutFirst,
      sent(1),
      encodeCellBatch([['A'], [UNCHANGED_CELL]]),
      new Int32Array(1),
    );
    expect(secondOut.map(text)).toEqual([['X', 'y', '***']]);
    expect(firstOut.map(text)).toEqual([
      ['1', 'A'],
      ['2', 'b'],
    ]);
    expect(thirdCut.positions).not.toBe(cutFirst.positions);
  });

  it('row batch - a reply that does not fit the batch is refused, never pasted', () => {
    const batch = frames(['1', 'a'], ['2', 'b']);
    const cut = cutCells(batch, sent(1), 2);
    for (const reply of [
      encodeCellBatch([['x']]), // a row short
      encodeCellBatch([['x'], ['y'], ['z']]), // a row too many
      encodeCellBatch([['x'], ['y']]).subarray(0, 9), // truncated
      Buffer.from('fffffff0fffffffe', 'hex'), // invalid length
    ]) {
      expect(() => pasteCells(batch, cut, sent(1), reply, new Int32Array(1))).toThrow(
        DependencyUnavailableError,
      );
    }
  });

  it('row batch - columns with a byte form stay at the edge: masked here, NULL and blank cells kept, masked values counted', () => {
    const batch = frames(
      ['1', 'Ann Lee', 'ann@example.com', '+1 415 555 0123', 'Main St 1'],
      ['2', null, 'bob@example.org', '   ', '   '],
      ['3', '\u00a0\u2003', null, '☎ 030 1234 5678', 'Zoë Straße'],
      ['4', '\t', 'x@example.net', '123', '\u00a0x'],
    );
    const columns: MaskedColumn[] = [
      { index: 1, masker: WholeCellBytes.of(WholeCellForm.Constant, '[REDACTED:name]') },
      { index: 2, masker: undefined },
      { index: 3, masker: WholeCellBytes.of(WholeCellForm.Last4Digits, null) },
      { index: 4, masker: WholeCellBytes.of(WholeCellForm.Constant, null) },
    ];
    const cut = cutCells(batch, columns, 5);
    // Only the email column travels.
    expect(
      decodeCellBatch(cut.cells, 4, 1).map((row) => row.map((cell) => cell?.toString() ?? null)),
    ).toEqual([['ann@example.com'], ['bob@example.org'], [null], ['x@example.net']]);
    const reply = encodeCellBatch([
      ['****@example.com'],
      [UNCHANGED_CELL],
      [UNCHANGED_CELL],
      ['****@example.net'],
    ]);
    const masked = new Int32Array(4);
    const out = pasteCells(batch, cut, columns, reply, masked);
    expect(out.map(text)).toEqual([
      ['1', '[REDACTED:name]', '****@example.com', '+* *** *** 0123', null],
      ['2', null, 'bob@example.org', '   ', '   '],
      ['3', '\u00a0\u2003', null, '☎ *** **** 5678', null],
      ['4', '\t', '****@example.net', '123', null],
    ]);
    // '123' is masked to itself: counted, its bytes kept.
    expect([...masked]).toEqual([1, 0, 3, 3]);
    expect(out[0]!.message()).toEqual(
      encodeDataRow(['1', '[REDACTED:name]', '****@example.com', '+* *** *** 0123', null]),
    );
  });

  it('row batch - a batch whose masked columns are all masked here needs no reply', () => {
    const batch = frames(['1', 'Ann Lee'], ['2', '']);
    const columns: MaskedColumn[] = [
      { index: 1, masker: WholeCellBytes.of(WholeCellForm.Constant, '[REDACTED:name]') },
    ];
    const cut = cutCells(batch, columns, 2);
    expect(cut.cells.length).toBe(0);
    const masked = new Int32Array(1);
    expect(pasteCells(batch, cut, columns, Buffer.alloc(0), masked).map(text)).toEqual([
      ['1', '[REDACTED:name]'],
      ['2', ''],
    ]);
    expect(masked[0]).toBe(1);
    expect(() => pasteCells(batch, cutCells(batch, columns, 2), columns, Buffer.alloc(4), masked)).toThrow(
      DependencyUnavailableError,
    );
  });

  it('row batch - rows that grow past the first output buffer are pasted whole into a larger one', () => {
    const batch = frames(...Array.from({ length: 300 }, (_, i) => [String(i), 'x', 'a@example.com']));
    const token = 'T'.repeat(500);
    const columns: MaskedColumn[] = [
      { index: 1, masker: WholeCellBytes.of(WholeCellForm.Constant, token) },
      { index: 2, masker: undefined },
    ];
    const cut = cutCells(batch, columns, 3);
    const reply = encodeCellBatch(Array.from({ length: 300 }, () => ['****@example.com']));
    const out = pasteCells(batch, cut, columns, reply, new Int32Array(2));
    expect(out.map(text)).toEqual(
      Array.from({ length: 300 }, (_, i) => [String(i), token, '****@example.com']),
    );
    expect(new Set(out.map((frame) => frame.buffer)).size).toBe(1);
  });

  it('row batch - cells past the first cut buffer are cut whole into a larger one', () => {
    const values = Array.from({ length: 400 }, (_, i) => `${i} ${'n'.repeat(500)}`);
    const batch = frames(...values.map((value, i) => [String(i), value, 'Ann Lee']));
    const columns: MaskedColumn[] = [
      { index: 1, masker: undefined },
      { index: 2, masker: WholeCellBytes.of(WholeCellForm.Constant, '[REDACTED:name]') },
    ];
    const cut = cutCells(batch, columns, 3);
    expect(decodeCellBatch(cut.cells, 400, 1).map(([cell]) => cell!.toString())).toEqual(values);
    const reply = encodeCellBatch(values.map(() => [UNCHANGED_CELL]));
    expect(pasteCells(batch, cut, columns, reply, new Int32Array(2)).map(text)).toEqual(
      values.map((value, i) => [String(i), value, '[REDACTED:name]']),
    );
  });

  it('row batch - a row with another cell count than its description is a protocol violation', () => {
    expect(() => cutCells(frames(['1', 'a', 'b']), sent(1), 2)).toThrow(ProtocolViolationError);
    const [row] = frames(['1', 'a']);
    row!.buffer.writeInt32BE(99, row!.start + 7); // first cell claims 99 bytes
    expect(() => cutCells([row!], sent(1), 2)).toThrow(
      'invalid DataRow message: a cell runs past the end of the row',
    );
  });

  it('row batch - a DataRow too short for its cell count is a protocol violation', () => {
    const framer = new MessageFramer({ source: MessageSource.Backend });
    framer.push(Buffer.from([0x44, 0, 0, 0, 4])); // a DataRow with no cell count
    expect(() => cutCells([framer.next()!], sent(0), 0)).toThrow('invalid DataRow message: no cell count');
  });
});
