import { ProtocolViolationError } from '@gatehouse/errors';
import { BackendMessageCode } from './message-codes.ts';

/**
 * Byte-level access to DataRow messages
 * (https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-DATAROW):
 * Byte1('D'), Int32 length, Int16 cell count, then per cell an Int32 length (-1 = NULL) and bytes.
 *
 * Rows stream through the edge by the million, and most cells are never looked at, so nothing here
 * decodes a cell unless asked: the edge indexes positions, reads the few cells masking needs, and
 * rewrites a row by copying the untouched cells as byte ranges.
 */

/** Length value that marks a NULL cell. */
export const NULL_CELL_LENGTH = -1;

/** Offset of the cell count: type byte + Int32 length. */
const COUNT_OFFSET = 5;
/** Offset of the first cell's length prefix. */
const FIRST_CELL = 7;

/** A replacement value for one cell: bytes, text (written as UTF-8) or `null` for SQL NULL. */
export type CellValue = Uint8Array | string | null;

/**
 * Calls `visit(index, offset, length)` for each cell of a whole DataRow message (type byte
 * included) without allocating: `offset` is where the cell's bytes start in `message`, `length` is
 * -1 for NULL. Validates the framing as it goes and returns the cell count.
 */
export function forEachDataRowCell(
  message: Buffer,
  visit: (index: number, offset: number, length: number) => void,
): number {
  const count = readHeader(message);
  let position = FIRST_CELL;
  for (let i = 0; i < count; i++) {
    const length = cellLength(message, position, i);
    const offset = position + 4;
    visit(i, offset, length);
    position = length > 0 ? offset + length : offset;
  }
  if (position !== message.length) throw malformed(`${message.length - position} trailing byte(s)`);
  return count;
}

/**
 * Index of the cells of one DataRow: (offset, length) pairs in a typed array, no strings. Reuse
 * one instance across rows with {@link reset}; it only reallocates for a wider row.
 */
export class DataRowCells {
  private positions: Int32Array;
  private row: Buffer = Buffer.alloc(0);
  private cellCount = 0;

  /** @param capacity columns to reserve room for */
  constructor(capacity = 16) {
    this.positions = new Int32Array(capacity * 2);
  }

  /** Indexes a whole DataRow message (type byte included). */
  static of(message: Buffer): DataRowCells {
    return new DataRowCells().reset(message);
  }

  /** The indexed message. */
  get message(): Buffer {
    return this.row;
  }

  /** Number of cells. */
  get count(): number {
    return this.cellCount;
  }

  /** Indexes `message`, replacing the previous row. Throws {@link ProtocolViolationError} if malformed. */
  reset(message: Buffer): this {
    const count = readHeader(message);
    if (this.positions.length < count * 2) this.positions = new Int32Array(count * 2);
    const positions = this.positions;
    let position = FIRST_CELL;
    for (let i = 0; i < count; i++) {
      const length = cellLength(message, position, i);
      const offset = position + 4;
      positions[2 * i] = offset;
      positions[2 * i + 1] = length;
      position = length > 0 ? offset + length : offset;
    }
    if (position !== message.length) throw malformed(`${message.length - position} trailing byte(s)`);
    this.row = message;
    this.cellCount = count;
    return this;
  }

  /** Offset in {@link message} where cell `index`'s bytes start (right after its length prefix). */
  offset(index: number): number {
    return this.positions[2 * this.checked(index)]!;
  }

  /** Byte length of cell `index`, or -1 for NULL. */
  length(index: number): number {
    return this.positions[2 * this.checked(index) + 1]!;
  }

  /** True when cell `index` is SQL NULL. */
  isNull(index: number): boolean {
    return this.length(index) === NULL_CELL_LENGTH;
  }

  /** Cell `index` as a view of the message, or `null` for SQL NULL. */
  bytes(index: number): Buffer | null {
    const length = this.length(index);
    if (length === NULL_CELL_LENGTH) return null;
    const offset = this.positions[2 * index]!;
    return this.row.subarray(offset, offset + length);
  }

  /** Cell `index` decoded as UTF-8 text, or `null` for SQL NULL. */
  text(index: number): string | null {
    const length = this.length(index);
    if (length === NULL_CELL_LENGTH) return null;
    const offset = this.positions[2 * index]!;
    return this.row.toString('utf8', offset, offset + length);
  }

  private checked(index: number): number {
    if (!(index >= 0 && index < this.cellCount)) {
      throw new RangeError(`cell ${index} out of range (row has ${this.cellCount})`);
    }
    return index;
  }
}

/** Encodes a DataRow message from cell values; lengths are computed from the values. */
export function encodeDataRow(cells: readonly CellValue[]): Buffer {
  let size = FIRST_CELL;
  for (const cell of cells) size += 4 + byteLengthOf(cell);
  const out = Buffer.allocUnsafe(size);
  writeHeader(out, cells.length);
  let position = FIRST_CELL;
  for (const cell of cells) position = writeCell(out, position, cell);
  return out;
}

/**
 * Returns a new DataRow equal to the indexed row except for the cells in `replacements` (keyed by
 * cell index). Untouched cells are copied as byte ranges, runs of adjacent ones in a single copy,
 * and never decoded.
 */
export function rewriteDataRow(cells: DataRowCells, replacements: ReadonlyMap<number, CellValue>): Buffer {
  const count = cells.count;
  for (const index of replacements.keys()) {
    if (!(Number.isInteger(index) && index >= 0 && index < count)) {
      throw new RangeError(`replacement for cell ${index} but the row has ${count}`);
    }
  }
  const source = cells.message;
  let size = source.length;
  for (const [index, value] of replacements) size += byteLengthOf(value) - Math.max(cells.length(index), 0);
  const out = Buffer.allocUnsafe(size);
  writeHeader(out, count);
  let position = FIRST_CELL;
  let runStart = -1; // start of a run of untouched cells (at its first length prefix)
  let runEnd = -1;
  for (let i = 0; i < count; i++) {
    const offset = cells.offset(i);
    if (replacements.has(i)) {
      if (runStart >= 0) {
        position += source.copy(out, position, runStart, runEnd);
        runStart = -1;
      }
      position = writeCell(out, position, replacements.get(i)!);
    } else {
      if (runStart < 0) runStart = offset - 4;
      runEnd = offset + Math.max(cells.length(i), 0);
    }
  }
  if (runStart >= 0) source.copy(out, position, runStart, runEnd);
  return out;
}

function readHeader(message: Buffer): number {
  if (message.length < FIRST_CELL) throw malformed(`${message.length} bytes is too short`);
  if (message[0] !== BackendMessageCode.DataRow) throw malformed(`type byte 0x${message[0]!.toString(16)}`);
  const length = message.readInt32BE(1);
  if (length !== message.length - 1) throw malformed(`length ${length} does not match ${message.length - 1}`);
  const count = message.readInt16BE(COUNT_OFFSET);
  if (count < 0) throw malformed(`negative cell count ${count}`);
  return count;
}

// Reads and checks the length prefix at `position`; the cell's bytes start at `position + 4`.
// Returns a number, not an object, so the per-cell loop allocates nothing.
function cellLength(message: Buffer, position: number, index: number): number {
  if (position + 4 > message.length) throw malformed(`cell ${index} length runs past the end`);
  const length = message.readInt32BE(position);
  if (length < NULL_CELL_LENGTH) throw malformed(`cell ${index} has length ${length}`);
  if (length > 0 && position + 4 + length > message.length)
    throw malformed(`cell ${index} runs past the end`);
  return length;
}

function writeHeader(out: Buffer, count: number): void {
  out[0] = BackendMessageCode.DataRow;
  out.writeInt32BE(out.length - 1, 1);
  out.writeInt16BE(count, COUNT_OFFSET);
}

function writeCell(out: Buffer, position: number, cell: CellValue): number {
  if (cell === null) return out.writeInt32BE(NULL_CELL_LENGTH, position);
  if (typeof cell === 'string') {
    const written = out.write(cell, position + 4, 'utf8');
    out.writeInt32BE(written, position);
    return position + 4 + written;
  }
  out.writeInt32BE(cell.length, position);
  out.set(cell, position + 4);
  return position + 4 + cell.length;
}

function byteLengthOf(cell: CellValue): number {
  if (cell === null) return 0;
  return typeof cell === 'string' ? Buffer.byteLength(cell) : cell.length;
}

function malformed(problem: string): ProtocolViolationError {
  return new ProtocolViolationError(`invalid DataRow message: ${problem}`);
}
