import { maskTextValue } from '../masking/mask-value.ts';
import { maskTypedValue } from '../masking/typed-value.ts';
import { ipSlotFor } from '../scan/apply-spans.ts';
import { maskJson } from '../scan/json-masker.ts';
import type { ColumnAction } from './column-action.ts';
import { fitLength } from './fit-length.ts';
import type { MaskTally } from './mask-tally.ts';
import { ValueKind } from './pg-type.ts';

/**
 * Masks one value known to hold the `whole` action's entity (a cell, or one element of an array
 * cell) as a valid value of `kind`: JSON keeps its structure, text is cut or padded to the
 * column's length, typed values keep their type (or become null where no valid form exists).
 * Blank values are returned as they are.
 */
export function maskWholeValue(
  value: string,
  kind: ValueKind,
  action: ColumnAction,
  tally: MaskTally | undefined,
): string | null {
  const profile = action.profile;
  if (kind === ValueKind.Json) {
    const masked = maskJson(value, profile, action.slot, action.column, tally);
    if (masked !== undefined) return masked;
  }
  if (value.trim().length === 0) return value;
  const slot = ipSlotFor(action.slot, value);
  const operator = profile.operators[slot];
  if (operator === undefined) return value;
  tally?.add(action.column, slot);
  switch (kind) {
    case ValueKind.Text:
    case ValueKind.Json:
      return fitLength(maskTextValue(value, slot, operator, profile), value, action);
    default:
      return maskTypedValue(value, kind, slot, operator, profile, action.digitLimit);
  }
}
