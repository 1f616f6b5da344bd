import { PolicyDeniedError } from '@gatehouse/errors';
import { maskTextValue } from '../masking/mask-value.ts';
import { maskNumber, maskTypedValue } from '../masking/typed-value.ts';
import { applySpans, ipSlotFor } from '../scan/apply-spans.ts';
import { maskJson } from '../scan/json-masker.ts';
import { ColumnActionKind, type ColumnAction } from './column-action.ts';
import type { MaskTally } from './mask-tally.ts';
import { ValueKind } from './pg-type.ts';

const REDACTED_PREFIX = '[REDACTED:';

/**
 * Masks one text-format cell according to its column's action and counts what it masked.
 * Returns the same string when nothing was found (no allocation), or null for SQL NULL.
 * Throws PolicyDeniedError for a `refuse` action: that plan must not have been executed.
 */
export function maskCellText(
  value: string,
  action: ColumnAction,
  tally: MaskTally | undefined,
): string | null {
  switch (action.kind) {
    case ColumnActionKind.Pass:
      return value;
    case ColumnActionKind.Whole:
      return maskWhole(value, action, tally);
    case ColumnActionKind.Scan:
      return maskScanned(value, action, tally);
    default:
      throw new PolicyDeniedError(`column "${action.name}": ${action.reason}`, 'pii.refuse');
  }
}

function maskWhole(value: string, action: ColumnAction, tally: MaskTally | undefined): string | null {
  const profile = action.profile;
  if (action.valueKind === ValueKind.Json) {
    const masked = maskJson(value, profile, action.slot, action.column, tally);
    if (masked !== undefined) return masked;
  }
  if (value.trim().length === 0) return value;
  const slot = ipSlotFor(action.slot, value);
  const operator = profile.operators[slot];
  if (operator === undefined) return value;
  tally?.add(action.column, slot);
  switch (action.valueKind) {
    case ValueKind.Text:
    case ValueKind.Json:
      return fitLength(maskTextValue(value, slot, operator, profile), value, action);
    default:
      return maskTypedValue(value, action.valueKind, slot, operator, profile, action.digitLimit);
  }
}

function maskScanned(value: string, action: ColumnAction, tally: MaskTally | undefined): string | null {
  const profile = action.profile;
  const scanner = profile.scanner;
  switch (action.valueKind) {
    case ValueKind.Json: {
      const masked = maskJson(value, profile, -1, action.column, tally);
      if (masked !== undefined) return masked;
      break; // not JSON after all: scan it as text
    }
    case ValueKind.Integer:
    case ValueKind.Decimal: {
      if (scanner.scanNumber(value, action.context) === 0) return value;
      const slot = scanner.spans.slots[0]!;
      tally?.add(action.column, slot);
      return maskNumber(value, slot, profile.operators[slot]!, profile, action.digitLimit);
    }
    default:
      break;
  }
  if (scanner.scan(value, action.context) === 0) return value;
  return fitLength(applySpans(value, scanner.spans, profile, action.column, tally, true), value, action);
}

/**
 * Keeps a masked text within its type's length: `char(n)` values are padded with spaces or cut
 * to the original's length, `varchar(n)` values cut to n. A redaction token cut short becomes
 * `*`s so that no half token such as `[REDAC` reaches the client.
 */
export function fitLength(masked: string | null, original: string, action: ColumnAction): string | null {
  if (masked === null) return null;
  let limit = action.lengthLimit;
  if (action.padToLength) limit = codePoints(original);
  if (limit < 0) return masked;
  const length = codePoints(masked);
  if (length === limit) return masked;
  if (length < limit) return action.padToLength ? masked + ' '.repeat(limit - length) : masked;
  const cut = Array.from(masked).slice(0, limit).join('');
  const open = cut.lastIndexOf(REDACTED_PREFIX[0]!);
  if (open >= 0 && masked.startsWith(REDACTED_PREFIX, open) && !cut.includes(']', open)) {
    return cut.slice(0, open) + '*'.repeat(limit - codePoints(cut.slice(0, open)));
  }
  return cut;
}

function codePoints(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}
