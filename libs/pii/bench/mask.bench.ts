// Masking throughput on one core: a realistic 1000-row customers result (11 columns) masked with
// the built-in profiles and a pseudonymising (hash/fake) profile, the cost of planResultSet, and
// command-output lines. Run: node --import tsx libs/pii/bench/mask.bench.ts
import {
  builtInProfiles,
  compileProfile,
  maskRows,
  maskText,
  PgTypeOid,
  planResultSet,
  type ColumnInfo,
  type CompiledProfile,
  type MaskingProfile,
} from '../src/index.ts';
import { seededRandom } from './seeded-random.ts';

const ROWS = 1000;

const { random, pick, digits } = seededRandom(42);

function luhn(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return body + String((10 - (sum % 10)) % 10);
}

function iban(): string {
  const bban = digits(18);
  const check = String(98n - (BigInt(`${bban}131400`) % 97n)).padStart(2, '0');
  return `DE${check}${bban}`.replace(/(.{4})/g, '$1 ').trim();
}

const FIRST = ['Mary', 'James', 'Wei', 'Aisha', 'Carlos', 'Sofia', 'Noah', 'Priya'];
const LAST = ['Smith', 'Garcia', 'Nguyen', 'Patel', 'Müller', "O'Brien", 'Kim'];
const NOTES = [
  () =>
    `Customer called about order ORD-2024-${digits(6)}, delivery was late by ${1 + Math.floor(random() * 9)} days.`,
  () => `Prefers email contact. Last login ${new Date(1715900000000 + random() * 1e9).toISOString()}.`,
  () => `Asked to update phone to (415) 555-${digits(4)} and confirm billing address.`,
  () => `Refund of $${Math.floor(random() * 500)}.${digits(2)} approved by agent Dana, ticket #${digits(5)}.`,
  () => `Second card ${luhn(`4${digits(14)}`)} added for subscriptions.`,
  () =>
    `Reach me at ${pick(FIRST).toLowerCase()}.${pick(LAST).toLowerCase().replace(/\W/g, '')}@example.com after 5pm.`,
  () => `VIP since 2019, no special handling required.`,
  () => '',
];

const columns: ColumnInfo[] = [
  { name: 'id', typeOid: PgTypeOid.Int4, tableName: 'customers', columnName: 'id', format: 'text' },
  { name: 'name', typeOid: PgTypeOid.Text, tableName: 'customers', columnName: 'name', format: 'text' },
  { name: 'email', typeOid: PgTypeOid.Varchar, tableName: 'customers', columnName: 'email', format: 'text' },
  { name: 'phone', typeOid: PgTypeOid.Varchar, tableName: 'customers', columnName: 'phone', format: 'text' },
  {
    name: 'card_number',
    typeOid: PgTypeOid.Text,
    tableName: 'customers',
    columnName: 'card_number',
    format: 'text',
  },
  { name: 'ssn', typeOid: PgTypeOid.Text, tableName: 'customers', columnName: 'ssn', format: 'text' },
  { name: 'iban', typeOid: PgTypeOid.Text, tableName: 'customers', columnName: 'iban', format: 'text' },
  { name: 'address', typeOid: PgTypeOid.Text, tableName: 'customers', columnName: 'address', format: 'text' },
  { name: 'notes', typeOid: PgTypeOid.Text, tableName: 'customers', columnName: 'notes', format: 'text' },
  {
    name: 'amount',
    typeOid: PgTypeOid.Numeric,
    tableName: 'customers',
    columnName: 'amount',
    format: 'text',
  },
  {
    name: 'created_at',
    typeOid: PgTypeOid.Timestamptz,
    tableName: 'customers',
    columnName: 'created_at',
    format: 'text',
  },
];

const rows: string[][] = Array.from({ length: ROWS }, (_, i) => {
  const first = pick(FIRST);
  const last = pick(LAST);
  return [
    String(i + 1),
    `${first} ${last}`,
    `${first.toLowerCase()}.${last.toLowerCase().replace(/\W/g, '')}${i}@example.com`,
    `+1 (${pick(['212', '415', '646'])}) ${2 + Math.floor(random() * 7)}${digits(2)}-${digits(4)}`,
    luhn(`4${digits(14)}`).replace(/(\d{4})(?=\d)/g, '$1 '),
    `${100 + Math.floor(random() * 500)}-${10 + Math.floor(random() * 89)}-${1000 + Math.floor(random() * 8999)}`,
    iban(),
    `${1 + Math.floor(random() * 9999)} ${pick(['Oak', 'Maple', 'Main'])} St, Springfield`,
    pick(NOTES)(),
    `${Math.floor(random() * 2000)}.${digits(2)}`,
    `2024-05-${String(1 + Math.floor(random() * 28)).padStart(2, '0')} 10:${digits(1)}${digits(1)}:00+00`,
  ];
});
const cellCount = ROWS * columns.length;

const pseudonymise: MaskingProfile = {
  name: 'pseudonymise',
  entities: {
    card: 'fake',
    ssn: 'fake',
    email: 'hash',
    phone: 'fake',
    iban: 'fake',
    ipv4: 'hash',
    ipv6: 'hash',
    secret: 'redact',
    name: 'fake',
    address: 'fake',
    dob: 'fake',
  },
  hashKey: 'bench-key-0123456789abcdef',
};

interface Result {
  readonly name: string;
  readonly opsPerSecond: number;
  readonly medianMs: number;
  readonly cpuMs: number;
  readonly itemsPerSecond: number;
  readonly unit: string;
}

/*
 * Median of wall time and of process CPU time per run. The machine is shared: CPU time is what
 * one core spends on the work even when other processes make the wall clock wait, so throughput
 * is reported per CPU second.
 */
function measure(name: string, items: number, unit: string, run: () => void): Result {
  const deadline = performance.now() + 300;
  while (performance.now() < deadline) run(); // warm-up: let V8 optimise
  const wall: number[] = [];
  const cpu: number[] = [];
  const end = performance.now() + 1500;
  while (performance.now() < end || wall.length < 15) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    run();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const median = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const medianMs = median(wall);
  const cpuMs = Math.max(median(cpu), 0.001);
  return {
    name,
    opsPerSecond: 1000 / medianMs,
    medianMs,
    cpuMs,
    itemsPerSecond: (items * 1000) / cpuMs,
    unit,
  };
}

const results: Result[] = [];
for (const [label, profile] of [
  ['default', compileProfile(builtInProfiles.default)],
  ['strict', compileProfile(builtInProfiles.strict)],
  ['pseudonymise (hash/fake)', compileProfile(pseudonymise)],
] as [string, CompiledProfile][]) {
  const plan = planResultSet(columns, profile);
  results.push(measure(`maskRows 1000x11, ${label}`, cellCount, 'cells', () => void maskRows(rows, plan)));
}

const defaultProfile = compileProfile(builtInProfiles.default);
const notesOnly = planResultSet([columns[8]!], defaultProfile);
const noteRows = rows.map((r) => [r[8]!]);
results.push(
  measure('maskRows notes column only (scan)', ROWS, 'cells', () => void maskRows(noteRows, notesOnly)),
);
// Structured cells: `SELECT c FROM customers c` (a whole-row composite, 11 fields per cell) and
// `array_agg(email)`-style text[] cells of 10 elements, as PostgreSQL prints them.
const recordField = (v: string): string =>
  /[\s"\\(),]/.test(v) || v === '' ? `"${v.replace(/["\\]/g, '$&$&')}"` : v;
const compositeRows = rows.map((r) => [`(${r.map(recordField).join(',')})`]);
const compositePlan = planResultSet([{ name: 'c', typeOid: 16_500, format: 'text' }], defaultProfile);
results.push(
  measure(
    'maskRows whole-row composite (11 fields)',
    ROWS,
    'cells',
    () => void maskRows(compositeRows, compositePlan),
  ),
);
const arrayRows = rows.map((_, i) => [
  `{${Array.from({ length: 10 }, (_, k) => rows[(i + k) % ROWS]![2]).join(',')}}`,
]);
const arrayPlan = planResultSet(
  [{ name: 'array_agg', typeOid: PgTypeOid.TextArray, format: 'text' }],
  defaultProfile,
);
results.push(
  measure('maskRows text[] of 10 emails', ROWS, 'cells', () => void maskRows(arrayRows, arrayPlan)),
);
// planResultSet is per statement: time 100 plans per run so the CPU clock can resolve it.
const typedOnly = [columns[0]!, columns[9]!, columns[10]!];
results.push(
  measure('planResultSet x100, 3 typed columns (no mask)', 100, 'plans', () => {
    for (let i = 0; i < 100; i++)
      if (planResultSet(typedOnly, defaultProfile).needsMasking) throw new Error('unexpected');
  }),
);
results.push(
  measure('planResultSet x100, 11 columns', 100, 'plans', () => {
    for (let i = 0; i < 100; i++) planResultSet(columns, defaultProfile);
  }),
);
const lines = rows.map(
  (r) => `${r[1]} <${r[2]}> logged in from 203.0.113.${Number(r[0]) % 250} note: ${r[8]}`,
);
results.push(
  measure('maskText 1000 output lines', ROWS, 'lines', () => {
    for (const line of lines) maskText(line, defaultProfile);
  }),
);

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
console.log(`pii masking benchmark (node ${process.version}, one core; throughput per CPU second)`);
console.log(
  `${'case'.padEnd(46)} ${'ops/s'.padStart(10)} ${'median ms'.padStart(10)} ${'cpu ms'.padStart(8)} ${'throughput'.padStart(18)}`,
);
for (const r of results) {
  console.log(
    `${r.name.padEnd(46)} ${fmt(r.opsPerSecond).padStart(10)} ${r.medianMs.toFixed(3).padStart(10)} ${r.cpuMs.toFixed(3).padStart(8)} ${`${fmt(r.itemsPerSecond)} ${r.unit}/s`.padStart(18)}`,
  );
}
