import { CELL_NULL_LENGTH, CELL_UNCHANGED_LENGTH, ScratchBuffer } from '@gatehouse/contracts';
import { DependencyUnavailableError, ProtocolViolationError } from '@gatehouse/errors';
import { WholeCellOutcome, type WholeCellBytes } from '@gatehouse/pii';
import { BackendMessageCode, Frame, MESSAGE_HEADER_LENGTH } from '@gatehouse/pg-wire';

/**
 * A batch of DataRows on its way to masking and back, as bytes
 * (https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-DATAROW).
 * A DataRow cell is an Int32 length (-1 NULL) and its bytes, which is exactly the layout of the
 * mask contract's cell bytes: the cells masking needs are copied out as byte ranges (no string
 * per cell), and the reply's changed cells are copied back in the same way, every row of the
 * batch into one buffer (the relay writes it as one slice). Cells masking left unchanged (-2)
 * keep the row's own bytes. The cells of a column the plan gives a byte form never leave the
 * edge: they are masked here, byte for byte as masking would.
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

/** One masked column of a batch, in column order: masked by masking's reply, or here. */
export interface MaskedColumn {
  /** Column position in the row. */
  readonly index: number;
  /** Undefined: the cell is sent to masking and comes back in the reply. Otherwise it is masked here. */
  readonly masker: WholeCellBytes | undefined;
}

// Cutting and pasting are synchronous, so every session of the process shares these scratch
// buffers: a fresh large buffer per batch is external memory, and its growth makes V8 collect
// garbage far more often.
let cutScratch = Buffer.allocUnsafeSlow(64 * 1024);
const pasteScratch = new ScratchBuffer(256 * 1024);
let rowStartScratch = new Int32Array(1024);
/** Position arrays of batches that came back, for the next batches (they live while a batch is out). */
const positionPool: Int32Array[] = [];
const MAX_POOLED_POSITIONS = 32;

function positionsFor(length: number): Int32Array {
  for (let i = positionPool.length - 1; i >= 0; i--) {
    if (positionPool[i]!.length >= length) return positionPool.splice(i, 1)[0]!;
  }
  return new Int32Array(Math.max(length, 1024));
}

/** A larger cut scratch holding its first `used` bytes, with room for `need` more. */
function growCutScratch(used: number, need: number): Buffer {
  const grown = Buffer.allocUnsafeSlow(Math.max(used + need, cutScratch.length * 2));
  cutScratch.copy(grown, 0, 0, used);
  cutScratch = grown;
  return grown;
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
  let cells: Buffer = cutScratch;
  let size = 0;
  for (let r = 0; r < frames.length; r++) {
    const { buffer, start, end } = frames[r]!;
    // Read in place (no view per row): Int16 count, then per cell Int32 length and bytes.
    if (start + MESSAGE_HEADER_LENGTH + 2 > end) {
      throw new ProtocolViolationError('invalid DataRow message: no cell count');
    }
    const count = readInt16(buffer, start + MESSAGE_HEADER_LENGTH);
    if (count !== columnCount) {
      throw new ProtocolViolationError(`DataRow has ${count} cells for ${columnCount} columns`);
    }
    let at = start + MESSAGE_HEADER_LENGTH + 2;
    let k = 0;
    let next = width > 0 ? columns[0]!.index : -1; // the column of columns[k]
    // Cells of adjacent sent columns are adjacent in the row too: one copy per run of them.
    let runFrom = -1;
    let runTo = -1;
    for (let column = 0; column < count; column++) {
      if (at + 4 > end) throw malformedRow();
      const length = readInt32(buffer, at);
      const cellEnd = at + 4 + (length > 0 ? length : 0);
      if (length < -1 || cellEnd > end) throw malformedRow();
      if (column === next) {
        const i = (r * width + k) * 2;
        positions[i] = at - start;
        positions[i + 1] = length;
        if (columns[k]!.masker === undefined) {
          if (at !== runTo) {
            if (runFrom >= 0) {
              if (size + runTo - runFrom > cells.length) cells = growCutScratch(size, runTo - runFrom);
              size += copyBytes(buffer, runFrom, runTo, cells, size);
            }
            runFrom = at;
          }
          runTo = cellEnd;
        }
        next = ++k < width ? columns[k]!.index : -1;
      }
      at = cellEnd;
    }
    if (at !== end) throw malformedRow();
    if (runFrom >= 0) {
      if (size + runTo - runFrom > cells.length) cells = growCutScratch(size, runTo - runFrom);
      size += copyBytes(buffer, runFrom, runTo, cells, size);
    }
  }
  return { cells: cells.subarray(0, size), positions };
}

/**
 * The rows of `frames` with their masked cells in place, all in one new buffer: the cells of the
 * columns sent to masking from `reply` (the mask reply's cell bytes, same rows and columns as the
 * cut), those of the columns with a masker masked here. `masked[k]` is increased by the values of
 * `columns[k]` masked here (NULL and blank ones are not). A reply that does not fit the batch
 * fails the result (never a partial or shifted row).
 */
export function pasteCells(
  frames: readonly Frame[],
  cut: CutCells,
  columns: readonly MaskedColumn[],
  reply: Buffer,
  masked: Int32Array,
): Frame[] {
  const { positions } = cut;
  const rows = frames.length;
  const width = columns.length;
  // One pass into the scratch buffer (grown when masked values make the rows longer), then one
  // copy into a buffer of the exact size the frames share: every new buffer is external memory,
  // and V8 collects garbage by its total.
  let out = pasteScratch.buffer;
  if (rowStartScratch.length < rows + 1) rowStartScratch = new Int32Array(2 * (rows + 1));
  const rowStarts = rowStartScratch;
  let position = 0;
  let at = 0; // reply bytes read
  for (let r = 0; r < rows; r++) {
    const { buffer, start, end } = frames[r]!;
    const rowStart = position;
    rowStarts[r] = rowStart;
    if (position + MESSAGE_HEADER_LENGTH > out.length)
      out = pasteScratch.grow(out, position, MESSAGE_HEADER_LENGTH);
    out[position] = BackendMessageCode.DataRow;
    position += MESSAGE_HEADER_LENGTH;
    let from = start + MESSAGE_HEADER_LENGTH; // row bytes not copied yet
    let runFrom = -1; // reply bytes not copied yet: changed cells adjacent in the row and in the reply
    let runTo = -1;
    for (let k = 0, i = 2 * r * width; k < width; k++, i += 2) {
      const prefix = start + positions[i]!;
      const length = positions[i + 1]!;
      const next = prefix + 4 + (length > 0 ? length : 0);
      const masker = columns[k]!.masker;
      if (masker !== undefined) {
        if (length === CELL_NULL_LENGTH) continue;
        // Everything before the cell goes out first; a cell that stays is copied with the row later.
        const need = runTo - runFrom + (prefix - from) + 4 + masker.maxLength(length);
        if (position + need > out.length) out = pasteScratch.grow(out, position, need);
        if (runFrom >= 0) position += copyBytes(reply, runFrom, runTo, out, position);
        runFrom = runTo = -1;
        position += copyBytes(buffer, from, prefix, out, position);
        from = prefix;
        const written = masker.mask(buffer, prefix + 4, next, out, position + 4);
        if (written === WholeCellOutcome.Blank) continue;
        masked[k]! += 1;
        if (written >= 0) {
          writeInt32(out, written, position);
          position += 4 + written;
          from = next;
        } else if (written === WholeCellOutcome.Null) {
          writeInt32(out, CELL_NULL_LENGTH, position);
          position += 4;
          from = next;
        }
        continue;
      }
      if (at + 4 > reply.length) throw mismatch();
      const cellAt = at;
      const replyLength = readInt32(reply, at);
      at += 4;
      if (replyLength === CELL_UNCHANGED_LENGTH) continue;
      const replyBytes = replyLength > 0 ? replyLength : 0;
      if (replyLength < -1 || at + replyBytes > reply.length) throw mismatch();
      at += replyBytes;
      if (runFrom < 0 || prefix !== from || cellAt !== runTo) {
        const need = runTo - runFrom + (prefix - from);
        if (position + need > out.length) out = pasteScratch.grow(out, position, need);
        if (runFrom >= 0) position += copyBytes(reply, runFrom, runTo, out, position);
        position += copyBytes(buffer, from, prefix, out, position);
        runFrom = cellAt;
      }
      runTo = at;
      from = next;
    }
    const need = runTo - runFrom + (end - from);
    if (position + need > out.length) out = pasteScratch.grow(out, position, need);
    if (runFrom >= 0) position += copyBytes(reply, runFrom, runTo, out, position);
    position += copyBytes(buffer, from, end, out, position);
    writeInt32(out, position - rowStart - 1, rowStart + 1);
  }
  if (at !== reply.length) throw mismatch();
  rowStarts[rows] = position;
  const pasted = Buffer.allocUnsafe(position);
  out.copy(pasted, 0, 0, position);
  const result = new Array<Frame>(rows);
  for (let r = 0; r < rows; r++)
    result[r] = new Frame(BackendMessageCode.DataRow, pasted, rowStarts[r]!, rowStarts[r + 1]!);
  releaseCells(cut);
  return result;
}

/**
 * Copies `src[start, end)` to `out` at `at` and returns the length. Most ranges here are a cell or
 * two: a loop beats the native call of Buffer.copy below ~32 bytes.
 */
function copyBytes(src: Buffer, start: number, end: number, out: Buffer, at: number): number {
  const length = end - start;
  if (length >= 32) return src.copy(out, at, start, end);
  for (let i = start; i < end; i++) out[at++] = src[i]!;
  return length;
}

// Buffer's readInt32BE and writeInt32BE check their arguments on every call; these run per cell,
// at offsets the callers have already checked.
function readInt16(src: Buffer, at: number): number {
  return ((src[at]! << 24) >> 16) | src[at + 1]!;
}

function readInt32(src: Buffer, at: number): number {
  return (src[at]! << 24) | (src[at + 1]! << 16) | (src[at + 2]! << 8) | src[at + 3]!;
}

function writeInt32(out: Buffer, value: number, at: number): void {
  out[at] = value >>> 24;
  out[at + 1] = value >>> 16;
  out[at + 2] = value >>> 8;
  out[at + 3] = value;
}

function malformedRow(): ProtocolViolationError {
  return new ProtocolViolationError('invalid DataRow message: a cell runs past the end of the row');
}

function mismatch(): DependencyUnavailableError {
  return new DependencyUnavailableError('masking sent a reply that does not match the batch', 'masking');
}
