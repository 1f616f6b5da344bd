import { CELL_UNCHANGED_LENGTH } from '@gatehouse/contracts';
import { DependencyUnavailableError, ProtocolViolationError } from '@gatehouse/errors';
import { BackendMessageCode, Frame, MESSAGE_HEADER_LENGTH } from '@gatehouse/pg-wire';

/**
 * A batch of DataRows on its way to masking and back, as bytes
 * (https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-DATAROW).
 * A DataRow cell is an Int32 length (-1 NULL) and its bytes, which is exactly the layout of the
 * mask contract's `cells`: the cells masking needs are copied out as byte ranges (no string per
 * cell), and the reply's changed cells are copied back in the same way, every row of the batch
 * into one buffer (the relay writes it as one slice). Cells masking left unchanged (-2) keep the
 * row's own bytes; nothing is decoded or re-encoded at the edge.
 */
export interface CutCells {
  /**
   * The cells of `cellColumns`, row by row, in DataRow cell layout: a view of a buffer the next
   * cut reuses, so it is sent (copied into the request) before anything else is cut.
   */
  readonly cells: Buffer;
  /** Per row and cell column: offset of the cell's length prefix from the row start, and its length. */
  readonly positions: Int32Array;
}

// Cutting and pasting are synchronous, so every session of the process shares these scratch
// buffers: a fresh large buffer per batch is external memory, and its growth makes V8 collect
// garbage far more often than the strings it replaces did.
let cutScratch = Buffer.allocUnsafeSlow(64 * 1024);
let replyAtScratch = new Int32Array(8 * 1024);
/** Position arrays of batches that came back, for the next batches (they live while a batch is out). */
const positionPool: Int32Array[] = [];
const MAX_POOLED_POSITIONS = 32;

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
 * Copies the cells of `cellColumns` (ascending) out of `frames`. A row whose cell count is not
 * `columnCount`, or whose cells run past its end, is a protocol violation.
 */
export function cutCells(
  frames: readonly Frame[],
  cellColumns: readonly number[],
  columnCount: number,
): CutCells {
  const width = cellColumns.length;
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
      if (column === cellColumns[k]) {
        const i = (r * width + k) * 2;
        positions[i] = at - start;
        positions[i + 1] = length;
        size += 4 + bytes;
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
    // Cells of adjacent columns are adjacent in the row too: one copy per run of them.
    let runFrom = -1;
    let runTo = -1;
    for (let k = 0; k < width; k++) {
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
 * The rows of `frames` with the masked cells of `reply` (the mask reply's cell bytes, same rows
 * and cell columns as `cut`) in place, all in one new buffer. A reply that does not fit the batch
 * fails the result (never a partial or shifted row).
 */
export function pasteCells(frames: readonly Frame[], cut: CutCells, width: number, reply: Buffer): Frame[] {
  const { positions } = cut;
  const rows = frames.length;
  if (replyAtScratch.length < rows * width) replyAtScratch = new Int32Array(rows * width * 2);
  const replyAt = replyAtScratch;
  // Pass 1: check the reply's layout and size every row.
  let at = 0;
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const frame = frames[r]!;
    let size = frame.end - frame.start;
    for (let k = 0; k < width; k++) {
      const i = r * width + k;
      if (at + 4 > reply.length) throw mismatch();
      const length = reply.readInt32BE(at);
      replyAt[i] = at;
      at += 4;
      if (length === CELL_UNCHANGED_LENGTH) continue;
      if (length < -1 || at + Math.max(length, 0) > reply.length) throw mismatch();
      at += Math.max(length, 0);
      size += Math.max(length, 0) - Math.max(positions[2 * i + 1]!, 0);
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
      const cellAt = replyAt[i]!;
      const length = reply.readInt32BE(cellAt);
      if (length === CELL_UNCHANGED_LENGTH) continue;
      const prefix = start + positions[2 * i]!;
      if (runFrom < 0 || prefix !== from || cellAt !== runTo) {
        if (runFrom >= 0) position += reply.copy(out, position, runFrom, runTo);
        position += buffer.copy(out, position, from, prefix);
        runFrom = cellAt;
      }
      runTo = cellAt + 4 + Math.max(length, 0);
      from = prefix + 4 + Math.max(positions[2 * i + 1]!, 0);
    }
    if (runFrom >= 0) position += reply.copy(out, position, runFrom, runTo);
    position += buffer.copy(out, position, from, end);
    out.writeInt32BE(position - rowStart - 1, rowStart + 1);
    result[r] = new Frame(BackendMessageCode.DataRow, out, rowStart, position);
  }
  releaseCells(cut);
  return result;
}

function malformedRow(): ProtocolViolationError {
  return new ProtocolViolationError('invalid DataRow message: a cell runs past the end of the row');
}

function mismatch(): DependencyUnavailableError {
  return new DependencyUnavailableError('masking sent a reply that does not match the batch', 'masking');
}
