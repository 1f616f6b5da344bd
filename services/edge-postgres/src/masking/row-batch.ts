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
        if (columns[k]!.masker === undefined) size += 4 + bytes;
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
      if (columns[k]!.masker !== undefined) continue;
      const i = (r * width + k) * 2;
      const from = start + positions[i]!;
      const length = positions[i + 1]!;
      if (from !== runTo) {
        if (runFrom >= 0) at += copyBytes(buffer, runFrom, runTo, cells, at);
        runFrom = from;
      }
      runTo = from + 4 + (length > 0 ? length : 0);
    }
    if (runFrom >= 0) at += copyBytes(buffer, runFrom, runTo, cells, at);
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
    rowStarts[r] = position;
    if (position + MESSAGE_HEADER_LENGTH > out.length)
      out = pasteScratch.grow(out, position, MESSAGE_HEADER_LENGTH);
    out[position] = BackendMessageCode.DataRow;
    position += MESSAGE_HEADER_LENGTH;
    let from = start + MESSAGE_HEADER_LENGTH; // row bytes not copied yet
    let runFrom = -1; // reply bytes not copied yet: changed cells adjacent in the row and in the reply
    let runTo = -1;
    for (let k = 0; k < width; k++) {
      const i = r * width + k;
      const prefix = start + positions[2 * i]!;
      const length = positions[2 * i + 1]!;
      const next = prefix + 4 + Math.max(length, 0);
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
          out.writeInt32BE(written, position);
          position += 4 + written;
          from = next;
        } else if (written === WholeCellOutcome.Null) {
          position = out.writeInt32BE(CELL_NULL_LENGTH, position);
          from = next;
        }
        continue;
      }
      if (at + 4 > reply.length) throw mismatch();
      const cellAt = at;
      const replyLength = reply.readInt32BE(at);
      at += 4;
      if (replyLength === CELL_UNCHANGED_LENGTH) continue;
      if (replyLength < -1 || at + Math.max(replyLength, 0) > reply.length) throw mismatch();
      at += Math.max(replyLength, 0);
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
    out.writeInt32BE(position - rowStarts[r]! - 1, rowStarts[r]! + 1);
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

function malformedRow(): ProtocolViolationError {
  return new ProtocolViolationError('invalid DataRow message: a cell runs past the end of the row');
}

function mismatch(): DependencyUnavailableError {
  return new DependencyUnavailableError('masking sent a reply that does not match the batch', 'masking');
}
