import {
  builtInProfiles,
  compileProfile,
  createTally,
  maskRowInto,
  planResultSet,
  TextStreamMasker,
  WholeCellBytes,
  type Cell,
  type ColumnInfo,
  type CompiledProfile,
  type ResultMaskPlan,
} from '@gatehouse/pii';
import { decodeCellBatch, encodeCellBatch, UNCHANGED_CELL, type BatchCell } from '@gatehouse/contracts';
import type { FieldDescription } from '@gatehouse/pg-wire';
import type { CopySpec, MaskCount, MaskingBackend, ResultPlan } from './masking-backend.ts';
import { MaskingRefusal, MaskingRefusalCode } from './masking-refusal.ts';

/** One call the backend received. */
export interface BackendCall {
  kind: 'planResult' | 'maskRows' | 'planCopy' | 'maskCopy' | 'maskLines';
  rows?: (string | null)[][];
  lines?: string[];
  offset?: number;
}

/**
 * A masking backend for unit tests of the result masker: it masks in-process with the real
 * @gatehouse/pii planner and maskers (no bus, no catalog: a plain column is known by its output
 * name), and lets a test hold replies (to observe ordering and back-pressure) or fail them. The
 * medium and integration tests use the real masking service over NATS instead.
 */
export class LocalMaskingBackend implements MaskingBackend {
  readonly calls: BackendCall[] = [];
  /** When set, every reply waits until the test calls {@link release}. */
  holdReplies = false;
  /** When set, the next calls fail with this error. */
  failWith: unknown;
  readonly #held: (() => void)[] = [];
  readonly #plans = new Map<string, ResultPlan>();
  readonly #profiles = new Map<string, CompiledProfile>(
    Object.values(builtInProfiles).map((profile) => [profile.name, compileProfile(profile)]),
  );

  /** Lets held replies go, oldest first (`count` of them, default all). */
  release(count = this.#held.length): void {
    for (const go of this.#held.splice(0, count)) go();
  }

  /** Replies waiting. */
  get pending(): number {
    return this.#held.length;
  }

  cachedPlan(key: string): ResultPlan | undefined {
    return this.#plans.get(key);
  }

  planResult(key: string, profile: string, _target: string, fields: readonly FieldDescription[]) {
    this.calls.push({ kind: 'planResult' });
    return this.#answer(() => {
      const plan = toPlan(planResultSet(fields.map(columnInfo), this.#profile(profile)));
      this.#plans.set(key, plan);
      return plan;
    });
  }

  maskCells(
    profile: string,
    _target: string,
    fields: readonly FieldDescription[],
    cellColumns: readonly number[],
    rowCount: number,
    cells: Uint8Array,
  ) {
    const binary = cellColumns.map((column) => fields[column]!.format === 1);
    // As the masking service reads the batch: text cells as strings, binary cells as bytes. Read
    // (copied) now, as the client frames it before its first await.
    const rows: Cell[][] = decodeCellBatch(Buffer.from(cells), rowCount, cellColumns.length).map((row) =>
      row.map((cell, k) => (cell === null || binary[k] ? (cell as Buffer | null) : cell.toString('utf8'))),
    );
    this.calls.push({
      kind: 'maskRows',
      rows: rows.map((row) =>
        row.map((cell) =>
          cell === null || typeof cell === 'string' ? cell : Buffer.from(cell).toString('base64'),
        ),
      ),
    });
    return this.#answer(() => {
      const plan = planResultSet(
        cellColumns.map((column) => columnInfo(fields[column]!)),
        this.#profile(profile),
      );
      const tally = createTally(plan);
      const masked = rows.map((row) => {
        const out = maskRowInto(row, plan, tally);
        return out.map((cell, k): BatchCell => (cell === row[k] ? UNCHANGED_CELL : (cell ?? null)));
      });
      return {
        cells: encodeCellBatch(masked),
        counts: countsOf(tally.toCounts().byColumn, cellColumns),
      };
    });
  }

  planCopy(key: string, profile: string, _target: string, copy: CopySpec) {
    this.calls.push({ kind: 'planCopy' });
    return this.#answer(() => {
      const plan = toPlan(planResultSet(copyColumns(copy), this.#profile(profile)));
      const result =
        copy.format === 'binary' && plan.maskedColumns.length > 0
          ? {
              ...plan,
              edgeColumns: [],
              refusal: 'COPY in binary format cannot be masked; use FORMAT text or csv',
            }
          : { ...plan, edgeColumns: [] };
      this.#plans.set(key, result);
      return result;
    });
  }

  maskCopy(profile: string, _target: string, copy: CopySpec, offset: number, lines: string[]) {
    this.calls.push({ kind: 'maskCopy', lines, offset });
    return this.#answer(() => {
      const plan = planResultSet(copyColumns(copy), this.#profile(profile));
      const tally = createTally(plan);
      // Text format without escapes is enough for these tests (the service has the real codecs).
      const masked = lines.map((line) => {
        const fields = line
          .slice(0, -1)
          .split('\t')
          .map((text) => (text === '\\N' ? null : text));
        return (
          maskRowInto(fields, plan, tally)
            .map((cell) => cell ?? '\\N')
            .join('\t') + '\n'
        );
      });
      return {
        lines: masked,
        counts: countsOf(
          tally.toCounts().byColumn,
          plan.columns.map((_, i) => i),
        ),
      };
    });
  }

  maskLines(profile: string, _target: string, lines: readonly string[]) {
    this.calls.push({ kind: 'maskLines', lines: [...lines] });
    return this.#answer(() => {
      // As the service does: one stream per batch, counts per entity under the `output` column.
      const stream = new TextStreamMasker(this.#profile(profile));
      const byEntity = new Map<string, number>();
      const masked = lines.map((line) => {
        const result = stream.mask(line);
        for (const [entity, n] of Object.entries(result.counts.byEntity))
          byEntity.set(entity, (byEntity.get(entity) ?? 0) + n);
        return result.text;
      });
      const counts: MaskCount[] = [...byEntity].map(([entity, count]) => ({
        entity,
        column: 'output',
        index: undefined,
        count,
      }));
      return { lines: masked, counts };
    });
  }

  #profile(name: string): CompiledProfile {
    const profile = this.#profiles.get(name);
    if (profile === undefined)
      throw new MaskingRefusal(MaskingRefusalCode.ServiceError, `masking profile "${name}" does not exist`);
    return profile;
  }

  #answer<T>(work: () => T): Promise<T> {
    const failure = this.failWith;
    const run = (): T => {
      if (failure !== undefined) throw failure;
      return work();
    };
    if (!this.holdReplies) return Promise.resolve().then(run);
    return new Promise<T>((resolve, reject) => {
      this.#held.push(() => {
        try {
          resolve(run());
        } catch (error) {
          reject(error);
        }
      });
    });
  }
}

function columnInfo(field: FieldDescription): ColumnInfo {
  return {
    name: field.name,
    typeOid: field.typeOid,
    format: field.format === 1 ? 'binary' : 'text',
    typeModifier: field.typeModifier,
    ...(field.tableOid > 0 ? { tableName: 'customers', columnName: field.name } : {}),
  };
}

function copyColumns(copy: CopySpec): ColumnInfo[] {
  // `COPY t (a, b) TO STDOUT` in these tests: column names from the list, all text.
  const list =
    /\(([^)]*)\)/u
      .exec(copy.statement)?.[1]
      ?.split(',')
      .map((name) => name.trim()) ?? [];
  return Array.from({ length: copy.columnCount }, (_, i) => ({
    name: list[i] ?? `column${i + 1}`,
    typeOid: 25,
    format: 'text' as const,
    tableName: 'customers',
    columnName: list[i] ?? `column${i + 1}`,
  }));
}

function toPlan(plan: ResultMaskPlan): ResultPlan {
  const refusal =
    plan.refusal === undefined ? undefined : `column "${plan.refusal.name}": ${plan.refusal.reason}`;
  // As the service's plan reply: whole text columns with a byte form are masked by the edge itself.
  const edgeColumns = plan.maskedColumns.flatMap((index) => {
    const action = plan.columns[index]!;
    const bytes = WholeCellBytes.for(action);
    return bytes === undefined || action.entity === undefined
      ? []
      : [
          {
            index,
            name: action.name,
            entity: action.entity,
            masker: WholeCellBytes.of(bytes.form, bytes.text),
          },
        ];
  });
  return { maskedColumns: [...plan.maskedColumns], edgeColumns, refusal };
}

function countsOf(
  byColumn: readonly { index: number; column: string; byEntity: Readonly<Record<string, number>> }[],
  columnOf: readonly number[],
): MaskCount[] {
  return byColumn.flatMap(({ index, column, byEntity }) =>
    Object.entries(byEntity).map(([entity, count]) => ({ entity, column, index: columnOf[index], count })),
  );
}
