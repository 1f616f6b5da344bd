import { InvalidMessageError } from '@gatehouse/errors';
import { ScratchBuffer } from './scratch-buffer.ts';

/** Length of a SQL NULL cell in a cell batch (as in a DataRow). */
export const CELL_NULL_LENGTH = -1;

/** Length that marks, in a mask reply, a cell masking left as it was (no bytes follow). */
export const CELL_UNCHANGED_LENGTH = -2;

/** A reply cell masking left unchanged: the edge keeps the bytes it has. */
export const UNCHANGED_CELL: unique symbol = Symbol('unchanged cell');

/** One cell to encode: bytes, text (written as UTF-8), SQL NULL, or (replies) unchanged. */
export type BatchCell = Uint8Array | string | null | typeof UNCHANGED_CELL;

/**
 * Decodes a cell batch of `rowCount` rows of `columnCount` cells. Cells are views of `bytes`;
 * unchanged markers are accepted only when `replies` is set. A batch whose layout does not match
 * is an InvalidMessageError (the caller answers or treats it as a malformed message).
 */
export function decodeCellBatch(
  bytes: Buffer,
  rowCount: number,
  columnCount: number,
  options: { replies?: boolean } = {},
): (Buffer | null | typeof UNCHANGED_CELL)[][] {
  const rows = new Array<(Buffer | null | typeof UNCHANGED_CELL)[]>(rowCount);
  let at = 0;
  for (let r = 0; r < rowCount; r++) {
    const row = new Array<Buffer | null | typeof UNCHANGED_CELL>(columnCount);
    for (let k = 0; k < columnCount; k++) {
      if (at + 4 > bytes.length) throw malformed(`row ${r} cell ${k} runs past the end`);
      const length = bytes.readInt32BE(at);
      at += 4;
      if (length === CELL_NULL_LENGTH) {
        row[k] = null;
      } else if (length === CELL_UNCHANGED_LENGTH && options.replies === true) {
        row[k] = UNCHANGED_CELL;
      } else if (length < 0 || at + length > bytes.length) {
        throw malformed(`row ${r} cell ${k} has length ${length}`);
      } else {
        row[k] = bytes.subarray(at, at + length);
        at += length;
      }
    }
    rows[r] = row;
  }
  if (at !== bytes.length) throw malformed(`${bytes.length - at} byte(s) after ${rowCount} rows`);
  return rows;
}

/** Finds the next byte outside ASCII in a batch read as latin1 (one character per byte). */
const HIGH_BYTE = /[\x80-\xff]/g;

/**
 * Decodes the cell bytes of a mask message: text cells (`binary[k]` false) as strings, binary
 * cells as views of `bytes`. The batch is read as one latin1 string, so an ASCII cell is a slice
 * of it rather than a decode call per cell; only cells holding a byte outside ASCII are decoded
 * as UTF-8 (one regex scan finds the next such byte).
 */
export function decodeCells(
  bytes: Buffer,
  rowCount: number,
  binary: readonly boolean[],
  options: { replies?: boolean } = {},
): (string | Buffer | null | typeof UNCHANGED_CELL)[][] {
  const latin1 = bytes.toString('latin1');
  const columnCount = binary.length;
  const rows = new Array<(string | Buffer | null | typeof UNCHANGED_CELL)[]>(rowCount);
  let at = 0;
  let high = -1;
  for (let r = 0; r < rowCount; r++) {
    const row = new Array<string | Buffer | null | typeof UNCHANGED_CELL>(columnCount);
    for (let k = 0; k < columnCount; k++) {
      if (at + 4 > bytes.length) throw malformed(`row ${r} cell ${k} runs past the end`);
      const length = bytes.readInt32BE(at);
      at += 4;
      if (length === CELL_NULL_LENGTH) {
        row[k] = null;
      } else if (length === CELL_UNCHANGED_LENGTH && options.replies === true) {
        row[k] = UNCHANGED_CELL;
      } else if (length < 0 || at + length > bytes.length) {
        throw malformed(`row ${r} cell ${k} has length ${length}`);
      } else if (binary[k]) {
        row[k] = bytes.subarray(at, at + length);
        at += length;
      } else {
        if (high < at) {
          HIGH_BYTE.lastIndex = at;
          high = HIGH_BYTE.exec(latin1)?.index ?? Infinity;
        }
        row[k] =
          high >= at + length ? latin1.slice(at, at + length) : bytes.toString('utf8', at, at + length);
        at += length;
      }
    }
    rows[r] = row;
  }
  if (at !== bytes.length) throw malformed(`${bytes.length - at} byte(s) after ${rowCount} rows`);
  return rows;
}

// Encoding is synchronous, so every batch of the process is written into this buffer first and
// copied out once its size is known (no size pass over the strings).
const encodeScratch = new ScratchBuffer(64 * 1024);

/**
 * Encodes rows of cells in the layout of the mask contract's cell bytes (`cellBytes`): per row, per
 * cell an Int32 big-endian length (-1 NULL, -2 unchanged) and that many bytes, written cell by cell
 * (no size pass, no intermediate string per cell).
 */
export function encodeCellBatch(rows: readonly (readonly BatchCell[])[]): Buffer {
  let out = encodeScratch.buffer;
  let at = 0;
  for (const row of rows) {
    for (const cell of row) {
      // Room for the prefix and the worst case of the cell (3 UTF-8 bytes per UTF-16 unit).
      const need =
        at + 4 + (typeof cell === 'string' ? 3 * cell.length : cell instanceof Uint8Array ? cell.length : 0);
      if (need > out.length) out = encodeScratch.grow(out, at, need - at);
      if (cell === null) {
        at = out.writeInt32BE(CELL_NULL_LENGTH, at);
      } else if (cell === UNCHANGED_CELL) {
        at = out.writeInt32BE(CELL_UNCHANGED_LENGTH, at);
      } else if (typeof cell === 'string') {
        const written = out.write(cell, at + 4, 'utf8');
        out.writeInt32BE(written, at);
        at += 4 + written;
      } else {
        out.writeInt32BE(cell.length, at);
        out.set(cell, at + 4);
        at += 4 + cell.length;
      }
    }
  }
  return Buffer.from(out.subarray(0, at));
}

function malformed(problem: string): InvalidMessageError {
  return new InvalidMessageError('invalid cell batch', [problem]);
}
