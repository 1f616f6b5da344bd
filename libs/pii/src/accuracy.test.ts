import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evalSetJsonl, type EvalCell } from '../scripts/eval-set-generator.ts';
import {
  builtInProfiles,
  compileProfile,
  detectEntities,
  PII_ENTITIES,
  planResultSet,
  PgTypeOid,
} from './index.ts';
import { createTally, maskRowInto } from './plan/mask-rows.ts';
import type { ColumnInfo } from './plan/column-action.ts';

// Accuracy of detection on the labelled evaluation set (scripts/eval-set-generator.ts): per entity
// precision, recall and F2 over cells. The gated entities must reach 0.98 on both.
const fixture = readFileSync(new URL('../test/fixtures/eval-set.jsonl', import.meta.url), 'utf8');
const cells: EvalCell[] = fixture
  .split('\n')
  .filter((line) => line.length > 0)
  .map((line) => JSON.parse(line) as EvalCell);
const GATED = ['card', 'ssn', 'email', 'iban', 'ipv4', 'ipv6', 'phone'];
const TYPE_OIDS: Readonly<Record<string, number>> = {
  int4: PgTypeOid.Int4,
  int8: PgTypeOid.Int8,
  text: PgTypeOid.Text,
  varchar: PgTypeOid.Varchar,
  date: PgTypeOid.Date,
  timestamptz: PgTypeOid.Timestamptz,
  numeric: PgTypeOid.Numeric,
  uuid: PgTypeOid.Uuid,
  jsonb: PgTypeOid.Jsonb,
  inet: PgTypeOid.Inet,
};
const strict = compileProfile(builtInProfiles.strict);

function columnsOf(table: string): ColumnInfo[] {
  const seen = new Map<string, ColumnInfo>();
  for (const c of cells) {
    if (c.table !== table || seen.has(c.column)) continue;
    seen.set(c.column, {
      name: c.column,
      typeOid: TYPE_OIDS[c.type]!,
      tableName: table,
      columnName: c.column,
      format: 'text',
    });
  }
  return [...seen.values()];
}

const tables = [...new Set(cells.map((c) => c.table))];
const plans = new Map(tables.map((t) => [t, planResultSet(columnsOf(t), strict)]));

/** What production would report for a cell: nothing for a column the plan passes, else the detectors' findings. */
function detected(cell: EvalCell): Set<string> {
  const plan = plans.get(cell.table)!;
  const action = plan.columns.find((c) => c.name === cell.column)!;
  if (action.kind === 'pass') return new Set();
  const found = detectEntities(cell.value, strict, {
    name: cell.column,
    tableName: cell.table,
    columnName: cell.column,
  });
  return new Set(found.map((f) => f.entity));
}

interface Score {
  tp: number;
  fp: number;
  fn: number;
  misses: string[];
}

const scores = new Map<string, Score>(PII_ENTITIES.map((e) => [e, { tp: 0, fp: 0, fn: 0, misses: [] }]));
for (const cell of cells) {
  const found = detected(cell);
  for (const entity of PII_ENTITIES) {
    const score = scores.get(entity)!;
    const want = cell.labels.includes(entity);
    const got = found.has(entity);
    if (want && got) score.tp++;
    else if (got) {
      score.fp++;
      score.misses.push(`FP ${cell.table}.${cell.column}: ${cell.value}`);
    } else if (want) {
      score.fn++;
      score.misses.push(`FN ${cell.table}.${cell.column}: ${cell.value}`);
    }
  }
}

const ratio = (a: number, b: number): number => (b === 0 ? 1 : a / b);
const precision = (s: Score): number => ratio(s.tp, s.tp + s.fp);
const recall = (s: Score): number => ratio(s.tp, s.tp + s.fn);
const f2 = (s: Score): number => {
  const p = precision(s);
  const r = recall(s);
  return p + r === 0 ? 0 : (5 * p * r) / (4 * p + r);
};

const table = [
  'entity   support    TP    FP    FN  precision  recall     F2  gated',
  ...PII_ENTITIES.map((e) => {
    const s = scores.get(e)!;
    return [
      e.padEnd(8),
      String(s.tp + s.fn).padStart(7),
      String(s.tp).padStart(5),
      String(s.fp).padStart(5),
      String(s.fn).padStart(5),
      precision(s).toFixed(4).padStart(10),
      recall(s).toFixed(4).padStart(7),
      f2(s).toFixed(4).padStart(6),
      GATED.includes(e) ? '  yes' : '   no',
    ].join(' ');
  }),
].join('\n');
console.log(`PII detection on ${cells.length} labelled cells (${tables.length} tables)\n${table}`);

describe('pii accuracy', () => {
  it('accuracy - the committed evaluation set is what the seeded generator produces', () => {
    expect(fixture).toBe(evalSetJsonl());
  });

  it('accuracy - the evaluation set has at least 2000 cells with positives for every entity', () => {
    expect(cells.length).toBeGreaterThanOrEqual(2000);
    for (const entity of PII_ENTITIES)
      expect(scores.get(entity)!.tp + scores.get(entity)!.fn).toBeGreaterThan(20);
  });

  for (const entity of GATED) {
    it(`accuracy - ${entity} precision and recall are at least 0.98`, () => {
      const s = scores.get(entity)!;
      const detail = s.misses.slice(0, 8).join('\n');
      if (process.env['PII_EVAL_DEBUG']) console.log(entity, s.misses.join('\n'));
      expect(precision(s), `precision ${entity}\n${detail}`).toBeGreaterThanOrEqual(0.98);
      expect(recall(s), `recall ${entity}\n${detail}`).toBeGreaterThanOrEqual(0.98);
    });
  }

  it('accuracy - masking through a plan changes at least 98% of the cells that hold a gated entity', () => {
    const profile = compileProfile(builtInProfiles.default);
    let holding = 0;
    let changed = 0;
    let cleanScanned = 0;
    let cleanChanged = 0;
    for (const t of tables) {
      const plan = planResultSet(columnsOf(t), profile);
      const names = plan.columns.map((c) => c.name);
      const rows = new Map<number, EvalCell[]>();
      for (const c of cells.filter((x) => x.table === t)) rows.set(c.row, [...(rows.get(c.row) ?? []), c]);
      for (const rowCells of rows.values()) {
        const row = names.map((n) => rowCells.find((c) => c.column === n)!.value);
        const masked = maskRowInto(row, plan, createTally(plan));
        rowCells.forEach((cell) => {
          const i = names.indexOf(cell.column);
          const hit = masked[i] !== row[i];
          if (cell.labels.some((l) => GATED.includes(l))) {
            holding++;
            if (hit) changed++;
          } else if (cell.labels.length === 0 && plan.columns[i]!.kind === 'scan') {
            cleanScanned++;
            if (hit) cleanChanged++;
          }
        });
      }
    }
    expect(changed / holding).toBeGreaterThanOrEqual(0.98);
    expect(cleanChanged / cleanScanned).toBeLessThanOrEqual(0.02);
  });
});
