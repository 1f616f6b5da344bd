import { CELL_NULL_LENGTH, CELL_UNCHANGED_LENGTH, ScratchBuffer } from '@gatehouse/contracts';
import { InvalidMessageError, PolicyDeniedError } from '@gatehouse/errors';
import {
  maskBinaryCell,
  maskCellText,
  WholeCellBytes,
  WholeCellOutcome,
  type MaskTally,
  type ResultMaskPlan,
} from '@gatehouse/pii';

/** Finds the next byte outside ASCII in a batch read as latin1 (one character per byte). */
const HIGH_BYTE = /[\x80-\xff]/g;

// Masking a batch is synchronous, so every batch of the process writes its reply here first and
// copies it out once its size is known.
const scratch = new ScratchBuffer(64 * 1024);

/**
 * Masks a batch of cell bytes (DataRow cell layout: per row, per cell of the plan's columns, an
 * Int32 length, -1 for NULL, and the bytes) into the reply's cell bytes in one pass: a changed cell
 * is written as its new bytes (-1: NULL), an unchanged one as -2. Cells of a `whole` column whose
 * masked form is a function of the bytes ({@link WholeCellBytes}: redaction, last 4 digits, an
 * email's domain) go from bytes to bytes, counted in the column's entity; the others become a
 * string (binary-format cells stay bytes), go through `maskCellText` / `maskBinaryCell` and are
 * written back as UTF-8. A batch
 * whose layout does not match `rowCount` is an InvalidMessageError; a cell that cannot be masked
 * is a PolicyDeniedError.
 */
export function maskCellBatch(
  cells: Buffer,
  rowCount: number,
  plan: ResultMaskPlan,
  binary: readonly boolean[],
  tally: MaskTally,
): Buffer {
  const width = binary.length;
  const actions = plan.columns;
  const bytes = actions.map((action, k) => (binary[k] ? undefined : WholeCellBytes.for(action)));
  // The batch as latin1, made when the first cell needs a string: an ASCII cell is a slice of it.
  let latin1: string | undefined;
  let high = -1;
  let out = scratch.buffer;
  let o = 0;
  let at = 0;
  for (let r = 0; r < rowCount; r++) {
    for (let k = 0; k < width; k++) {
      if (at + 4 > cells.length) throw malformed(`row ${r} cell ${k} runs past the end`);
      const length = cells.readInt32BE(at);
      at += 4;
      if (length === CELL_NULL_LENGTH) {
        if (o + 4 > out.length) out = scratch.grow(out, o, 4);
        o = out.writeInt32BE(CELL_UNCHANGED_LENGTH, o);
        continue;
      }
      if (length < 0 || at + length > cells.length)
        throw malformed(`row ${r} cell ${k} has length ${length}`);
      const start = at;
      at += length;
      const byteMasker = bytes[k];
      if (byteMasker !== undefined) {
        if (o + 4 + byteMasker.maxLength(length) > out.length)
          out = scratch.grow(out, o, 4 + byteMasker.maxLength(length));
        const written = byteMasker.mask(cells, start, at, out, o + 4);
        if (written !== WholeCellOutcome.Blank) tally.add(k, actions[k]!.slot);
        if (written >= 0) {
          out.writeInt32BE(written, o);
          o += 4 + written;
        } else {
          o = out.writeInt32BE(
            written === WholeCellOutcome.Null ? CELL_NULL_LENGTH : CELL_UNCHANGED_LENGTH,
            o,
          );
        }
        continue;
      }
      let masked: string | Uint8Array | null;
      let value: string | Uint8Array;
      if (binary[k]) {
        value = cells.subarray(start, at);
        const result = maskBinaryCell(value, actions[k]!.typeOid, actions[k]!, tally);
        if (!result.ok)
          throw new PolicyDeniedError(`column "${actions[k]!.name}": ${result.reason}`, 'pii.refuse');
        masked = result.value;
      } else {
        latin1 ??= cells.toString('latin1');
        if (high < start) {
          HIGH_BYTE.lastIndex = start;
          high = HIGH_BYTE.exec(latin1)?.index ?? Infinity;
        }
        value = high >= at ? latin1.slice(start, at) : cells.toString('utf8', start, at);
        masked = maskCellText(value, actions[k]!, tally);
      }
      if (masked === value) {
        if (o + 4 > out.length) out = scratch.grow(out, o, 4);
        o = out.writeInt32BE(CELL_UNCHANGED_LENGTH, o);
      } else if (masked === null) {
        if (o + 4 > out.length) out = scratch.grow(out, o, 4);
        o = out.writeInt32BE(CELL_NULL_LENGTH, o);
      } else if (typeof masked === 'string') {
        if (o + 4 + 3 * masked.length > out.length) out = scratch.grow(out, o, 4 + 3 * masked.length);
        const written = out.write(masked, o + 4, 'utf8');
        out.writeInt32BE(written, o);
        o += 4 + written;
      } else {
        if (o + 4 + masked.length > out.length) out = scratch.grow(out, o, 4 + masked.length);
        out.writeInt32BE(masked.length, o);
        out.set(masked, o + 4);
        o += 4 + masked.length;
      }
    }
  }
  if (at !== cells.length) throw malformed(`${cells.length - at} byte(s) after ${rowCount} rows`);
  return Buffer.from(out.subarray(0, o));
}

function malformed(problem: string): InvalidMessageError {
  return new InvalidMessageError('invalid cell batch', [problem]);
}
