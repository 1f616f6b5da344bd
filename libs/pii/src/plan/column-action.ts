import type { ScanContext } from '../detectors/detector.ts';
import type { MaskOperator } from '../mask-operator.ts';
import type { CompiledProfile } from '../profile/compile-profile.ts';
import type { ValueKind } from './pg-type.ts';

/**
 * A result column as the edge sees it in a RowDescription
 * (https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-ROWDESCRIPTION),
 * with the source column resolved from the table OID / attribute number when it is traceable.
 */
export interface ColumnInfo {
  /** Output name (the alias, if any). */
  readonly name: string;
  /** Data type OID. */
  readonly typeOid: number;
  /** Source table name, when the column comes straight from a table. */
  readonly tableName?: string;
  /** Source column name, when traceable; absent for computed / expression columns. */
  readonly columnName?: string;
  /** Wire format the client asked for. */
  readonly format: 'text' | 'binary';
  /** Type modifier (atttypmod); gives the length of `char(n)` / `varchar(n)`. */
  readonly typeModifier?: number;
  /**
   * For a composite of a row type the catalog knows (`SELECT c FROM customers c`): its fields in
   * attribute order, each as a text-format column of that relation (`tableName` = relation,
   * `columnName` = field), so that they are planned by name like the table's own columns.
   */
  readonly fields?: readonly ColumnInfo[];
  /** The column is an array of that composite (`array_agg(c)`, `customers[]`): `fields` apply to each element. */
  readonly fieldsOfElements?: boolean;
}

/**
 * What to do with one column's cells, decided once per result set. One `as const` object drives
 * the union and its checks.
 */
export const ColumnActionKind = {
  /** Leave every cell untouched (no scan). */
  Pass: 'pass',
  /** The column is known to hold `entity`: mask every non-empty cell whole, without scanning. */
  Whole: 'whole',
  /** Scan each cell's content and mask what the detectors find. */
  Scan: 'scan',
  /** The column must be masked but its binary format cannot be rewritten safely: refuse the statement. */
  Refuse: 'refuse',
} as const;

/** One column action kind. */
export type ColumnActionKind = (typeof ColumnActionKind)[keyof typeof ColumnActionKind];

/** Everything needed to mask one column's cells; part of a {@link ResultMaskPlan}. */
export interface ColumnAction {
  /** Column position in the row. */
  readonly column: number;
  /** Column name as the client sees it. */
  readonly name: string;
  /** What to do. */
  readonly kind: ColumnActionKind;
  /** Why, in words safe to log (never a value): `column name says email`, `free text`, ... */
  readonly reason: string;
  /** For `whole`: the entity the column holds (`ipv4` stands for either IP family). */
  readonly entity: string | undefined;
  /** For `whole`: the operator applied to every cell. */
  readonly operator: MaskOperator | undefined;
  /** Type OID of the column. */
  readonly typeOid: number;
  /** Wire format of the column's cells. */
  readonly format: 'text' | 'binary';
  /** Shape of the column's values, which decides the type-safe masked form. */
  readonly valueKind: ValueKind;
  /** For {@link ValueKind.Array}: the kind of each element; undefined for other kinds. */
  readonly elementKind: ValueKind | undefined;
  /** For {@link ValueKind.Array}: the element delimiter of the text form (`,`; `;` for `box[]`). */
  readonly delimiter: string;
  /** Character limit a masked text value (an array's text elements) must respect, or -1. */
  readonly lengthLimit: number;
  /** `char(n)`: masked values are padded or cut to the original value's length. */
  readonly padToLength: boolean;
  /** For integer types: digits the type can print (masked numbers stay in range). */
  readonly digitLimit: number;
  /** Entity slot for `whole`, else -1. */
  readonly slot: number;
  /** Scan context for `scan` (identifier columns suppress weak shapes). */
  readonly context: ScanContext;
  /** The compiled profile the action masks with. */
  readonly profile: CompiledProfile;
  /**
   * For a composite with known fields ({@link ColumnInfo.fields}): one action per field, in field
   * order, each counting into this column; undefined for every other column.
   */
  readonly fields: readonly ColumnAction[] | undefined;
  /** True when `fields` apply to each element of an array of the composite, not to the value itself. */
  readonly fieldsOfElements: boolean;
}

/** The masking plan of one result set (one RowDescription). */
export interface ResultMaskPlan {
  /** False when no column needs any work: the caller passes rows through untouched. */
  readonly needsMasking: boolean;
  /** Set when some column must be masked but cannot be (binary format): the caller refuses. */
  readonly refusal: { readonly column: number; readonly name: string; readonly reason: string } | undefined;
  /** One action per column, in column order. */
  readonly columns: readonly ColumnAction[];
  /** Positions of the columns whose action is not `pass` (what the row loop visits). */
  readonly maskedColumns: readonly number[];
  /** The compiled profile. */
  readonly profile: CompiledProfile;
}
