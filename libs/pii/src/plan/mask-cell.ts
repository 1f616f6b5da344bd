import { PolicyDeniedError } from '@gatehouse/errors';
import { maskNumber } from '../masking/typed-value.ts';
import { applySpans } from '../scan/apply-spans.ts';
import { maskJson } from '../scan/json-masker.ts';
import { ColumnActionKind, type ColumnAction } from './column-action.ts';
import { fitLength } from './fit-length.ts';
import type { MaskTally } from './mask-tally.ts';
import { maskWholeValue } from './mask-whole-value.ts';
import { ValueKind } from './pg-type.ts';
import { StructuredCellMasker } from './structured-cell.ts';

/** Reused for every structured cell: masking is synchronous and the masker resets per cell. */
const structured = new StructuredCellMasker();

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
      if (action.valueKind === ValueKind.Array) return structured.mask(value, action, tally);
      return maskWholeValue(value, action.valueKind, action, tally);
    case ColumnActionKind.Scan:
      return maskScanned(value, action, tally);
    default:
      throw new PolicyDeniedError(`column "${action.name}": ${action.reason}`, 'pii.refuse');
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
    case ValueKind.Array:
    case ValueKind.Structured:
    case ValueKind.Bytea:
    case ValueKind.Other:
      return structured.mask(value, action, tally);
    default:
      break;
  }
  if (scanner.scan(value, action.context) === 0) return value;
  return fitLength(applySpans(value, scanner.spans, profile, action.column, tally, true), value, action);
}
