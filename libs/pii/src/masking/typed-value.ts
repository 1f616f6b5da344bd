import { digitsOf } from '../detectors/detector.ts';
import { MaskOperator } from '../mask-operator.ts';
import { EntitySlot } from '../profile/entity-slot.ts';
import { ValueKind } from '../plan/pg-type.ts';
import {
  fakeCardDigits,
  fakeDate,
  fakePhoneDigits,
  fakeSsnDigits,
  layoutDigits,
  randomDigits,
} from './fake-value.ts';
import { fakeIp, truncateIp, unspecifiedIp } from './ip-address.ts';
import { DigestStream } from './keyed-digest.ts';
import type { MaskingKeys } from './masking-keys.ts';
import { digestOf, fakeStream, hexPrefix } from './mask-value.ts';

/**
 * New digits for a numeric value, same count. `hash` and `fake` never start with 0 (unless the
 * value is one digit) and start with 1 when the count reaches `digitLimit`, so the result stays in
 * range for the integer type (int2 max 32767, int4 2147483647, int8 9223372036854775807).
 */
function replacementDigits(
  digits: string,
  slot: number,
  operator: MaskOperator,
  keys: MaskingKeys,
  digitLimit: number,
): string {
  const n = digits.length;
  if (operator === MaskOperator.Redact) return '0'.repeat(n);
  if (operator === MaskOperator.Partial)
    return '0'.repeat(Math.max(0, n - 4)) + digits.slice(Math.max(0, n - 4));
  if (operator === MaskOperator.Fake) {
    const stream = fakeStream(keys, digits, slot);
    if (slot === EntitySlot.card && n >= 13 && n <= 19) return fakeCardDigits(digits, stream);
    if (slot === EntitySlot.ssn && n === 9) return fakeSsnDigits(stream);
    if (slot === EntitySlot.phone && n >= 10 && n <= 11 && n < digitLimit)
      return fakePhoneDigits(digits, stream, keys.region);
    return boundedDigits(stream, n, digitLimit);
  }
  return boundedDigits(new DigestStream(digestOf(keys, 'hash', digits, slot)), n, digitLimit);
}

function boundedDigits(stream: DigestStream, n: number, digitLimit: number): string {
  if (n >= digitLimit) return `1${randomDigits(stream, n - 1)}`;
  return randomDigits(stream, n, n > 1);
}

/**
 * Masks a number printed by PostgreSQL (`int*`, `numeric`, `float*`, `money`) so it stays a
 * valid value of its type: only mantissa digits change (signs, `.`, `,`, currency symbols and an
 * exponent stay), the digit count stays the same. `redact` zeroes every digit, `partial` every
 * digit but the last 4, `hash` / `fake` derive digits from the HMAC (a fake card stays Luhn-valid).
 * `digitLimit` is the integer type's printable digit count, or Infinity for non-integers.
 */
export function maskNumber(
  value: string,
  slot: number,
  operator: MaskOperator,
  keys: MaskingKeys,
  digitLimit: number,
): string | null {
  if (operator === MaskOperator.Nullify) return null;
  const exponent = value.search(/[eE]/);
  const mantissa = exponent < 0 ? value : value.slice(0, exponent);
  const digits = digitsOf(mantissa);
  if (digits.length === 0) return value; // NaN, Infinity
  const masked = layoutDigits(mantissa, replacementDigits(digits, slot, operator, keys, digitLimit));
  return exponent < 0 ? masked : masked + value.slice(exponent);
}

/**
 * Masks a JSON number token. JSON forbids leading zeros, so `redact` and `partial` give `0`,
 * `nullify` gives `null`, `hash` / `fake` give the same digit count starting with a non-zero digit.
 */
export function maskJsonNumber(
  token: string,
  slot: number,
  operator: MaskOperator,
  keys: MaskingKeys,
): string {
  if (operator === MaskOperator.Nullify) return 'null';
  if (operator === MaskOperator.Redact || operator === MaskOperator.Partial || !/^-?\d+$/.test(token))
    return '0';
  const digits = digitsOf(token);
  const replaced = replacementDigits(digits, slot, operator, keys, Infinity);
  return (
    (token[0] === '-' ? '-' : '') +
    (replaced[0] === '0' && replaced.length > 1 ? `1${replaced.slice(1)}` : replaced)
  );
}

const ISO_DATE = /^(\d{4,})-(\d{2})-(\d{2})/;
const NUMERIC_DATE = /^(\d{2})([/.-])(\d{2})\2(\d{4,})/;

/**
 * Masks the date at the start of a PostgreSQL `date` / `timestamp[tz]` text value, keeping the
 * rest (time, zone, ` BC`). ISO (`1990-05-17`), SQL (`05/17/1990`) and German (`17.05.1990`)
 * DateStyles keep their shape; `redact` gives 1900-01-01, `partial` keeps the year (Jan 1),
 * `hash` / `fake` a date from 1940-2005 with day and month in 1..12 for the ambiguous shapes.
 * Any other shape (DateStyle Postgres, `infinity`) becomes NULL unless it has no digits at all.
 */
export function maskDate(
  value: string,
  slot: number,
  operator: MaskOperator,
  keys: MaskingKeys,
): string | null {
  if (operator === MaskOperator.Nullify) return null;
  if (!/\d/.test(value)) return value; // infinity / -infinity carry nothing
  const iso = ISO_DATE.exec(value);
  const numeric = iso === null ? NUMERIC_DATE.exec(value) : null;
  if (iso === null && numeric === null) return null;
  const year = iso !== null ? iso[1]! : numeric![4]!;
  let out: string;
  if (operator === MaskOperator.Redact || operator === MaskOperator.Partial) {
    const y = operator === MaskOperator.Redact ? '1900' : year;
    out = iso !== null ? `${y}-01-01` : `01${numeric![2]}01${numeric![2]}${y}`;
  } else {
    const stream =
      operator === MaskOperator.Fake
        ? fakeStream(keys, value, slot)
        : new DigestStream(digestOf(keys, 'hash', value, slot));
    const shape = iso !== null ? iso[0] : numeric![0];
    out = fakeDate(shape, stream);
  }
  return out + value.slice((iso ?? numeric)![0].length);
}

/** A valid UUID: the nil UUID for redact/partial, version-4-shaped HMAC bytes for hash/fake. */
function maskUuid(value: string, slot: number, operator: MaskOperator, keys: MaskingKeys): string | null {
  if (operator === MaskOperator.Nullify) return null;
  if (operator === MaskOperator.Redact || operator === MaskOperator.Partial)
    return '00000000-0000-0000-0000-000000000000';
  const bytes = digestOf(keys, operator, value, slot);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = hexPrefix(bytes, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A valid `inet`: `0.0.0.0`/`::` for redact, the /24 or /48 network for partial, a private-range fake otherwise. */
function maskInet(value: string, slot: number, operator: MaskOperator, keys: MaskingKeys): string | null {
  switch (operator) {
    case MaskOperator.Nullify:
      return null;
    case MaskOperator.Redact:
      return unspecifiedIp(value);
    case MaskOperator.Partial:
      return truncateIp(value) ?? unspecifiedIp(value);
    default:
      return fakeIp(value, new DigestStream(digestOf(keys, operator, value, slot)));
  }
}

/** A valid hex-format `bytea`: empty for redact/partial, 8 HMAC bytes for hash/fake. */
function maskBytea(value: string, slot: number, operator: MaskOperator, keys: MaskingKeys): string | null {
  if (operator === MaskOperator.Nullify) return null;
  if (operator === MaskOperator.Redact || operator === MaskOperator.Partial) return '\\x';
  return `\\x${hexPrefix(digestOf(keys, operator, value, slot), 8)}`;
}

/**
 * Masks a whole non-text cell (text format) so that the result is still a valid value of the
 * column type, or NULL where no such form exists (`Scalar`, `Structured` and `Other` kinds: bool,
 * time, interval, composites, enums, cidr, geometric, ...; arrays are masked element by element
 * before they get here). See each kind's function for the exact forms.
 */
export function maskTypedValue(
  value: string,
  kind: ValueKind,
  slot: number,
  operator: MaskOperator,
  keys: MaskingKeys,
  digitLimit: number,
): string | null {
  switch (kind) {
    case ValueKind.Integer:
      return maskNumber(value, slot, operator, keys, digitLimit);
    case ValueKind.Decimal:
      return maskNumber(value, slot, operator, keys, Infinity);
    case ValueKind.Date:
    case ValueKind.Timestamp:
      return maskDate(value, slot, operator, keys);
    case ValueKind.Uuid:
      return maskUuid(value, slot, operator, keys);
    case ValueKind.Inet:
      return maskInet(value, slot, operator, keys);
    case ValueKind.Bytea:
      return maskBytea(value, slot, operator, keys);
    default:
      return null;
  }
}
