/**
 * Edge cut and paste speed: `node --import tsx services/edge-postgres/bench/paste-cells.bench.ts`.
 *
 * A 1000-row `SELECT *` of the demo customers (deploy/local-stack/sql/demo.sql, its rows repeated
 * as the masking bench's `generate_series(1, 5) AS g, customers AS c LIMIT 1000` repeats them) as
 * DataRows framed from one chunk, planned with the default profile: 10 columns have a byte form and
 * are masked by the edge itself, 2 (country, notes) are sent to masking, whose reply is what the
 * service sends for them (maskCellText; unchanged cells as -2). One operation is cutCells then
 * pasteCells of the whole result. The implementations of git 19f6e0f (before the fused byte
 * masking passes) are kept below as the baseline and run in alternating rounds of the same run;
 * both must give the same bytes and counts.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  CELL_NULL_LENGTH,
  CELL_UNCHANGED_LENGTH,
  encodeCellBatch,
  ScratchBuffer,
  UNCHANGED_CELL,
  type BatchCell,
} from '@gatehouse/contracts';
import { DependencyUnavailableError, ProtocolViolationError } from '@gatehouse/errors';
import {
  BackendMessageCode,
  encodeDataRow,
  Frame,
  MessageFramer,
  MessageSource,
  MESSAGE_HEADER_LENGTH,
  type CellValue,
} from '@gatehouse/pg-wire';
import {
  builtInProfiles,
  compileProfile,
  createTally,
  maskCellText,
  planResultSet,
  PgTypeOid,
  WholeCellBytes,
  WholeCellOutcome,
  type ColumnInfo,
  type WholeCellForm,
} from '@gatehouse/pii';
import { cutCells, pasteCells, type MaskedColumn } from '../src/masking/row-batch.ts';

const ROWS = 1000;
const ROUNDS = 41;
const OPS_PER_ROUND = 20;

// --- the result: demo customers as DataRows ---------------------------------------------------

const root = fileURLToPath(new URL('../../../', import.meta.url));
const COLUMNS: readonly [string, number][] = [
  ['id', PgTypeOid.Int4],
  ['full_name', PgTypeOid.Text],
  ['email', PgTypeOid.Text],
  ['phone', PgTypeOid.Text],
  ['card_number', PgTypeOid.Text],
  ['ssn', PgTypeOid.Text],
  ['iban', PgTypeOid.Text],
  ['street_address', PgTypeOid.Text],
  ['city', PgTypeOid.Text],
  ['postcode', PgTypeOid.Text],
  ['country', PgTypeOid.Text],
  ['date_of_birth', PgTypeOid.Date],
  ['notes', PgTypeOid.Text],
  ['created_at', PgTypeOid.Timestamptz],
];

/** The customers' rows of demo.sql as PostgreSQL's text format sends them. */
function demoCustomers(): (string | null)[][] {
  const sql = readFileSync(`${root}deploy/local-stack/sql/demo.sql`, 'utf8');
  const insert = sql.indexOf('INSERT INTO customers');
  const body = sql.slice(insert, sql.indexOf(';\n', insert));
  const rows: (string | null)[][] = [];
  for (const line of body.split('\n').slice(1)) {
    const values = [...line.matchAll(/'((?:[^']|'')*)'|NULL|-?\d+/gu)].map(([token, quoted]) =>
      token === 'NULL' ? null : quoted === undefined ? token : quoted.replaceAll("''", "'"),
    );
    if (values.length !== COLUMNS.length) throw new Error(`demo.sql: a row of ${values.length} values`);
    rows.push(values);
  }
  return rows;
}

const customers = demoCustomers();
const values = Array.from({ length: ROWS }, (_, i) => customers[i % customers.length]!);
const framer = new MessageFramer({ source: MessageSource.Backend });
framer.push(Buffer.concat(values.map((row) => encodeDataRow(row as CellValue[]))));
const frames: Frame[] = [];
for (let frame = framer.next(); frame !== null; frame = framer.next()) frames.push(frame);

const infos: ColumnInfo[] = COLUMNS.map(([name, typeOid]) => ({
  name,
  typeOid,
  format: 'text',
  tableName: 'customers',
  columnName: name,
}));
const plan = planResultSet(infos, compileProfile(builtInProfiles.default));
const columns: MaskedColumn[] = plan.maskedColumns.map((index) => {
  const bytes = WholeCellBytes.for(plan.columns[index]!);
  // As the edge gets them: the form and text the plan reply carries.
  return { index, masker: bytes === undefined ? undefined : WholeCellBytes.of(bytes.form, bytes.text) };
});
const sentColumns = columns.filter((column) => column.masker === undefined).map((column) => column.index);
const tally = createTally(plan);
const reply = encodeCellBatch(
  values.map((row) =>
    sentColumns.map((index): BatchCell => {
      const value = row[index]!;
      if (value === null) return UNCHANGED_CELL;
      const masked = maskCellText(value, plan.columns[index]!, tally);
      return masked === value ? UNCHANGED_CELL : masked;
    }),
  ),
);

// --- baseline: row-batch.ts and whole-cell-bytes.ts as of git 19f6e0f ------------------------

interface BaselineColumn {
  readonly index: number;
  readonly masker: BaselineWholeCellBytes | undefined;
}

interface BaselineCut {
  readonly cells: Buffer;
  readonly positions: Int32Array;
}

const B_ASTERISK = 0x2a;
const B_AT = 0x40;
const B_DASH = 0x2d;
const B_DOT = 0x2e;
const B_SLASH = 0x2f;
const B_ZERO = 0x30;
const B_ONE = 0x31;
const B_KEEP = 4;
const B_EMAIL_PREFIX = Buffer.from('****');
const B_ISO_MONTH_DAY = Buffer.from('-01-01');

/** BASELINE: WholeCellBytes of git 19f6e0f (mask and maxLength only). */
class BaselineWholeCellBytes {
  readonly #text: Buffer | null;
  readonly #constant: boolean;

  constructor(
    readonly form: WholeCellForm,
    readonly text: string | null,
  ) {
    this.#text = text === null ? null : Buffer.from(text, 'utf8');
    this.#constant = form === 'constant' && (text === null || text.length === this.#text!.length);
  }

  maxLength(length: number): number {
    const text = this.#text?.length ?? 0;
    switch (this.form) {
      case 'constant':
        return text;
      case 'email_domain':
        return Math.max(text, B_EMAIL_PREFIX.length + 3 * length);
      default:
        return 3 * length;
    }
  }

  mask(src: Uint8Array, start: number, end: number, out: Buffer, at: number): number {
    let blank = true;
    for (let i = start; i < end; i++) {
      const c = src[i]!;
      if (c > 0x7f) {
        if (!blank && this.#constant) return this.#write(src, start, end, out, at);
        return this.#maskText(Buffer.from(src.buffer, src.byteOffset + start, end - start), out, at);
      }
      if (blank && c !== 0x20 && (c < 0x09 || c > 0x0d)) blank = false;
    }
    if (blank) return WholeCellOutcome.Blank;
    return this.#masked(src, start, end, out, at);
  }

  #maskText(cell: Buffer, out: Buffer, at: number): number {
    const value = cell.toString('utf8');
    if (value.trim().length === 0) return WholeCellOutcome.Blank;
    const bytes = Buffer.from(value, 'utf8');
    return this.#masked(bytes, 0, bytes.length, out, at);
  }

  #masked(src: Uint8Array, start: number, end: number, out: Buffer, at: number): number {
    const written = this.#write(src, start, end, out, at);
    return written >= 0 && baselineSame(src, start, end, out, at, written) ? WholeCellOutcome.Same : written;
  }

  #write(src: Uint8Array, start: number, end: number, out: Buffer, at: number): number {
    switch (this.form) {
      case 'constant':
        return this.#text === null
          ? WholeCellOutcome.Null
          : baselineMaskCopy(this.#text, 0, this.#text.length, out, at);
      case 'last_4_digits':
        return baselineKeepLast(src, start, end, out, at, baselineIsDigit);
      case 'last_4_alnum':
        return baselineKeepLast(src, start, end, out, at, baselineIsAlnum);
      case 'email_domain': {
        const sign = src.lastIndexOf(B_AT, end - 1);
        if (sign < start)
          return this.#text === null
            ? WholeCellOutcome.Null
            : baselineMaskCopy(this.#text, 0, this.#text.length, out, at);
        baselineMaskCopy(B_EMAIL_PREFIX, 0, B_EMAIL_PREFIX.length, out, at);
        return B_EMAIL_PREFIX.length + baselineMaskCopy(src, sign, end, out, at + B_EMAIL_PREFIX.length);
      }
      case 'date_year_start':
        return baselineYearStart(src, start, end, out, at, this.#text);
    }
  }
}

function baselineByteAt(src: Uint8Array, i: number, end: number): number {
  return i < end ? src[i]! : -1;
}

function baselineDigitRun(src: Uint8Array, from: number, end: number): number {
  let i = from;
  while (i < end && baselineIsDigit(src[i]!)) i++;
  return i - from;
}

function baselineYearStart(
  src: Uint8Array,
  start: number,
  end: number,
  out: Buffer,
  at: number,
  year: Buffer | null,
): number {
  if (!baselineHasDigit(src, start, end)) return WholeCellOutcome.Same;
  const isoYear = baselineDigitRun(src, start, end);
  const isoMonth = start + isoYear + 1;
  const iso =
    isoYear >= 4 &&
    baselineByteAt(src, isoMonth - 1, end) === B_DASH &&
    baselineDigitRun(src, isoMonth, end) >= 2 &&
    baselineByteAt(src, isoMonth + 2, end) === B_DASH &&
    baselineDigitRun(src, isoMonth + 3, end) >= 2;
  if (iso) {
    let o = at;
    o +=
      year === null
        ? baselineMaskCopy(src, start, start + isoYear, out, o)
        : baselineMaskCopy(year, 0, year.length, out, o);
    o += baselineMaskCopy(B_ISO_MONTH_DAY, 0, B_ISO_MONTH_DAY.length, out, o);
    return o - at + baselineMaskCopy(src, isoMonth + 5, end, out, o);
  }
  const separator = baselineByteAt(src, start + 2, end);
  const numericYear = baselineDigitRun(src, start + 6, end);
  const numeric =
    baselineDigitRun(src, start, Math.min(start + 2, end)) === 2 &&
    (separator === B_SLASH || separator === B_DOT || separator === B_DASH) &&
    baselineDigitRun(src, start + 3, Math.min(start + 5, end)) === 2 &&
    baselineByteAt(src, start + 5, end) === separator &&
    numericYear >= 4;
  if (!numeric) return WholeCellOutcome.Null;
  let o = at;
  out[o++] = B_ZERO;
  out[o++] = B_ONE;
  out[o++] = separator;
  out[o++] = B_ZERO;
  out[o++] = B_ONE;
  out[o++] = separator;
  o +=
    year === null
      ? baselineMaskCopy(src, start + 6, start + 6 + numericYear, out, o)
      : baselineMaskCopy(year, 0, year.length, out, o);
  return o - at + baselineMaskCopy(src, start + 6 + numericYear, end, out, o);
}

function baselineHasDigit(src: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (baselineIsDigit(src[i]!)) return true;
  return false;
}

function baselineMaskCopy(src: Uint8Array, start: number, end: number, out: Uint8Array, at: number): number {
  for (let i = start; i < end; i++) out[at++] = src[i]!;
  return end - start;
}

function baselineSame(
  src: Uint8Array,
  start: number,
  end: number,
  out: Buffer,
  at: number,
  written: number,
): boolean {
  if (written !== end - start) return false;
  for (let i = 0; i < written; i++) if (out[at + i] !== src[start + i]) return false;
  return true;
}

function baselineIsDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function baselineIsAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a);
}

function baselineKeepLast(
  src: Uint8Array,
  start: number,
  end: number,
  out: Buffer,
  at: number,
  kept: (c: number) => boolean,
): number {
  let from = end;
  for (let seen = 0; from > start && seen < B_KEEP; from--) if (kept(src[from - 1]!)) seen++;
  let o = at;
  for (let i = start; i < end; i++) {
    const c = src[i]!;
    out[o++] = i < from && kept(c) ? B_ASTERISK : c;
  }
  return end - start;
}

let baselineCutScratch = Buffer.allocUnsafeSlow(64 * 1024);
const baselinePasteScratch = new ScratchBuffer(256 * 1024);
let baselineRowStartScratch = new Int32Array(1024);
const baselinePositionPool: Int32Array[] = [];

function baselinePositionsFor(length: number): Int32Array {
  for (let i = baselinePositionPool.length - 1; i >= 0; i--) {
    if (baselinePositionPool[i]!.length >= length) return baselinePositionPool.splice(i, 1)[0]!;
  }
  return new Int32Array(Math.max(length, 1024));
}

/** BASELINE: cutCells of git 19f6e0f. */
function baselineCutCells(
  frames: readonly Frame[],
  columns: readonly BaselineColumn[],
  columnCount: number,
): BaselineCut {
  const width = columns.length;
  const positions = baselinePositionsFor(frames.length * width * 2);
  let size = 0;
  for (let r = 0; r < frames.length; r++) {
    const { buffer, start, end } = frames[r]!;
    const count = buffer.readInt16BE(start + MESSAGE_HEADER_LENGTH);
    if (count !== columnCount) {
      throw new ProtocolViolationError(`DataRow has ${count} cells for ${columnCount} columns`);
    }
    let at = start + MESSAGE_HEADER_LENGTH + 2;
    let k = 0;
    for (let column = 0; column < count; column++) {
      if (at + 4 > end) throw new ProtocolViolationError('malformed');
      const length = buffer.readInt32BE(at);
      const bytes = length > 0 ? length : 0;
      if (length < -1 || at + 4 + bytes > end) throw new ProtocolViolationError('malformed');
      if (k < width && column === columns[k]!.index) {
        const i = (r * width + k) * 2;
        positions[i] = at - start;
        positions[i + 1] = length;
        if (columns[k]!.masker === undefined) size += 4 + bytes;
        k++;
      }
      at += 4 + bytes;
    }
    if (at !== end) throw new ProtocolViolationError('malformed');
  }
  if (baselineCutScratch.length < size)
    baselineCutScratch = Buffer.allocUnsafeSlow(Math.max(size, baselineCutScratch.length * 2));
  const cells = baselineCutScratch;
  let at = 0;
  for (let r = 0; r < frames.length; r++) {
    const { buffer, start } = frames[r]!;
    let runFrom = -1;
    let runTo = -1;
    for (let k = 0; k < width; k++) {
      if (columns[k]!.masker !== undefined) continue;
      const i = (r * width + k) * 2;
      const from = start + positions[i]!;
      const length = positions[i + 1]!;
      if (from !== runTo) {
        if (runFrom >= 0) at += baselineCopyBytes(buffer, runFrom, runTo, cells, at);
        runFrom = from;
      }
      runTo = from + 4 + (length > 0 ? length : 0);
    }
    if (runFrom >= 0) at += baselineCopyBytes(buffer, runFrom, runTo, cells, at);
  }
  return { cells: cells.subarray(0, size), positions };
}

/** BASELINE: pasteCells of git 19f6e0f. */
function baselinePasteCells(
  frames: readonly Frame[],
  cut: BaselineCut,
  columns: readonly BaselineColumn[],
  reply: Buffer,
  masked: Int32Array,
): Frame[] {
  const { positions } = cut;
  const rows = frames.length;
  const width = columns.length;
  let out = baselinePasteScratch.buffer;
  if (baselineRowStartScratch.length < rows + 1) baselineRowStartScratch = new Int32Array(2 * (rows + 1));
  const rowStarts = baselineRowStartScratch;
  let position = 0;
  let at = 0;
  for (let r = 0; r < rows; r++) {
    const { buffer, start, end } = frames[r]!;
    rowStarts[r] = position;
    if (position + MESSAGE_HEADER_LENGTH > out.length)
      out = baselinePasteScratch.grow(out, position, MESSAGE_HEADER_LENGTH);
    out[position] = BackendMessageCode.DataRow;
    position += MESSAGE_HEADER_LENGTH;
    let from = start + MESSAGE_HEADER_LENGTH;
    let runFrom = -1;
    let runTo = -1;
    for (let k = 0; k < width; k++) {
      const i = r * width + k;
      const prefix = start + positions[2 * i]!;
      const length = positions[2 * i + 1]!;
      const next = prefix + 4 + Math.max(length, 0);
      const masker = columns[k]!.masker;
      if (masker !== undefined) {
        if (length === CELL_NULL_LENGTH) continue;
        const need = runTo - runFrom + (prefix - from) + 4 + masker.maxLength(length);
        if (position + need > out.length) out = baselinePasteScratch.grow(out, position, need);
        if (runFrom >= 0) position += baselineCopyBytes(reply, runFrom, runTo, out, position);
        runFrom = runTo = -1;
        position += baselineCopyBytes(buffer, from, prefix, out, position);
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
      if (at + 4 > reply.length) throw baselineMismatch();
      const cellAt = at;
      const replyLength = reply.readInt32BE(at);
      at += 4;
      if (replyLength === CELL_UNCHANGED_LENGTH) continue;
      if (replyLength < -1 || at + Math.max(replyLength, 0) > reply.length) throw baselineMismatch();
      at += Math.max(replyLength, 0);
      if (runFrom < 0 || prefix !== from || cellAt !== runTo) {
        const need = runTo - runFrom + (prefix - from);
        if (position + need > out.length) out = baselinePasteScratch.grow(out, position, need);
        if (runFrom >= 0) position += baselineCopyBytes(reply, runFrom, runTo, out, position);
        position += baselineCopyBytes(buffer, from, prefix, out, position);
        runFrom = cellAt;
      }
      runTo = at;
      from = next;
    }
    const need = runTo - runFrom + (end - from);
    if (position + need > out.length) out = baselinePasteScratch.grow(out, position, need);
    if (runFrom >= 0) position += baselineCopyBytes(reply, runFrom, runTo, out, position);
    position += baselineCopyBytes(buffer, from, end, out, position);
    out.writeInt32BE(position - rowStarts[r]! - 1, rowStarts[r]! + 1);
  }
  if (at !== reply.length) throw baselineMismatch();
  rowStarts[rows] = position;
  const pasted = Buffer.allocUnsafe(position);
  out.copy(pasted, 0, 0, position);
  const result = new Array<Frame>(rows);
  for (let r = 0; r < rows; r++)
    result[r] = new Frame(BackendMessageCode.DataRow, pasted, rowStarts[r]!, rowStarts[r + 1]!);
  if (baselinePositionPool.length < 32) baselinePositionPool.push(cut.positions);
  return result;
}

function baselineCopyBytes(src: Buffer, start: number, end: number, out: Buffer, at: number): number {
  const length = end - start;
  if (length >= 32) return src.copy(out, at, start, end);
  for (let i = start; i < end; i++) out[at++] = src[i]!;
  return length;
}

function baselineMismatch(): DependencyUnavailableError {
  return new DependencyUnavailableError('masking sent a reply that does not match the batch', 'masking');
}

// --- the measurement -----------------------------------------------------------------------------

const baselineColumns: BaselineColumn[] = columns.map(({ index, masker }) => ({
  index,
  masker: masker === undefined ? undefined : new BaselineWholeCellBytes(masker.form, masker.text),
}));

const currentMasked = new Int32Array(columns.length);
const baselineMasked = new Int32Array(columns.length);

// Each returns the pasted bytes so the work cannot be dropped.
const current = (): Frame[] =>
  pasteCells(frames, cutCells(frames, columns, COLUMNS.length), columns, reply, currentMasked);
const baseline = (): Frame[] =>
  baselinePasteCells(
    frames,
    baselineCutCells(frames, baselineColumns, COLUMNS.length),
    baselineColumns,
    reply,
    baselineMasked,
  );

/** The pasted rows as one buffer, for comparing the two sides. */
function bytesOf(rows: readonly Frame[]): Buffer {
  return Buffer.concat(rows.map((row) => row.message()));
}

const currentBytes = bytesOf(current());
const baselineBytes = bytesOf(baseline());
const identical =
  currentBytes.equals(baselineBytes) && currentMasked.every((count, k) => count === baselineMasked[k]);

/** Wall µs per operation over `ops` operations. */
function microseconds(run: () => Frame[], ops: number): number {
  let sink = 0;
  const started = performance.now();
  for (let i = 0; i < ops; i++) sink += run().length;
  const elapsed = performance.now() - started;
  if (sink !== ops * ROWS) throw new Error('lost rows');
  return (elapsed * 1000) / ops;
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
for (let i = 0; i < 300; i++) {
  baseline();
  current();
}
const baselineUs: number[] = [];
const currentUs: number[] = [];
// The machine is shared: rounds alternate the sides so drift hits both alike; medians are reported.
for (let round = 0; round < ROUNDS; round++) {
  baselineUs.push(microseconds(baseline, OPS_PER_ROUND));
  currentUs.push(microseconds(current, OPS_PER_ROUND));
}

const edgeColumns = columns.filter((column) => column.masker !== undefined).length;
console.log(
  `${ROWS} demo customer rows, ${COLUMNS.length} columns: ${edgeColumns} masked at the edge, ${sentColumns.length} from a ${reply.length}-byte reply; pasted ${currentBytes.length} bytes, identical to the baseline: ${identical}`,
);
console.log(`median of ${ROUNDS} rounds of ${OPS_PER_ROUND} (cutCells + pasteCells, µs per ${ROWS} rows)`);
console.log(`baseline (19f6e0f)   ${median(baselineUs).toFixed(1).padStart(8)} µs`);
console.log(`current              ${median(currentUs).toFixed(1).padStart(8)} µs`);
console.log(`ratio                ${(median(baselineUs) / median(currentUs)).toFixed(2)}x`);
if (!identical) process.exitCode = 1;
