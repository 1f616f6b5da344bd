import type { BodyOf } from '@gatehouse/contracts';
import {
  DependencyUnavailableError,
  InvalidMessageError,
  PolicyDeniedError,
  UnknownTargetError,
} from '@gatehouse/errors';
import {
  createTally,
  type ColumnActionKind,
  maskRowInto,
  mayBeRowType,
  planResultSet,
  PgTypeOid,
  TextStreamMasker,
  WholeCellBytes,
  type Cell,
  type ColumnAction,
  type ColumnInfo,
  type CompiledProfile,
  type MaskCounts,
  type ResultMaskPlan,
} from '@gatehouse/pii';
import type { CatalogReader, CompositeType } from '../catalog/catalog-reader.ts';
import { CopyCsvCodec } from '../copy/copy-csv-codec.ts';
import { CopyFormatError, encodeCopyRow, type CopyRowCodec } from '../copy/copy-row-codec.ts';
import { CopyStatementError, type CopyStatementParser } from '../copy/copy-statement.ts';
import { CopyTextCodec } from '../copy/copy-text-codec.ts';
import { maskCellBatch } from './cell-batch-masker.ts';
import type { ProfileCatalog } from '../profiles/profile-catalog.ts';
import { MaskFailure, MaskFailureCode, type MaskReplyBody } from './mask-failure.ts';

/** The request body masking answers. */
export type MaskRequestBody = BodyOf<'gatehouse.masking.v1.mask_request'>;

/** A reply and, for a `cellBytes` batch, the masked cell bytes that travel after its JSON. */
export interface MaskAnswer {
  readonly reply: MaskReplyBody;
  /** Set exactly when `reply.cellBytes` is (its length). */
  readonly cells: Buffer | undefined;
}

/** What one request was, for metrics. */
export const MaskOperation = {
  Plan: 'plan',
  Rows: 'mask_rows',
  Copy: 'mask_copy',
  Lines: 'mask_lines',
} as const;

/** One of {@link MaskOperation}. */
export type MaskOperation = (typeof MaskOperation)[keyof typeof MaskOperation];

type RequestColumn = MaskRequestBody['columns'][number];
type ReplyPlan = NonNullable<MaskReplyBody['plan']>;
type ReplyCount = MaskReplyBody['counts'][number];

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/u;
const OUTPUT_COLUMN = 'output';

/**
 * Answers mask requests: plans a result set from its columns (resolving table OIDs through the
 * target's catalog, so `email AS x` is still the email column), masks row batches, COPY data and
 * command output lines, and counts what it masked per entity and column, never the values.
 * Every refusal is a {@link MaskFailure}, answered as an error reply: the edge then fails the
 * statement instead of sending anything unmasked.
 */
export class MaskService {
  constructor(
    private readonly profiles: ProfileCatalog,
    private readonly catalog: CatalogReader,
    private readonly copyParser: CopyStatementParser,
  ) {}

  /** What kind of request a body is. */
  static operationOf(body: MaskRequestBody): MaskOperation {
    if (body.copy !== undefined) return body.lines === undefined ? MaskOperation.Plan : MaskOperation.Copy;
    if (body.columns.length === 0) return MaskOperation.Lines;
    return body.rows === undefined && body.cellBytes === undefined ? MaskOperation.Plan : MaskOperation.Rows;
  }

  /** The reply for one request without cell bytes; failures come back as error replies, never as thrown errors. */
  async mask(body: MaskRequestBody): Promise<MaskReplyBody> {
    return (await this.maskCells(body, undefined)).reply;
  }

  /**
   * The answer to one request and the cell bytes that came after its JSON (a `cellBytes` batch;
   * undefined for any other request). Failures come back as error replies, never as thrown errors.
   */
  async maskCells(body: MaskRequestBody, cells: Buffer | undefined): Promise<MaskAnswer> {
    try {
      return await this.#answer(body, cells);
    } catch (error) {
      if (error instanceof MaskFailure) return { reply: error.reply(), cells: undefined };
      throw error;
    }
  }

  async #answer(body: MaskRequestBody, cells: Buffer | undefined): Promise<MaskAnswer> {
    const profile = this.profiles.get(body.profile);
    if (profile === undefined) {
      throw new MaskFailure(
        MaskFailureCode.UnknownProfile,
        `masking profile "${body.profile}" does not exist`,
      );
    }
    if ((body.cellBytes ?? -1) !== (cells?.length ?? -1)) {
      throw invalid(
        body.cellBytes === undefined
          ? 'cell bytes were sent without cellBytes'
          : `cellBytes is ${body.cellBytes} but ${cells?.length ?? 0} byte(s) followed`,
      );
    }
    if (body.copy !== undefined)
      return { reply: await this.#copy(body, body.copy, profile), cells: undefined };
    if (body.columns.length === 0) {
      if (body.rows !== undefined || cells !== undefined)
        throw invalid('rows were sent without their columns');
      return { reply: this.#lines(body.lines ?? [], profile), cells: undefined };
    }
    if (body.lines !== undefined) throw invalid('lines were sent with result columns');
    const infos = await this.#columnInfos(body.target, body.columns);
    const plan = planResultSet(infos, profile);
    if (body.rows === undefined && cells === undefined)
      return { reply: { counts: [], plan: replyPlan(plan, infos, true) }, cells: undefined };
    return this.#rows(body, cells, plan, infos, profile);
  }

  /**
   * Traces result columns to their source table columns through the target's catalog, and gives
   * a whole-row column (`SELECT c FROM customers c`, or an array of rows) the fields of its
   * composite type, so that they are masked by name.
   */
  async #columnInfos(target: string, columns: readonly RequestColumn[]): Promise<ColumnInfo[]> {
    const oids = new Set<number>();
    const typeOids = new Set<number>();
    for (const column of columns) {
      if (traceable(column)) oids.add(column.tableOid!);
      if (mayBeRowType(column.typeOid)) typeOids.add(column.typeOid);
    }
    let tables: Awaited<ReturnType<CatalogReader['tables']>> | undefined;
    let composites: Awaited<ReturnType<CatalogReader['compositeTypes']>> | undefined;
    try {
      [tables, composites] = await Promise.all([
        oids.size === 0 ? undefined : this.catalog.tables(target, [...oids]),
        typeOids.size === 0 ? undefined : this.catalog.compositeTypes(target, [...typeOids]),
      ]);
    } catch (error) {
      throw catalogFailure(error);
    }
    return columns.map((column) => {
      const info: { -readonly [K in keyof ColumnInfo]: ColumnInfo[K] } = {
        name: column.name,
        typeOid: column.typeOid,
        format: column.format,
        ...(column.typeModifier === undefined ? {} : { typeModifier: column.typeModifier }),
      };
      const table = traceable(column) ? tables?.get(column.tableOid!) : undefined;
      const columnName = table?.columns.get(column.columnNumber!);
      if (table !== undefined && columnName !== undefined) {
        info.tableName = table.name;
        info.columnName = columnName;
      } else if (traceable(column)) {
        // A plain column of a table the catalog no longer knows: treat it as its output name says.
        info.columnName = column.name;
      }
      const composite = composites?.get(column.typeOid);
      if (composite !== undefined) {
        info.fields = compositeFields(composite);
        if (composite.array) info.fieldsOfElements = true;
      }
      return info;
    });
  }

  #rows(
    body: MaskRequestBody,
    cells: Buffer | undefined,
    plan: ResultMaskPlan,
    infos: ColumnInfo[],
    profile: CompiledProfile,
  ): MaskAnswer {
    if (plan.refusal !== undefined) {
      throw new MaskFailure(
        MaskFailureCode.Unmaskable,
        `column "${plan.refusal.name}": ${plan.refusal.reason}`,
      );
    }
    const cellColumns = body.cellColumns ?? infos.map((_, index) => index);
    const sent = new Set<number>();
    for (const column of cellColumns) {
      if (column >= infos.length) throw invalid(`cellColumns names column ${column} of ${infos.length}`);
      sent.add(column);
    }
    for (const column of plan.maskedColumns) {
      // A column with a byte form is masked by the edge itself (see replyPlan).
      if (!sent.has(column) && WholeCellBytes.for(plan.columns[column]!) === undefined)
        throw invalid(`column ${column} must be masked but its cells were not sent`);
    }
    // Plan only the columns that travelled: cell k of every row is column cellColumns[k].
    const sub =
      cellColumns.length === infos.length && cellColumns.every((column, k) => column === k)
        ? plan
        : planResultSet(
            cellColumns.map((column) => infos[column]!),
            profile,
          );
    const binary = cellColumns.map((column) => infos[column]!.format === 'binary');
    const tally = createTally(sub);
    if (cells !== undefined) {
      const masked = this.#cells(body, cells, sub, binary, tally);
      return {
        reply: { cellBytes: masked.length, counts: replyCounts(tally.toCounts(), (k) => cellColumns[k]!) },
        cells: masked,
      };
    }
    const anyBinary = binary.includes(true);
    const rows = body.rows ?? [];
    const out: (string | null)[][] = new Array(rows.length);
    try {
      for (let r = 0; r < rows.length; r++) {
        const row = rows[r]!;
        if (row.length !== cellColumns.length) {
          throw invalid(`row ${r} has ${row.length} cells for ${cellColumns.length} columns`);
        }
        if (!anyBinary) {
          out[r] = maskRowInto(row, sub, tally) as (string | null)[];
          continue;
        }
        const cells: Cell[] = row.map((cell, k) =>
          cell !== null && binary[k] ? fromBase64(cell, r, k) : cell,
        );
        const masked = maskRowInto(cells, sub, tally);
        out[r] = masked.map((cell) =>
          cell === null || typeof cell === 'string' ? cell : Buffer.from(cell).toString('base64'),
        );
      }
    } catch (error) {
      if (error instanceof PolicyDeniedError)
        throw new MaskFailure(MaskFailureCode.Unmaskable, error.message);
      throw error;
    }
    return {
      reply: { rows: out, counts: replyCounts(tally.toCounts(), (k) => cellColumns[k]!) },
      cells: undefined,
    };
  }

  /**
   * Masks a batch of cell bytes (DataRow cell layout) and returns the reply's: only the cells
   * masking changed travel back, the others are marked unchanged.
   */
  #cells(
    body: MaskRequestBody,
    cells: Buffer,
    plan: ResultMaskPlan,
    binary: readonly boolean[],
    tally: ReturnType<typeof createTally>,
  ): Buffer {
    if (body.rows !== undefined) throw invalid('rows and cells were both sent');
    if (body.rowCount === undefined) throw invalid('cells were sent without rowCount');
    try {
      return maskCellBatch(cells, body.rowCount, plan, binary, tally);
    } catch (error) {
      if (error instanceof InvalidMessageError)
        throw invalid(`${error.message}: ${error.problems.join('; ')}`);
      if (error instanceof PolicyDeniedError)
        throw new MaskFailure(MaskFailureCode.Unmaskable, error.message);
      throw error;
    }
  }

  #lines(lines: readonly string[], profile: CompiledProfile): MaskReplyBody {
    // One stream per batch: a private key block spread over several lines is dropped whole.
    const stream = new TextStreamMasker(profile);
    const byEntity = new Map<string, number>();
    const out = lines.map((line) => {
      const masked = stream.mask(line);
      for (const [entity, n] of Object.entries(masked.counts.byEntity))
        byEntity.set(entity, (byEntity.get(entity) ?? 0) + n);
      return masked.text;
    });
    const counts: ReplyCount[] = [...byEntity].map(([entity, count]) => ({
      entity,
      column: OUTPUT_COLUMN,
      count,
    }));
    return { lines: out, counts };
  }

  async #copy(
    body: MaskRequestBody,
    copy: NonNullable<MaskRequestBody['copy']>,
    profile: CompiledProfile,
  ): Promise<MaskReplyBody> {
    let source;
    try {
      source = this.copyParser.source(copy.statement, copy.index);
    } catch (error) {
      if (error instanceof CopyStatementError)
        throw new MaskFailure(MaskFailureCode.Unmaskable, error.message);
      throw error;
    }
    const infos = await this.#copyColumns(body.target, source, copy.columnCount);
    const plan = planResultSet(infos, profile);
    const binary = copy.format === 'binary' || source.options.format === 'binary';
    if (body.lines === undefined) {
      // COPY data travels as whole lines: no column is masked at the edge.
      const reply = replyPlan(plan, infos, false);
      if (binary && plan.needsMasking) {
        reply.refusal = 'COPY in binary format cannot be masked; use FORMAT text or csv';
      }
      return { counts: [], plan: reply };
    }
    if (binary) throw new MaskFailure(MaskFailureCode.Unmaskable, 'COPY in binary format cannot be masked');
    const codec: CopyRowCodec =
      source.options.format === 'csv'
        ? new CopyCsvCodec(
            source.options,
            infos.map((info) => info.name),
          )
        : new CopyTextCodec(source.options);
    const tally = createTally(plan);
    let skipHeader = source.options.format === 'csv' && source.options.header && copy.offset === 0;
    const lines = body.lines.map((payload) => {
      let decoded;
      try {
        decoded = codec.decode(payload);
      } catch (error) {
        if (error instanceof CopyFormatError)
          throw new MaskFailure(MaskFailureCode.Unmaskable, error.message);
        throw error;
      }
      let out = '';
      for (const row of decoded) {
        if (skipHeader) {
          skipHeader = false;
          out += row.raw.join(codec.delimiter) + row.terminator;
          continue;
        }
        if (row.fields.length !== infos.length) {
          throw new MaskFailure(
            MaskFailureCode.Unmaskable,
            `a COPY row has ${row.fields.length} fields for ${infos.length} columns`,
          );
        }
        const masked = maskRowInto(row.fields, plan, tally);
        out += encodeCopyRow(codec, row, masked as (string | null)[]);
      }
      return out;
    });
    return { lines, counts: replyCounts(tally.toCounts(), (k) => k) };
  }

  /** The columns a COPY writes: the relation's (or the listed ones) from the catalog, else untraceable text. */
  async #copyColumns(
    target: string,
    source: ReturnType<CopyStatementParser['source']>,
    columnCount: number,
  ): Promise<ColumnInfo[]> {
    if (source.relation === undefined) {
      // COPY (query) TO: nothing to trace; every field is scanned as text.
      return Array.from({ length: columnCount }, (_, i) => ({
        name: `column${i + 1}`,
        typeOid: PgTypeOid.Text,
        format: 'text' as const,
      }));
    }
    let relation;
    try {
      relation = await this.catalog.relation(target, source.relation.schema, source.relation.name);
    } catch (error) {
      throw catalogFailure(error);
    }
    if (relation === undefined) {
      throw new MaskFailure(
        MaskFailureCode.Unmaskable,
        `COPY relation "${source.relation.name}" was not found`,
      );
    }
    let columns = relation.columns;
    if (source.columnList !== undefined) {
      const byName = new Map(columns.map((column) => [column.name, column]));
      columns = source.columnList.map((name) => {
        const column = byName.get(name);
        if (column === undefined) {
          throw new MaskFailure(MaskFailureCode.Unmaskable, `COPY column "${name}" was not found`);
        }
        return column;
      });
    } else if (columns.length !== columnCount) {
      // Servers differ on whether a plain COPY TO writes generated columns.
      columns = columns.filter((column) => !column.generated);
    }
    if (columns.length !== columnCount) {
      throw new MaskFailure(
        MaskFailureCode.Unmaskable,
        `COPY writes ${columnCount} columns but "${relation.name}" resolves to ${columns.length}`,
      );
    }
    return columns.map((column) => ({
      name: column.name,
      typeOid: column.typeOid,
      typeModifier: column.typeModifier,
      tableName: relation.name,
      columnName: column.name,
      format: 'text' as const,
    }));
  }
}

/** A composite type's fields as text-format columns of its relation, planned like the table's own. */
function compositeFields(composite: CompositeType): ColumnInfo[] {
  return composite.fields.map((field) => ({
    name: field.name,
    typeOid: field.typeOid,
    typeModifier: field.typeModifier,
    tableName: composite.name,
    columnName: field.name,
    format: 'text' as const,
  }));
}

function traceable(column: RequestColumn): boolean {
  return (column.tableOid ?? 0) > 0 && (column.columnNumber ?? 0) > 0;
}

function replyPlan(plan: ResultMaskPlan, infos: readonly ColumnInfo[], edgeForms: boolean): ReplyPlan {
  const columns: ReplyPlan['columns'] = plan.maskedColumns.map((index) => {
    const action = plan.columns[index]!;
    const info = infos[index]!;
    return {
      index,
      name: action.name,
      ...(info.tableName === undefined
        ? {}
        : { source: `${info.tableName}.${info.columnName ?? ''}`.slice(0, 256) }),
      action: action.kind as Exclude<typeof action.kind, typeof ColumnActionKind.Pass>,
      ...(action.entity === undefined ? {} : { entity: action.entity }),
      reason: action.reason.slice(0, 512),
      ...(edgeForms ? replaceOf(action) : {}),
    };
  });
  return {
    maskedColumns: [...plan.maskedColumns],
    columns,
    ...(plan.refusal === undefined
      ? {}
      : { refusal: `column "${plan.refusal.name}": ${plan.refusal.reason}`.slice(0, 1024) }),
  };
}

/**
 * The byte form of a whole text column whose masked form is a function of each value's bytes
 * (redaction, last 4 digits, an email's domain): the plan gives it to the edge, which then masks
 * those cells itself, byte for byte as masking would, and keeps them out of its batches.
 */
function replaceOf(action: ColumnAction): Pick<ReplyPlan['columns'][number], 'replace'> {
  const bytes = WholeCellBytes.for(action);
  return bytes === undefined ? {} : { replace: { form: bytes.form, text: bytes.text } };
}

function replyCounts(counts: MaskCounts, columnOf: (k: number) => number): ReplyCount[] {
  const out: ReplyCount[] = [];
  for (const column of counts.byColumn) {
    for (const [entity, count] of Object.entries(column.byEntity)) {
      out.push({ entity, column: column.column.slice(0, 256), index: columnOf(column.index), count });
    }
  }
  return out;
}

function fromBase64(cell: string, row: number, column: number): Uint8Array {
  if (!BASE64.test(cell)) throw invalid(`row ${row} cell ${column} is not base64`);
  return Buffer.from(cell, 'base64');
}

function invalid(message: string): MaskFailure {
  return new MaskFailure(MaskFailureCode.InvalidRequest, message);
}

function catalogFailure(error: unknown): MaskFailure {
  if (error instanceof UnknownTargetError)
    return new MaskFailure(MaskFailureCode.UnknownTarget, error.message);
  if (error instanceof DependencyUnavailableError) {
    return new MaskFailure(MaskFailureCode.CatalogUnavailable, error.message, { cause: error });
  }
  return new MaskFailure(MaskFailureCode.CatalogUnavailable, 'the target catalog could not be read', {
    cause: error,
  });
}
