import type { ScanContext } from '../detectors/detector.ts';
import { EntitySlot } from '../profile/entity-slot.ts';
import type { CompiledProfile } from '../profile/compile-profile.ts';
import { supportsBinary } from './binary-cell.ts';
import {
  ColumnActionKind,
  type ColumnAction,
  type ColumnInfo,
  type ResultMaskPlan,
} from './column-action.ts';
import {
  arrayDelimiterOf,
  arrayElementOf,
  integerDigitLimit,
  lengthLimitOf,
  PgTypeOid,
  ValueKind,
  valueKindOf,
} from './pg-type.ts';
import { MaskOperator } from '../mask-operator.ts';

/**
 * Decides, once per result set, what happens to each column:
 * - a column whose source column (or, failing that, its own name) matches a column hint or a
 *   custom rule's `columns` is masked whole, without scanning (text, JSON, number, date, uuid,
 *   inet and bytea types, and arrays of those element by element; other types only when a custom
 *   rule forces it, and then the masked value is NULL);
 * - an `inet` column (or `inet[]`) is masked whole as an IP address;
 * - free-text columns (text, varchar, bpchar, name, "char", unknown, xml, json, jsonb) are scanned;
 * - a composite whose fields the caller knows ({@link ColumnInfo.fields}, a table's row type) is
 *   scanned field by field: each field is planned as a column of that table (hints by name), and
 *   the field actions ride on the column's action, counting into the column (an array of such a
 *   composite, `customers[]`, element by element);
 * - other composites (`record`, row types the caller does not know), unknown OIDs (enums,
 *   extension types), arrays of anything but the pass-through types below, fixed-syntax built-ins
 *   (cidr, tsvector, ranges, ...) and computed `bytea` are scanned too, by shape (rules in
 *   `StructuredCellMasker`, structured-cell.ts);
 * - computed columns (no traceable source) of a number type are scanned for card numbers and
 *   custom patterns;
 * - only a short allow-list passes untouched: bool, time, timetz, interval, OID-like types,
 *   date, timestamps, uuid, numbers and bytea from a traced source column, and arrays of those;
 * - a binary-format column that needs masking but whose type {@link maskBinaryCell} cannot
 *   rewrite makes the plan a refusal (unless its operator is `nullify`, which any type supports).
 */
export function planResultSet(columns: readonly ColumnInfo[], profile: CompiledProfile): ResultMaskPlan {
  const actions: ColumnAction[] = [];
  const masked: number[] = [];
  let refusal: ResultMaskPlan['refusal'];
  columns.forEach((info, column) => {
    const action = planColumn(info, column, profile);
    actions.push(action);
    if (action.kind !== ColumnActionKind.Pass) masked.push(column);
    if (action.kind === ColumnActionKind.Refuse && refusal === undefined) {
      refusal = { column, name: info.name, reason: action.reason };
    }
  });
  return Object.freeze({
    needsMasking: masked.length > 0,
    refusal,
    columns: Object.freeze(actions),
    maskedColumns: Object.freeze(masked),
    profile,
  });
}

/** Kinds a column hint masks whole: each has a type-safe masked form. */
const WHOLE_KINDS: ReadonlySet<ValueKind> = new Set<ValueKind>([
  ValueKind.Text,
  ValueKind.Json,
  ValueKind.Integer,
  ValueKind.Decimal,
  ValueKind.Date,
  ValueKind.Timestamp,
  ValueKind.Uuid,
  ValueKind.Inet,
  ValueKind.Bytea,
]);

/** What a column's type says, worked out once per column and shared by every action built for it. */
interface ColumnShape {
  readonly valueKind: ValueKind;
  readonly elementKind: ValueKind | undefined;
  readonly delimiter: string;
  readonly lengthLimit: number;
  readonly padToLength: boolean;
  readonly digitLimit: number;
}

function planColumn(info: ColumnInfo, column: number, profile: CompiledProfile): ColumnAction {
  const valueKind = valueKindOf(info.typeOid);
  const elementOid = valueKind === ValueKind.Array ? arrayElementOf(info.typeOid) : undefined;
  const elementKind = elementOid === undefined ? undefined : valueKindOf(elementOid);
  // An array is planned by its element type, and its typmod (varchar(n)[]) limits each element.
  const shapeOid = elementOid ?? info.typeOid;
  const kind = elementKind ?? valueKind;
  const shape: ColumnShape = {
    valueKind,
    elementKind,
    delimiter: arrayDelimiterOf(info.typeOid),
    lengthLimit: lengthLimitOf(shapeOid, info.typeModifier),
    padToLength: shapeOid === PgTypeOid.Bpchar || shapeOid === PgTypeOid.Char,
    digitLimit: kind === ValueKind.Integer ? integerDigitLimit(shapeOid) : Infinity,
  };
  const hint = profile.hintForColumn(info.name, info.tableName, info.columnName);

  let action: ColumnAction;
  if (hint.slot >= 0 && (hint.fromRule || WHOLE_KINDS.has(kind))) {
    const entity = profile.entityNames[hint.slot]!;
    const source =
      info.columnName === undefined
        ? 'column name'
        : `source column ${info.tableName ?? '?'}.${info.columnName}`;
    action = whole(info, column, shape, profile, hint.slot, entity, `${source} says ${entity}`);
  } else if (
    kind === ValueKind.Inet &&
    (profile.operators[EntitySlot.ipv4] ?? profile.operators[EntitySlot.ipv6])
  ) {
    action = whole(info, column, shape, profile, EntitySlot.ipv4, 'ipv4', 'inet type holds IP addresses');
  } else {
    let reason: string;
    let detectors = profile.textDetectors;
    // Composite, unknown and fixed-syntax kinds cannot be masked whole: a column hint still
    // guides the hint-only detectors inside them.
    let hintSlot = -1;
    let fields: readonly ColumnAction[] | undefined;
    switch (kind) {
      case ValueKind.Text:
      case ValueKind.Json:
        reason = 'free text';
        break;
      case ValueKind.Structured:
        hintSlot = hint.slot;
        if (info.fields !== undefined && valueKind === ValueKind.Structured) {
          // Each field is planned where its cells will be counted: in this column.
          fields = Object.freeze(info.fields.map((field) => planColumn(field, column, profile)));
          reason = `fields of ${info.fields[0]?.tableName ?? 'its row type'} by name`;
        } else reason = 'composite or unknown type, scanned by shape';
        break;
      case ValueKind.Other:
        reason = `type ${shapeOid} has a fixed syntax: a finding nulls the cell`;
        hintSlot = hint.slot;
        break;
      case ValueKind.Integer:
      case ValueKind.Decimal:
        if (info.columnName !== undefined || shapeOid === PgTypeOid.Oid)
          return notScanned(info, column, shape, profile);
        reason = 'computed number';
        detectors = profile.numberDetectors;
        break;
      case ValueKind.Bytea:
        if (info.columnName !== undefined) return notScanned(info, column, shape, profile);
        reason = 'computed bytea';
        break;
      default:
        return notScanned(info, column, shape, profile);
    }
    if (detectors.length === 0 && (fields === undefined || fields.every(isPass))) {
      return build(
        info,
        column,
        shape,
        profile,
        ColumnActionKind.Pass,
        'no detectors enabled',
        undefined,
        undefined,
        -1,
        NO_CONTEXT,
      );
    }
    if (hint.identifier) reason += ' (identifier column)';
    if (elementKind !== undefined || (fields !== undefined && info.fieldsOfElements === true))
      reason += ', per array element';
    action = build(
      info,
      column,
      shape,
      profile,
      ColumnActionKind.Scan,
      reason,
      undefined,
      undefined,
      -1,
      scanContext(hintSlot, hint.identifier),
      fields,
      fields !== undefined && info.fieldsOfElements === true,
    );
  }

  if (info.format === 'binary' && !supportsBinary(info.typeOid) && action.operator !== MaskOperator.Nullify) {
    return Object.freeze({
      ...action,
      kind: ColumnActionKind.Refuse,
      reason: `binary format of type ${info.typeOid} cannot be masked (${action.reason}); request text format`,
    });
  }
  return action;
}

/** One frozen action; every action has the same property order, so the row loop sees one shape. */
function build(
  info: ColumnInfo,
  column: number,
  shape: ColumnShape,
  profile: CompiledProfile,
  kind: ColumnActionKind,
  reason: string,
  entity: string | undefined,
  operator: MaskOperator | undefined,
  slot: number,
  context: ScanContext,
  fields: readonly ColumnAction[] | undefined = undefined,
  fieldsOfElements = false,
): ColumnAction {
  return Object.freeze({
    column,
    name: info.name,
    kind,
    reason,
    entity,
    operator,
    typeOid: info.typeOid,
    format: info.format,
    valueKind: shape.valueKind,
    elementKind: shape.elementKind,
    delimiter: shape.delimiter,
    lengthLimit: shape.lengthLimit,
    padToLength: shape.padToLength,
    digitLimit: shape.digitLimit,
    slot,
    context,
    profile,
    fields,
    fieldsOfElements,
  });
}

function isPass(action: ColumnAction): boolean {
  return action.kind === ColumnActionKind.Pass;
}

function notScanned(
  info: ColumnInfo,
  column: number,
  shape: ColumnShape,
  profile: CompiledProfile,
): ColumnAction {
  return build(
    info,
    column,
    shape,
    profile,
    ColumnActionKind.Pass,
    `type ${info.typeOid} is not scanned`,
    undefined,
    undefined,
    -1,
    NO_CONTEXT,
  );
}

function whole(
  info: ColumnInfo,
  column: number,
  shape: ColumnShape,
  profile: CompiledProfile,
  slot: number,
  entity: string,
  reason: string,
): ColumnAction {
  const operator =
    profile.operators[slot] ?? (slot === EntitySlot.ipv4 ? profile.operators[EntitySlot.ipv6] : undefined);
  return build(
    info,
    column,
    shape,
    profile,
    ColumnActionKind.Whole,
    reason,
    entity,
    operator,
    slot,
    scanContext(slot, false),
  );
}

/** Scan contexts are read-only, so the common ones are shared between plans. */
const NO_CONTEXT: ScanContext = Object.freeze({ hint: -1, identifier: false, wholeCell: true });
const IDENTIFIER_CONTEXT: ScanContext = Object.freeze({ hint: -1, identifier: true, wholeCell: true });

function scanContext(hint: number, identifier: boolean): ScanContext {
  if (hint < 0) return identifier ? IDENTIFIER_CONTEXT : NO_CONTEXT;
  return Object.freeze({ hint, identifier, wholeCell: true });
}
