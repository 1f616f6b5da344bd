import { MaskOperator } from '../mask-operator.ts';
import { EntitySlot } from '../profile/entity-slot.ts';
import { ColumnActionKind, type ColumnAction } from './column-action.ts';
import type { MaskTally } from './mask-tally.ts';
import { ValueKind } from './pg-type.ts';

/** What {@link WholeCellBytes.mask} did besides writing bytes. */
export const WholeCellOutcome = {
  /** The cell becomes SQL NULL (`nullify`). */
  Null: -1,
  /** The cell stays as it is (blank). */
  Unchanged: -2,
  /** The cell holds a byte outside ASCII: mask its text with `maskCellText` instead. */
  NotAscii: -3,
} as const;

/** One of {@link WholeCellOutcome}. */
export type WholeCellOutcome = (typeof WholeCellOutcome)[keyof typeof WholeCellOutcome];

/** The byte-level form of one operator on an ASCII value. */
const Form = {
  Constant: 0,
  Null: 1,
  DigitsButLast4: 2,
  AlnumButLast4: 3,
  EmailDomain: 4,
} as const;

type Form = (typeof Form)[keyof typeof Form];

const ASTERISK = 0x2a;
const AT = 0x40;
const KEEP = 4;
const EMAIL_PREFIX = Buffer.from('****');

/**
 * Masks the cells of one `whole` text column straight from their UTF-8 bytes into a reply buffer,
 * without a string per cell, where the masked form is a byte-for-byte function of an ASCII value:
 * `redact` (the token) and `nullify` of any entity but an IP address (whose slot depends on the
 * value), and `partial` of cards, phones and SSNs (every digit but the last 4 becomes `*`), IBANs
 * (letters and digits) and emails (`****` and the domain). Bytes and counts are exactly those of
 * `maskCellText` (mask-whole-value.ts, partial-value.ts); a cell with a byte outside ASCII, where
 * JavaScript's notion of blank and of length differ from the bytes, is left to it.
 */
export class WholeCellBytes {
  private constructor(
    private readonly form: Form,
    private readonly column: number,
    private readonly slot: number,
    /** The redaction token (`Constant`, and `EmailDomain` without `@`). */
    private readonly token: Buffer,
  ) {}

  /**
   * The byte masker for `action`, or undefined when its cells must go through `maskCellText`:
   * other actions, typed or JSON values, a length limit (`varchar(n)`, `char(n)`), `hash` and
   * `fake`, and partial forms other than the ones above.
   */
  static for(action: ColumnAction): WholeCellBytes | undefined {
    if (action.kind !== ColumnActionKind.Whole || action.valueKind !== ValueKind.Text) return undefined;
    if (action.format !== 'text') return undefined;
    if (action.lengthLimit >= 0 || action.padToLength) return undefined;
    const slot = action.slot;
    // ipSlotFor: an `ipv4` column's values may turn out to be IPv6 (another slot and operator).
    if (slot < 0 || slot === EntitySlot.ipv4 || slot === EntitySlot.ipv6) return undefined;
    const profile = action.profile;
    const token = Buffer.from(profile.redactTokens[slot] ?? '', 'utf8');
    const form = formOf(profile.operators[slot], slot);
    return form === undefined ? undefined : new WholeCellBytes(form, action.column, slot, token);
  }

  /**
   * What every non-blank value becomes whatever it is, for `redact` and `nullify` (the token; null
   * for SQL NULL), or undefined when the masked form depends on the value. A blank value (only
   * whitespace, as String.prototype.trim sees it) stays as it is.
   */
  get constant(): string | null | undefined {
    if (this.form === Form.Null) return null;
    return this.form === Form.Constant ? this.token.toString('utf8') : undefined;
  }

  /** Bytes {@link mask} may write for a cell of `length` bytes, at most. */
  maxLength(length: number): number {
    return Math.max(length + EMAIL_PREFIX.length, this.token.length);
  }

  /**
   * Masks the cell `src[start, end)` into `out` at `at` (room for {@link maxLength} bytes) and
   * counts it in `tally`. Returns the number of bytes written, or a {@link WholeCellOutcome}
   * (`Unchanged` also when the masked bytes equal the cell's).
   */
  mask(src: Uint8Array, start: number, end: number, out: Buffer, at: number, tally: MaskTally): number {
    let blank = true;
    for (let i = start; i < end; i++) {
      const c = src[i]!;
      if (c > 0x7f) return WholeCellOutcome.NotAscii;
      // String.prototype.trim on ASCII: tab, line feed, vertical tab, form feed, carriage return, space.
      if (blank && c !== 0x20 && (c < 0x09 || c > 0x0d)) blank = false;
    }
    if (blank) return WholeCellOutcome.Unchanged;
    tally.add(this.column, this.slot);
    const written = this.write(src, start, end, out, at);
    // A masked value equal to the value (no digit to hide, the token itself) is unchanged, as the
    // string path's `masked === value` says.
    return written >= 0 && same(src, start, end, out, at, written) ? WholeCellOutcome.Unchanged : written;
  }

  private write(src: Uint8Array, start: number, end: number, out: Buffer, at: number): number {
    switch (this.form) {
      case Form.Null:
        return WholeCellOutcome.Null;
      case Form.Constant:
        return this.token.copy(out, at);
      case Form.DigitsButLast4:
        return keepLast(src, start, end, out, at, isDigit);
      case Form.AlnumButLast4:
        return keepLast(src, start, end, out, at, isAlnum);
      case Form.EmailDomain: {
        const sign = src.lastIndexOf(AT, end - 1);
        if (sign < start) return this.token.copy(out, at);
        EMAIL_PREFIX.copy(out, at);
        out.set(src.subarray(sign, end), at + EMAIL_PREFIX.length);
        return EMAIL_PREFIX.length + end - sign;
      }
    }
  }
}

function same(
  src: Uint8Array,
  start: number,
  end: number,
  out: Buffer,
  at: number,
  written: number,
): boolean {
  if (written !== end - start) return false;
  for (let i = 0; i < written; i++) if (out[at + i] !== src[start + i]) return false;
  return true;
}

function formOf(operator: MaskOperator | undefined, slot: number): Form | undefined {
  switch (operator) {
    case MaskOperator.Redact:
      return Form.Constant;
    case MaskOperator.Nullify:
      return Form.Null;
    case MaskOperator.Partial:
      switch (slot) {
        case EntitySlot.card:
        case EntitySlot.phone:
        case EntitySlot.ssn:
          return Form.DigitsButLast4;
        case EntitySlot.iban:
          return Form.AlnumButLast4;
        case EntitySlot.email:
          return Form.EmailDomain;
        case EntitySlot.address:
          return Form.Constant;
        default:
          return undefined;
      }
    default:
      return undefined;
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a);
}

/** Copies `src[start, end)` to `out`, every `kept` byte but the last {@link KEEP} as `*`. */
function keepLast(
  src: Uint8Array,
  start: number,
  end: number,
  out: Buffer,
  at: number,
  kept: (c: number) => boolean,
): number {
  // Where the last KEEP matching bytes begin: everything before is masked.
  let from = end;
  for (let seen = 0; from > start && seen < KEEP; from--) if (kept(src[from - 1]!)) seen++;
  let o = at;
  for (let i = start; i < end; i++) {
    const c = src[i]!;
    out[o++] = i < from && kept(c) ? ASTERISK : c;
  }
  return end - start;
}
