import { CELL_NULL_LENGTH, CELL_UNCHANGED_LENGTH } from '@gatehouse/contracts';
import { DependencyUnavailableError, ProtocolViolationError } from '@gatehouse/errors';
import { BackendMessageCode, Frame, MESSAGE_HEADER_LENGTH } from '@gatehouse/pg-wire';

/**
 * A batch of DataRows on its way to masking and back, as bytes
 * (https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-DATAROW).
 * A DataRow cell is an Int32 length (-1 NULL) and its bytes, which is exactly the layout of the
 * mask contract's cell bytes: the cells masking needs are copied out as byte ranges (no string
 * per cell), and the reply's changed cells are copied back in the same way, every row of the
 * batch into one buffer (the relay writes it as one slice). Cells masking left unchanged (-2)
 * keep the row's own bytes. The cells of a column the plan gives a constant never leave the
 * edge: every value but NULL and blank ones is replaced by the constant here.
 */
export interface CutCells {
  /**
   * The cells of the columns sent to masking, row by row, in DataRow cell layout: a view of a
   * buffer the next cut reuses, so it is sent (copied into the request) before anything else is cut.
   */
  readonly cells: Buffer;
  /** Per row and masked column: offset of the cell's length prefix from the row start, and its length. */
  readonly positions: Int32Array;
}

/** One masked column of a batch, in column order: its cell comes from masking's reply, or is a constant. */
export interface MaskedColumn {
  /** Column position in the row. */
  readonly index: number;
  /**
   * Undefined: the cell is sent to masking and comes back in the reply. Otherwise every value
   * but NULL and blank ones is replaced by these bytes (null: SQL NULL) at the edge.
   */
  readonly constant: Buffer | null | undefined;
}

// Cutting and pasting are synchronous, so every session of the process shares these scratch
// buffers: a fresh large buffer per batch is external memory, and its growth makes V8 collect
// garbage far more often.
let cutScratch = Buffer.allocUnsafeSlow(64 * 1024);
let editScratch = new Int32Array(8 * 1024);
/** Position arrays of batches that came back, for the next batches (they live while a batch is out). */
const positionPool: Int32Array[] = [];
const MAX_POOLED_POSITIONS = 32;

/** Edit of a constant column's cell that keeps it (NULL or blank). */
const KEEP = -1;
/** Edit of a constant column's cell that replaces it with the constant. */
const REPLACE = -2;

function positionsFor(length: number): Int32Array {
  for (let i = positionPool.length - 1; i >= 0; i--) {
    if (positionPool[i]!.length >= length) return positionPool.splice(i, 1)[0]!;
  }
  return new Int32Array(Math.max(length, 1024));
}

/** Gives the positions of a batch that will not be pasted (masking failed) back for reuse. */
export function releaseCells(cut: CutCells): void {
  if (positionPool.length < MAX_POOLED_POSITIONS) positionPool.push(cut.positions);
}

/**
 * Finds the cells of `columns` (ascending) in `frames` and copies those sent to masking out. A row
 * whose cell count is not `columnCount`, or whose cells run past its end, is a protocol violation.
 */
export function cutCells(
  frames: readonly Frame[],
  columns: readonly MaskedColumn[],
  columnCount: number,
): CutCells {
  const width = columns.length;
  const positions = positionsFor(frames.length * width * 2);
  let size = 0;
  for (let r = 0; r < frames.length; r++) {
    const { buffer, start, end } = frames[r]!;
    // Read in place (no view per row): Int16 count, then per cell Int32 length and bytes.
    const count = buffer.readInt16BE(start + MESSAGE_HEADER_LENGTH);
    if (count !== columnCount) {
      throw new ProtocolViolationError(`DataRow has ${count} cells for ${columnCount} columns`);
    }
    let at = start + MESSAGE_HEADER_LENGTH + 2;
    let k = 0;
    for (let column = 0; column < count; column++) {
      if (at + 4 > end) throw malformedRow();
      const length = buffer.readInt32BE(at);
      const bytes = length > 0 ? length : 0;
      if (length < -1 || at + 4 + bytes > end) throw malformedRow();
      if (k < width && column === columns[k]!.index) {
        const i = (r * width + k) * 2;
        positions[i] = at - start;
        positions[i + 1] = length;
        if (columns[k]!.constant === undefined) size += 4 + bytes;
        k++;
      }
      at += 4 + bytes;
    }
    if (at !== end) throw malformedRow();
  }
  if (cutScratch.length < size) cutScratch = Buffer.allocUnsafeSlow(Math.max(size, cutScratch.length * 2));
  const cells = cutScratch;
  let at = 0;
  for (let r = 0; r < frames.length; r++) {
    const { buffer, start } = frames[r]!;
    // Cells of adjacent sent columns are adjacent in the row too: one copy per run of them.
    let runFrom = -1;
    let runTo = -1;
    for (let k = 0; k < width; k++) {
      if (columns[k]!.constant !== undefined) continue;
      const i = (r * width + k) * 2;
      const from = start + positions[i]!;
      const length = positions[i + 1]!;
      if (from !== runTo) {
        if (runFrom >= 0) at += buffer.copy(cells, at, runFrom, runTo);
        runFrom = from;
      }
      runTo = from + 4 + (length > 0 ? length : 0);
    }
    if (runFrom >= 0) at += buffer.copy(cells, at, runFrom, runTo);
  }
  return { cells: cells.subarray(0, size), positions };
}

/**
 * The rows of `frames` with their masked cells in place, all in one new buffer: the cells of the
 * columns sent to masking from `reply` (the mask reply's cell bytes, same rows and columns as the
 * cut), those of constant columns replaced here. `replaced[k]` is increased by the cells of
 * `columns[k]` a constant replaced. A reply that does not fit the batch fails the result (never a
 * partial or shifted row).
 */
export function pasteCells(
  frames: readonly Frame[],
  cut: CutCells,
  columns: readonly MaskedColumn[],
  reply: Buffer,
  replaced: Int32Array,
): Frame[] {
  const { positions } = cut;
  const rows = frames.length;
  const width = columns.length;
  if (editScratch.length < rows * width) editScratch = new Int32Array(rows * width * 2);
  // Per cell: where its reply cell starts (sent columns), or KEEP / REPLACE (constant columns).
  const edits = editScratch;
  // Pass 1: check the reply's layout, decide the constant cells, and size every row.
  let at = 0;
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const frame = frames[r]!;
    let size = frame.end - frame.start;
    for (let k = 0; k < width; k++) {
      const i = r * width + k;
      const old = Math.max(positions[2 * i + 1]!, 0);
      const constant = columns[k]!.constant;
      if (constant !== undefined) {
        const prefix = frame.start + positions[2 * i]!;
        if (positions[2 * i + 1] === CELL_NULL_LENGTH || blank(frame.buffer, prefix + 4, prefix + 4 + old)) {
          edits[i] = KEEP;
          continue;
        }
        edits[i] = REPLACE;
        replaced[k]! += 1;
        size += (constant === null ? 0 : constant.length) - old;
        continue;
      }
      if (at + 4 > reply.length) throw mismatch();
      const length = reply.readInt32BE(at);
      edits[i] = at;
      at += 4;
      if (length === CELL_UNCHANGED_LENGTH) continue;
      if (length < -1 || at + Math.max(length, 0) > reply.length) throw mismatch();
      at += Math.max(length, 0);
      size += Math.max(length, 0) - old;
    }
    total += size;
  }
  if (at !== reply.length) throw mismatch();
  // Pass 2: copy each row's untouched byte ranges and the new cells (length prefix included);
  // changed cells that are adjacent both in the row and in the reply are copied as one run.
  const out = Buffer.allocUnsafe(total);
  const result = new Array<Frame>(rows);
  let position = 0;
  for (let r = 0; r < rows; r++) {
    const { buffer, start, end } = frames[r]!;
    const rowStart = position;
    out[position] = BackendMessageCode.DataRow;
    position += MESSAGE_HEADER_LENGTH;
    let from = start + MESSAGE_HEADER_LENGTH; // row bytes not copied yet
    let runFrom = -1; // reply bytes not copied yet
    let runTo = -1;
    for (let k = 0; k < width; k++) {
      const i = r * width + k;
      const edit = edits[i]!;
      if (edit === KEEP) continue;
      const prefix = start + positions[2 * i]!;
      const next = prefix + 4 + Math.max(positions[2 * i + 1]!, 0);
      if (edit === REPLACE) {
        if (runFrom >= 0) position += reply.copy(out, position, runFrom, runTo);
        runFrom = -1;
        position += buffer.copy(out, position, from, prefix);
        const constant = columns[k]!.constant!;
        position = out.writeInt32BE(constant === null ? CELL_NULL_LENGTH : constant.length, position);
        if (constant !== null) position += constant.copy(out, position);
        from = next;
        continue;
      }
      const length = reply.readInt32BE(edit);
      if (length === CELL_UNCHANGED_LENGTH) continue;
      if (runFrom < 0 || prefix !== from || edit !== runTo) {
        if (runFrom >= 0) position += reply.copy(out, position, runFrom, runTo);
        position += buffer.copy(out, position, from, prefix);
        runFrom = edit;
      }
      runTo = edit + 4 + Math.max(length, 0);
      from = next;
    }
    if (runFrom >= 0) position += reply.copy(out, position, runFrom, runTo);
    position += buffer.copy(out, position, from, end);
    out.writeInt32BE(position - rowStart - 1, rowStart + 1);
    result[r] = new Frame(BackendMessageCode.DataRow, out, rowStart, position);
  }
  releaseCells(cut);
  return result;
}

/**
 * True when the cell `buffer[start, end)` is blank as masking sees it: only whitespace once read
 * as UTF-8, by String.prototype.trim (ASCII whitespace decided on the bytes; a cell with another
 * byte before anything but whitespace is read as text).
 */
function blank(buffer: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = buffer[i]!;
    if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) continue;
    return c < 0x80 ? false : buffer.toString('utf8', start, end).trim().length === 0;
  }
  return true;
}

function malformedRow(): ProtocolViolationError {
  return new ProtocolViolationError('invalid DataRow message: a cell runs past the end of the row');
}

function mismatch(): DependencyUnavailableError {
  return new DependencyUnavailableError('masking sent a reply that does not match the batch', 'masking');
}
