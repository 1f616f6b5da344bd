/** How many values of each entity were masked in one column. Counts only, never values. */
export interface ColumnMaskCounts {
  /** Column position in the result set. */
  readonly index: number;
  /** Column name as the client sees it. */
  readonly column: string;
  /** Masked values per entity name. */
  readonly byEntity: Readonly<Record<string, number>>;
}

/**
 * What masking did to a batch: counts per entity and per column. Holds no values, so it is safe
 * to log and to put into evidence.
 */
export interface MaskCounts {
  /** Masked values in total. */
  readonly total: number;
  /** Masked values per entity name. */
  readonly byEntity: Readonly<Record<string, number>>;
  /** Columns with at least one masked value, by position. */
  readonly byColumn: readonly ColumnMaskCounts[];
}

/** Counts with nothing masked. */
export const NO_MASK_COUNTS: MaskCounts = Object.freeze({
  total: 0,
  byEntity: Object.freeze({}),
  byColumn: Object.freeze([]),
});

/**
 * A counter matrix (column × entity slot) filled on the hot path without allocation and turned
 * into {@link MaskCounts} once per batch.
 */
export class MaskTally {
  private readonly counts: Uint32Array;

  constructor(
    private readonly columnNames: readonly string[],
    private readonly entityNames: readonly string[],
  ) {
    this.counts = new Uint32Array(Math.max(1, columnNames.length) * entityNames.length);
  }

  /** Records `n` masked values of entity `slot` in column `column`. */
  add(column: number, slot: number, n = 1): void {
    this.counts[column * this.entityNames.length + slot]! += n;
  }

  /** Total recorded so far. */
  get total(): number {
    let total = 0;
    for (let i = 0; i < this.counts.length; i++) total += this.counts[i]!;
    return total;
  }

  /** The counts as plain data. */
  toCounts(): MaskCounts {
    const entities = this.entityNames.length;
    const byEntity: Record<string, number> = {};
    const byColumn: ColumnMaskCounts[] = [];
    let total = 0;
    for (let c = 0; c < Math.max(1, this.columnNames.length); c++) {
      let columnCounts: Record<string, number> | undefined;
      for (let s = 0; s < entities; s++) {
        const n = this.counts[c * entities + s]!;
        if (n === 0) continue;
        const entity = this.entityNames[s]!;
        columnCounts ??= {};
        columnCounts[entity] = n;
        byEntity[entity] = (byEntity[entity] ?? 0) + n;
        total += n;
      }
      if (columnCounts !== undefined)
        byColumn.push({ index: c, column: this.columnNames[c] ?? '', byEntity: columnCounts });
    }
    return { total, byEntity, byColumn };
  }
}

/** Adds two count records (e.g. the batches of one result set). Columns are matched by index. */
export function mergeMaskCounts(a: MaskCounts, b: MaskCounts): MaskCounts {
  const add = (
    x: Readonly<Record<string, number>>,
    y: Readonly<Record<string, number>>,
  ): Record<string, number> => {
    const out: Record<string, number> = { ...x };
    for (const [k, v] of Object.entries(y)) out[k] = (out[k] ?? 0) + v;
    return out;
  };
  const columns = new Map<number, ColumnMaskCounts>();
  for (const col of [...a.byColumn, ...b.byColumn]) {
    const prev = columns.get(col.index);
    columns.set(
      col.index,
      prev === undefined ? col : { ...prev, byEntity: add(prev.byEntity, col.byEntity) },
    );
  }
  return {
    total: a.total + b.total,
    byEntity: add(a.byEntity, b.byEntity),
    byColumn: [...columns.values()].sort((x, y) => x.index - y.index),
  };
}
