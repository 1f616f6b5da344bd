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
  /** The cells of `cellColumns`, row by row, in DataRow cell layout. */
  readonly cells: Buffer;
  /** Per row and cell column: offset of the cell's length prefix from the row start, and its length. */
  readonly positions: Int32Array;
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
  const positions = new Int32Array(frames.length * width * 2);
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
  const cells = Buffer.allocUnsafe(size);
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
  return { cells, positions };
}

/**
 * The rows of `frames` with the masked cells of `reply` (the mask reply's `cells`, same rows and
 * cell columns as {@link cutCells} produced `positions` for) in place, all in one new buffer. A
 * reply that does not fit the batch fails the result (never a partial or shifted row).
 */
export function pasteCells(
  frames: readonly Frame[],
  positions: Int32Array,
  width: number,
  reply: Buffer,
): Frame[] {
  const rows = frames.length;
  const replyAt = new Int32Array(rows * width);
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
  return result;
}

function malformedRow(): ProtocolViolationError {
  return new ProtocolViolationError('invalid DataRow message: a cell runs past the end of the row');
}

function mismatch(): DependencyUnavailableError {
  return new DependencyUnavailableError('masking sent a reply that does not match the batch', 'masking');
}
