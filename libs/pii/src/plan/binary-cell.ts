import { MaskOperator } from '../mask-operator.ts';
import { ColumnActionKind, type ColumnAction } from './column-action.ts';
import { maskCellText } from './mask-cell.ts';
import type { MaskTally } from './mask-tally.ts';
import { PgTypeOid } from './pg-type.ts';

/**
 * Binary wire formats {@link maskBinaryCell} can decode and re-encode
 * (https://www.postgresql.org/docs/current/protocol-overview.html#PROTOCOL-FORMAT-CODES; the
 * encodings are the types' `*send` functions): int2/int4/int8 (big-endian two's complement),
 * text/varchar/bpchar/name/"char"/unknown/json (the UTF-8 text, assuming client_encoding UTF8),
 * jsonb (version byte 1, then the text) and date (int32 days since 2000-01-01). Every other type
 * (numeric, timestamps, uuid, inet, arrays, ...) must be refused unless the operator is `nullify`.
 */
const BINARY_TYPES: ReadonlySet<number> = new Set([
  PgTypeOid.Int2,
  PgTypeOid.Int4,
  PgTypeOid.Int8,
  PgTypeOid.Text,
  PgTypeOid.Varchar,
  PgTypeOid.Bpchar,
  PgTypeOid.Name,
  PgTypeOid.Char,
  PgTypeOid.Unknown,
  PgTypeOid.Json,
  PgTypeOid.Jsonb,
  PgTypeOid.Date,
]);

/** True when {@link maskBinaryCell} can rewrite this type's binary encoding. */
export function supportsBinary(typeOid: number): boolean {
  return BINARY_TYPES.has(typeOid);
}

/** Outcome of masking one binary-format cell. */
export type BinaryMaskResult =
  /** `value` is the new encoding (the same bytes object when nothing changed), or null for SQL NULL. */
  | { readonly ok: true; readonly value: Uint8Array | null }
  /** The cell cannot be masked safely; the caller must refuse the statement. `reason` holds no value. */
  | { readonly ok: false; readonly reason: string };

const POSTGRES_EPOCH_MS = Date.UTC(2000, 0, 1);
const DAY_MS = 86_400_000;
const DATE_INFINITY = 0x7fffffff;
const DATE_MINUS_INFINITY = -0x80000000;
const INT_RANGES: Readonly<Record<number, readonly [bigint, bigint]>> = {
  [PgTypeOid.Int2]: [-32768n, 32767n],
  [PgTypeOid.Int4]: [-2147483648n, 2147483647n],
  [PgTypeOid.Int8]: [-9223372036854775808n, 9223372036854775807n],
};
const utf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

function refuse(typeOid: number, why: string): BinaryMaskResult {
  return { ok: false, reason: `binary ${typeOid}: ${why}` };
}

/**
 * Masks one binary-format cell for `action` (from a {@link ResultMaskPlan}) and returns a valid
 * binary encoding of the same type, SQL NULL, or a refusal. Masking never produces bytes the
 * driver cannot decode: integers stay in range, dates stay valid dates, text stays UTF-8.
 */
export function maskBinaryCell(
  bytes: Uint8Array,
  typeOid: number,
  action: ColumnAction,
  tally?: MaskTally,
): BinaryMaskResult {
  if (action.kind === ColumnActionKind.Pass) return { ok: true, value: bytes };
  if (action.kind === ColumnActionKind.Refuse) return { ok: false, reason: action.reason };
  if (action.kind === ColumnActionKind.Whole && action.operator === MaskOperator.Nullify) {
    tally?.add(action.column, action.slot);
    return { ok: true, value: null };
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (typeOid) {
    case PgTypeOid.Int2:
    case PgTypeOid.Int4:
    case PgTypeOid.Int8: {
      const size = typeOid === PgTypeOid.Int2 ? 2 : typeOid === PgTypeOid.Int4 ? 4 : 8;
      if (bytes.byteLength !== size) return refuse(typeOid, `expected ${size} bytes`);
      const value = size === 2 ? view.getInt16(0) : size === 4 ? view.getInt32(0) : view.getBigInt64(0);
      const text = String(value);
      const masked = maskCellText(text, action, tally);
      if (masked === text) return { ok: true, value: bytes };
      if (masked === null) return { ok: true, value: null };
      if (!/^-?\d+$/.test(masked)) return refuse(typeOid, 'masked value is not an integer');
      const n = BigInt(masked);
      const [lo, hi] = INT_RANGES[typeOid]!;
      if (n < lo || n > hi) return refuse(typeOid, 'masked value out of range');
      const out = new Uint8Array(size);
      const w = new DataView(out.buffer);
      if (size === 2) w.setInt16(0, Number(n));
      else if (size === 4) w.setInt32(0, Number(n));
      else w.setBigInt64(0, n);
      return { ok: true, value: out };
    }
    case PgTypeOid.Date: {
      if (bytes.byteLength !== 4) return refuse(typeOid, 'expected 4 bytes');
      const days = view.getInt32(0);
      if (days === DATE_INFINITY || days === DATE_MINUS_INFINITY) return { ok: true, value: bytes };
      const date = new Date(POSTGRES_EPOCH_MS + days * DAY_MS);
      const year = date.getUTCFullYear();
      const text = year >= 1 && year <= 9999 ? date.toISOString().slice(0, 10) : '2000-01-01';
      const masked = maskCellText(text, action, tally);
      if (masked === text) return { ok: true, value: bytes };
      if (masked === null) return { ok: true, value: null };
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(masked);
      if (m === null) return refuse(typeOid, 'masked value is not a date');
      const out = new Uint8Array(4);
      new DataView(out.buffer).setInt32(
        0,
        (Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!) - POSTGRES_EPOCH_MS) / DAY_MS,
      );
      return { ok: true, value: out };
    }
    case PgTypeOid.Jsonb: {
      if (bytes.byteLength === 0 || bytes[0] !== 1) return refuse(typeOid, 'unknown jsonb version');
      return maskUtf8(bytes, 1, typeOid, action, tally);
    }
    default:
      if (!BINARY_TYPES.has(typeOid)) return refuse(typeOid, 'type has no supported binary encoding');
      return maskUtf8(bytes, 0, typeOid, action, tally);
  }
}

function maskUtf8(
  bytes: Uint8Array,
  offset: number,
  typeOid: number,
  action: ColumnAction,
  tally: MaskTally | undefined,
): BinaryMaskResult {
  let text: string;
  try {
    text = utf8.decode(bytes.subarray(offset));
  } catch {
    return refuse(typeOid, 'text is not UTF-8');
  }
  const masked = maskCellText(text, action, tally);
  if (masked === text) return { ok: true, value: bytes };
  if (masked === null) return { ok: true, value: null };
  const body = encoder.encode(masked);
  if (offset === 0) return { ok: true, value: body };
  const out = new Uint8Array(body.byteLength + 1);
  out[0] = bytes[0]!;
  out.set(body, 1);
  return { ok: true, value: out };
}
