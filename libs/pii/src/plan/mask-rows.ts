import { PolicyDeniedError } from '@gatehouse/errors';
import { maskBinaryCell } from './binary-cell.ts';
import type { ResultMaskPlan } from './column-action.ts';
import { maskCellText } from './mask-cell.ts';
import { MaskTally, NO_MASK_COUNTS, type MaskCounts } from './mask-tally.ts';

/**
 * One cell: text-format columns carry the decoded string, binary-format columns the raw bytes,
 * SQL NULL is null.
 */
export type Cell = string | Uint8Array | null;

/** A masked row and what was masked in it. */
export interface MaskedRow<C extends Cell = Cell> {
  /** The row; the same array as the input when nothing changed. A `nullify` cell is null. */
  readonly cells: readonly (C | null)[];
  /** Counts per entity and column (never values). */
  readonly counts: MaskCounts;
}

/** A masked batch and what was masked in it. */
export interface MaskedRows<C extends Cell = Cell> {
  /** The rows, in order; a row that needed no change is the input array itself. */
  readonly rows: readonly (readonly (C | null)[])[];
  /** Counts per entity and column for the whole batch (never values). */
  readonly counts: MaskCounts;
}

/** A tally shaped for a plan's columns and entities. */
export function createTally(plan: ResultMaskPlan): MaskTally {
  return new MaskTally(
    plan.columns.map((c) => c.name),
    plan.profile.entityNames,
  );
}

/**
 * Masks one row in place of a copy (copy-on-write: the input is never modified) and adds what it
 * masked to `tally`. Only the plan's masked columns are visited. Throws PolicyDeniedError for a
 * refusal plan, or when a binary cell cannot be masked.
 */
export function maskRowInto<C extends Cell>(
  cells: readonly C[],
  plan: ResultMaskPlan,
  tally: MaskTally,
): readonly (C | null)[] {
  if (plan.refusal !== undefined) {
    throw new PolicyDeniedError(`column "${plan.refusal.name}": ${plan.refusal.reason}`, 'pii.refuse');
  }
  let out: (C | null)[] | undefined;
  const columns = plan.maskedColumns;
  for (let k = 0; k < columns.length; k++) {
    const c = columns[k]!;
    const value = cells[c];
    if (value === null || value === undefined) continue;
    const action = plan.columns[c]!;
    let masked: Cell;
    if (typeof value === 'string') {
      masked = maskCellText(value, action, tally);
    } else {
      const result = maskBinaryCell(value, action.typeOid, action, tally);
      if (!result.ok) throw new PolicyDeniedError(`column "${action.name}": ${result.reason}`, 'pii.refuse');
      masked = result.value;
    }
    if (masked !== value) {
      out ??= cells.slice();
      out[c] = masked as C | null;
    }
  }
  return out ?? cells;
}

/** Masks one row; see {@link maskRows} for batches (one tally, counts built once). */
export function maskRow<C extends Cell>(cells: readonly C[], plan: ResultMaskPlan): MaskedRow<C> {
  if (!plan.needsMasking) return { cells, counts: NO_MASK_COUNTS };
  const tally = createTally(plan);
  const masked = maskRowInto(cells, plan, tally);
  return { cells: masked, counts: tally.toCounts() };
}

/**
 * Masks a batch of rows with a plan from `planResultSet`. Rows that need no change are returned
 * as they are; counts are per entity and column and hold no values, so they are safe to log.
 */
export function maskRows<C extends Cell>(
  rows: readonly (readonly C[])[],
  plan: ResultMaskPlan,
): MaskedRows<C> {
  if (!plan.needsMasking) return { rows, counts: NO_MASK_COUNTS };
  const tally = createTally(plan);
  const out: (readonly (C | null)[])[] = new Array(rows.length);
  for (let r = 0; r < rows.length; r++) out[r] = maskRowInto(rows[r]!, plan, tally);
  return { rows: out, counts: tally.toCounts() };
}
