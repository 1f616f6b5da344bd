import { EntitySlot } from '../profile/entity-slot.ts';
import type { CompiledProfile } from '../profile/compile-profile.ts';
import { supportsBinary } from './binary-cell.ts';
import {
  ColumnActionKind,
  type ColumnAction,
  type ColumnInfo,
  type ResultMaskPlan,
} from './column-action.ts';
import { integerDigitLimit, lengthLimitOf, PgTypeOid, ValueKind, valueKindOf } from './pg-type.ts';
import { MaskOperator } from '../mask-operator.ts';

/**
 * Decides, once per result set, what happens to each column:
 * - a column whose source column (or, failing that, its own name) matches a column hint or a
 *   custom rule's `columns` is masked whole, without scanning (any type except bool/other, which
 *   only a custom rule can force, and then the masked value is NULL);
 * - an `inet` column is masked whole as an IP address;
 * - free-text columns (text, varchar, bpchar, name, "char", unknown, xml, json, jsonb) are scanned;
 * - computed columns (no traceable source) of a number type are scanned for card numbers and
 *   custom patterns; other numeric, boolean, date/time, uuid and bytea columns pass untouched;
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

function planColumn(info: ColumnInfo, column: number, profile: CompiledProfile): ColumnAction {
  const valueKind = valueKindOf(info.typeOid);
  const lengthLimit = lengthLimitOf(info.typeOid, info.typeModifier);
  const base = {
    column,
    name: info.name,
    typeOid: info.typeOid,
    format: info.format,
    valueKind,
    lengthLimit,
    padToLength: info.typeOid === PgTypeOid.Bpchar || info.typeOid === PgTypeOid.Char,
    digitLimit: valueKind === ValueKind.Integer ? integerDigitLimit(info.typeOid) : Infinity,
    profile,
  };
  const pass = (reason: string): ColumnAction =>
    Object.freeze({
      ...base,
      kind: ColumnActionKind.Pass,
      reason,
      entity: undefined,
      operator: undefined,
      slot: -1,
      context: scanContext(-1, false),
    });

  const hint = profile.hintForColumn(info.name, info.tableName, info.columnName);
  let action: ColumnAction;
  if (hint.slot >= 0 && (valueKind !== ValueKind.Other || hint.fromRule)) {
    const entity = profile.entityNames[hint.slot]!;
    const source =
      info.columnName === undefined
        ? 'column name'
        : `source column ${info.tableName ?? '?'}.${info.columnName}`;
    action = whole(base, hint.slot, entity, profile, `${source} says ${entity}`);
  } else if (
    valueKind === ValueKind.Inet &&
    (profile.operators[EntitySlot.ipv4] ?? profile.operators[EntitySlot.ipv6])
  ) {
    action = whole(base, EntitySlot.ipv4, 'ipv4', profile, 'inet type holds IP addresses');
  } else if (valueKind === ValueKind.Text || valueKind === ValueKind.Json) {
    if (profile.textDetectors.length === 0) return pass('no detectors enabled');
    action = Object.freeze({
      ...base,
      kind: ColumnActionKind.Scan,
      reason: hint.identifier ? 'free text (identifier column)' : 'free text',
      entity: undefined,
      operator: undefined,
      slot: -1,
      context: scanContext(-1, hint.identifier),
    });
  } else if (
    info.columnName === undefined &&
    (valueKind === ValueKind.Integer || valueKind === ValueKind.Decimal) &&
    profile.numberDetectors.length > 0
  ) {
    action = Object.freeze({
      ...base,
      kind: ColumnActionKind.Scan,
      reason: 'computed number',
      entity: undefined,
      operator: undefined,
      slot: -1,
      context: scanContext(-1, hint.identifier),
    });
  } else {
    return pass(`type ${info.typeOid} is not scanned`);
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

type ActionBase = Omit<ColumnAction, 'kind' | 'reason' | 'entity' | 'operator' | 'slot' | 'context'>;

function whole(
  base: ActionBase,
  slot: number,
  entity: string,
  profile: CompiledProfile,
  reason: string,
): ColumnAction {
  const operator =
    profile.operators[slot] ?? (slot === EntitySlot.ipv4 ? profile.operators[EntitySlot.ipv6] : undefined);
  return Object.freeze({
    ...base,
    kind: ColumnActionKind.Whole,
    reason,
    entity,
    operator,
    slot,
    context: scanContext(slot, false),
  });
}

function scanContext(hint: number, identifier: boolean) {
  return Object.freeze({ hint, identifier, wholeCell: true });
}
