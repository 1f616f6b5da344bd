import { InvalidMessageError } from '@gatehouse/errors';

/** Length of a SQL NULL cell in a cell batch (as in a DataRow). */
export const CELL_NULL_LENGTH = -1;

/** Length that marks, in a mask reply, a cell masking left as it was (no bytes follow). */
export const CELL_UNCHANGED_LENGTH = -2;

/** A reply cell masking left unchanged: the edge keeps the bytes it has. */
export const UNCHANGED_CELL: unique symbol = Symbol('unchanged cell');

/** One cell to encode: bytes, text (written as UTF-8), SQL NULL, or (replies) unchanged. */
export type BatchCell = Uint8Array | string | null | typeof UNCHANGED_CELL;

/**
 * Encodes rows of cells in the layout of the mask contract's `cells` field: per row, per cell an
 * Int32 big-endian length (-1 NULL, -2 unchanged) and that many bytes. Returns raw bytes; the
 * message carries them as base64.
 */
export function encodeCellBatch(rows: readonly (readonly BatchCell[])[]): Buffer {
  let size = 0;
  for (const row of rows) {
    for (const cell of row) {
      size += 4;
      if (typeof cell === 'string') size += Buffer.byteLength(cell);
      else if (cell instanceof Uint8Array) size += cell.length;
    }
  }
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const row of rows) {
    for (const cell of row) {
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
  return out;
}

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

/** Matches a string with a character outside ASCII (its UTF-8 bytes differ from its latin1 bytes). */
const NON_ASCII = /[^\p{ASCII}]/u;
const NULL_PREFIX = fourBytes(CELL_NULL_LENGTH);
const UNCHANGED_PREFIX = fourBytes(CELL_UNCHANGED_LENGTH);

/**
 * Decodes the base64 `cells` of a mask message: text cells (`binary[k]` false) as strings, binary
 * cells as bytes. The batch is read as one latin1 string (one character per byte), so an ASCII
 * cell is a slice of it rather than a decode call per cell; other cells are decoded as UTF-8.
 */
export function decodeCells(
  base64: string,
  rowCount: number,
  binary: readonly boolean[],
  options: { replies?: boolean } = {},
): (string | Buffer | null | typeof UNCHANGED_CELL)[][] {
  const bytes = Buffer.from(base64, 'base64');
  const latin1 = bytes.toString('latin1');
  const columnCount = binary.length;
  const rows = new Array<(string | Buffer | null | typeof UNCHANGED_CELL)[]>(rowCount);
  let at = 0;
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
        const value = latin1.slice(at, at + length);
        row[k] = NON_ASCII.test(value) ? bytes.toString('utf8', at, at + length) : value;
        at += length;
      }
    }
    rows[r] = row;
  }
  if (at !== bytes.length) throw malformed(`${bytes.length - at} byte(s) after ${rowCount} rows`);
  return rows;
}

/**
 * Encodes rows of cells as the base64 `cells` of a mask message. Built as one latin1 string (the
 * length prefixes as four characters, ASCII text as itself) and converted once, rather than
 * measured and written cell by cell.
 */
export function encodeCells(rows: readonly (readonly BatchCell[])[]): string {
  const parts: string[] = [];
  for (const row of rows) {
    for (const cell of row) {
      if (cell === null) {
        parts.push(NULL_PREFIX);
      } else if (cell === UNCHANGED_CELL) {
        parts.push(UNCHANGED_PREFIX);
      } else if (typeof cell === 'string' && !NON_ASCII.test(cell)) {
        parts.push(prefix(cell.length), cell);
      } else {
        const bytes = typeof cell === 'string' ? Buffer.from(cell, 'utf8') : Buffer.from(cell);
        parts.push(prefix(bytes.length), bytes.toString('latin1'));
      }
    }
  }
  return Buffer.from(parts.join(''), 'latin1').toString('base64');
}

/** Length prefixes of short cells, made once (most cells are short). */
const SHORT_PREFIXES = Array.from({ length: 4096 }, (_, length) => fourBytes(length));

function prefix(length: number): string {
  return length >= 0 && length < SHORT_PREFIXES.length ? SHORT_PREFIXES[length]! : fourBytes(length);
}

function fourBytes(length: number): string {
  return String.fromCharCode(
    (length >>> 24) & 255,
    (length >>> 16) & 255,
    (length >>> 8) & 255,
    length & 255,
  );
}

function malformed(problem: string): InvalidMessageError {
  return new InvalidMessageError('invalid cell batch', [problem]);
}
