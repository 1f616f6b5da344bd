/**
 * Edge cut and paste speed: `node --import tsx services/edge-postgres/bench/paste-cells.bench.ts`.
 *
 * A 1000-row `SELECT *` of the demo customers (deploy/local-stack/sql/demo.sql, its rows repeated
 * as the masking bench's `generate_series(1, 5) AS g, customers AS c LIMIT 1000` repeats them) as
 * DataRows framed from one chunk, planned with the default profile: 10 columns have a byte form and
 * are masked by the edge itself, 2 (country, notes) are sent to masking, whose reply is what the
 * service sends for them (maskCellText; unchanged cells as -2). One operation is cutCells then
 * pasteCells of the whole result, beside its floor in the same run: one copy of every row's bytes.
 * (The fused byte-masking passes of c8c3158 took this from ~905 µs to ~530 µs per 1000 rows.)
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { encodeCellBatch, UNCHANGED_CELL, type BatchCell } from '@gatehouse/contracts';
import { encodeDataRow, MessageFramer, MessageSource, type CellValue, type Frame } from '@gatehouse/pg-wire';
import {
  builtInProfiles,
  compileProfile,
  createTally,
  maskCellText,
  planResultSet,
  PgTypeOid,
  WholeCellBytes,
  type ColumnInfo,
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

// --- the measurement -----------------------------------------------------------------------------

const masked = new Int32Array(columns.length);
const rowBytes = frames.reduce((sum, frame) => sum + frame.length, 0);

// Each returns the pasted bytes so the work cannot be dropped.
const current = (): number =>
  pasteCells(frames, cutCells(frames, columns, COLUMNS.length), columns, reply, masked).length;
// The floor of any paste: every row's bytes copied once into one new buffer, nothing read or masked.
const floor = (): number => {
  const out = Buffer.allocUnsafe(rowBytes);
  let at = 0;
  for (const frame of frames) at += frame.buffer.copy(out, at, frame.start, frame.end);
  return at === rowBytes ? ROWS : 0;
};

/** Wall µs per operation over `ops` operations. */
function microseconds(run: () => number, ops: number): number {
  let sink = 0;
  const started = performance.now();
  for (let i = 0; i < ops; i++) sink += run();
  const elapsed = performance.now() - started;
  if (sink !== ops * ROWS) throw new Error('lost rows');
  return (elapsed * 1000) / ops;
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
for (let i = 0; i < 300; i++) {
  floor();
  current();
}
const floorUs: number[] = [];
const currentUs: number[] = [];
// The machine is shared: rounds alternate the sides so drift hits both alike; medians are reported.
for (let round = 0; round < ROUNDS; round++) {
  floorUs.push(microseconds(floor, OPS_PER_ROUND));
  currentUs.push(microseconds(current, OPS_PER_ROUND));
}

const edgeColumns = columns.filter((column) => column.masker !== undefined).length;
console.log(
  `${ROWS} demo customer rows (${rowBytes} bytes), ${COLUMNS.length} columns: ${edgeColumns} masked at the edge, ${sentColumns.length} from a ${reply.length}-byte reply`,
);
console.log(`median of ${ROUNDS} rounds of ${OPS_PER_ROUND} (µs per ${ROWS} rows)`);
console.log(`cutCells + pasteCells            ${median(currentUs).toFixed(1).padStart(8)} µs`);
console.log(`floor: one copy of every row     ${median(floorUs).toFixed(1).padStart(8)} µs`);
console.log(`cut + paste / floor              ${(median(currentUs) / median(floorUs)).toFixed(1)}x`);
