import type { WholeCellBytes } from '@gatehouse/pii';
import type { FieldDescription } from '@gatehouse/pg-wire';

/** A masked column the edge masks itself, with the byte form the plan gave it. */
export interface EdgeColumn {
  /** Column position. */
  readonly index: number;
  /** Column name as the client sees it (for the counts). */
  readonly name: string;
  /** Entity each masked value counts as. */
  readonly entity: string;
  /** Masks a cell's bytes as masking would (NULL and blank values stay). */
  readonly masker: WholeCellBytes;
}

/** What masking decided for one result set (or one COPY): which columns go to masking. */
export interface ResultPlan {
  /** Columns masking changes, ascending; empty means the rows pass untouched. */
  readonly maskedColumns: readonly number[];
  /** Those of them the edge masks itself (their cells are not sent), ascending. */
  readonly edgeColumns: readonly EdgeColumn[];
  /** Set when the result cannot be masked: the statement is refused with this text. */
  readonly refusal: string | undefined;
}

/** The COPY ... TO STDOUT a stream of CopyData belongs to. */
export interface CopySpec {
  /** The statement text the client sent (it may hold several statements). */
  readonly statement: string;
  /** Which COPY ... TO of the text, from 0. */
  readonly index: number;
  /** Overall format from the CopyOutResponse. */
  readonly format: 'text' | 'binary';
  /** Columns the CopyOutResponse announced. */
  readonly columnCount: number;
}

/** Values masked of one entity in one column; never the values. */
export interface MaskCount {
  readonly entity: string;
  readonly column: string;
  /** Column position, absent for command output. */
  readonly index: number | undefined;
  readonly count: number;
}

/**
 * How a session's result masker reaches masking. Every method either answers or throws: a
 * DependencyUnavailableError (masking down, too slow, invalid reply) or a MaskingRefusal (masking
 * answered that it will not mask this); either way the result is refused, never passed unmasked.
 */
export interface MaskingBackend {
  /** A plan still fresh in the process-wide plan cache. */
  cachedPlan(key: string): ResultPlan | undefined;
  /** Plans a result set from its RowDescription fields (and caches the plan under `key`). */
  planResult(
    key: string,
    profile: string,
    target: string,
    fields: readonly FieldDescription[],
  ): Promise<ResultPlan>;
  /**
   * Masks a batch of `rowCount` rows whose `cellColumns` cells travel as bytes in DataRow cell
   * layout (Int32 length, -1 NULL, then the bytes); the reply's cells have the same layout, with
   * length -2 marking a cell masking left unchanged. `cells` is read before the first await (the
   * caller may reuse its buffer for the next batch).
   */
  maskCells(
    profile: string,
    target: string,
    fields: readonly FieldDescription[],
    cellColumns: readonly number[],
    rowCount: number,
    cells: Uint8Array,
  ): Promise<{ cells: Buffer; counts: readonly MaskCount[] }>;
  /** Plans a COPY ... TO STDOUT (and caches the plan under `key`). */
  planCopy(key: string, profile: string, target: string, copy: CopySpec): Promise<ResultPlan>;
  /** Masks whole CopyData payloads of a COPY; `offset` counts the payloads sent before. */
  maskCopy(
    profile: string,
    target: string,
    copy: CopySpec,
    offset: number,
    lines: string[],
  ): Promise<{ lines: string[]; counts: readonly MaskCount[] }>;
  /**
   * Masks free text one for one, as command output (the `lines` request edge-ssh uses): the
   * message, detail and context of errors and notices, and notification payloads.
   */
  maskLines(
    profile: string,
    target: string,
    lines: readonly string[],
  ): Promise<{ lines: string[]; counts: readonly MaskCount[] }>;
}
