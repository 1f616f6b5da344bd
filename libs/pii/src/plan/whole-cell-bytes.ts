import { MaskOperator } from '../mask-operator.ts';
import { EntitySlot } from '../profile/entity-slot.ts';
import { ColumnActionKind, type ColumnAction } from './column-action.ts';
import { ValueKind } from './pg-type.ts';

/**
 * The masked forms of a whole text cell that are a function of its bytes alone (no scan, no key).
 * One `as const` object drives the union and the contract's enum (`replace.form` of a plan column).
 */
export const WholeCellForm = {
  /** The value becomes the constant `text` (a redaction token), or SQL NULL when `text` is null. */
  Constant: 'constant',
  /** Every ASCII digit but the last 4 becomes `*` (cards, phones, SSNs). */
  Last4Digits: 'last_4_digits',
  /** Every ASCII letter and digit but the last 4 becomes `*` (IBANs). */
  Last4Alnum: 'last_4_alnum',
  /** `****` and the value from its last `@` on; the constant `text` when there is no `@` (emails). */
  EmailDomain: 'email_domain',
  /**
   * A text-format `date` or `timestamp`: its date becomes January 1st of the year `text` (of its own
   * year when `text` is null), in the same DateStyle shape, the rest (time, zone, era) kept.
   */
  DateYearStart: 'date_year_start',
} as const;

/** One of {@link WholeCellForm}. */
export type WholeCellForm = (typeof WholeCellForm)[keyof typeof WholeCellForm];

/** Every {@link WholeCellForm}. */
export const WHOLE_CELL_FORMS: readonly WholeCellForm[] = Object.freeze(Object.values(WholeCellForm));

/** What {@link WholeCellBytes.mask} did besides writing bytes. */
export const WholeCellOutcome = {
  /** The value was masked to SQL NULL. */
  Null: -1,
  /** The value is blank (only whitespace, as String.prototype.trim sees it): not masked, it stays. */
  Blank: -2,
  /** The value was masked, and its masked form is the value itself: it stays. */
  Same: -3,
} as const;

/** One of {@link WholeCellOutcome}. */
export type WholeCellOutcome = (typeof WholeCellOutcome)[keyof typeof WholeCellOutcome];

const ASTERISK = 0x2a;
const AT = 0x40;
const DASH = 0x2d;
const DOT = 0x2e;
const SLASH = 0x2f;
const ZERO = 0x30;
const ONE = 0x31;
const KEEP = 4;
const EMAIL_PREFIX = Buffer.from('****');

// Byte classes, one table load per byte: every byte has exactly one.
const DIGIT = 1;
const LETTER = 2;
/** Whitespace to String.prototype.trim in ASCII: tab, line feed, vertical tab, form feed, carriage return, space. */
const SPACE = 4;
/** Outside ASCII: the cell is read as UTF-8 text. */
const WIDE = 8;
const OTHER = 16;
const BYTE_CLASS = new Uint8Array(256).map((_, c) =>
  c > 0x7f
    ? WIDE
    : c === 0x20 || (c >= 0x09 && c <= 0x0d)
      ? SPACE
      : c >= 0x30 && c <= 0x39
        ? DIGIT
        : (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a
          ? LETTER
          : OTHER,
);

/**
 * Masks the cells of one `whole` text-format column from their UTF-8 bytes into an output buffer,
 * with no string per cell, where the masked form is a function of the bytes ({@link WholeCellForm}):
 * `redact` and `nullify` of any entity but an IP address (whose slot depends on the value),
 * `partial` of cards, phones, SSNs, IBANs, emails and addresses, and `redact`, `partial` and
 * `nullify` of `date` and `timestamp` columns. Bytes and outcomes are exactly those of
 * `maskCellText` (mask-whole-value.ts, partial-value.ts, typed-value.ts), which reads a cell as UTF-8:
 * an ASCII cell is masked as it is; any other is read as text, so that blank means what
 * String.prototype.trim says and invalid UTF-8 becomes U+FFFD, and masked as its UTF-8 bytes.
 * The forms travel in plans (`form`, `text`), so an edge can mask such columns itself.
 */
export class WholeCellBytes {
  readonly #text: Buffer | null;
  /** A constant whatever the value: a cell with a byte outside ASCII need not be read as text once it is not blank. */
  readonly #constant: boolean;

  private constructor(
    /** The form. */
    readonly form: WholeCellForm,
    /** `Constant`: the replacement (null: SQL NULL); `EmailDomain`: the value without `@` gets it. */
    readonly text: string | null,
  ) {
    this.#text = text === null ? null : Buffer.from(text, 'utf8');
    this.#constant = form === WholeCellForm.Constant && (text === null || text.length === this.#text!.length);
  }

  /** The masker of a form as a plan names it. */
  static of(form: WholeCellForm, text: string | null): WholeCellBytes {
    return new WholeCellBytes(form, text);
  }

  /**
   * The byte masker for `action`, or undefined when its cells must go through `maskCellText`:
   * other actions, typed or JSON values, binary format, a length limit (`varchar(n)`, `char(n)`),
   * IP addresses, `hash` and `fake`, and partial forms other than the ones above.
   */
  static for(action: ColumnAction): WholeCellBytes | undefined {
    if (action.kind !== ColumnActionKind.Whole || action.format !== 'text') return undefined;
    const slot = action.slot;
    // ipSlotFor: an `ipv4` column's values may turn out to be IPv6 (another slot and operator).
    if (slot < 0 || slot === EntitySlot.ipv4 || slot === EntitySlot.ipv6) return undefined;
    if (action.valueKind === ValueKind.Date || action.valueKind === ValueKind.Timestamp)
      return WholeCellBytes.#forDate(action.profile.operators[slot]);
    if (action.valueKind !== ValueKind.Text) return undefined;
    if (action.lengthLimit >= 0 || action.padToLength) return undefined;
    const profile = action.profile;
    const token = profile.redactTokens[slot] ?? '';
    switch (profile.operators[slot]) {
      case MaskOperator.Redact:
        return new WholeCellBytes(WholeCellForm.Constant, token);
      case MaskOperator.Nullify:
        return new WholeCellBytes(WholeCellForm.Constant, null);
      case MaskOperator.Partial:
        switch (slot) {
          case EntitySlot.card:
          case EntitySlot.phone:
          case EntitySlot.ssn:
            return new WholeCellBytes(WholeCellForm.Last4Digits, null);
          case EntitySlot.iban:
            return new WholeCellBytes(WholeCellForm.Last4Alnum, null);
          case EntitySlot.email:
            return new WholeCellBytes(WholeCellForm.EmailDomain, token);
          case EntitySlot.address:
            return new WholeCellBytes(WholeCellForm.Constant, token);
          default:
            return undefined;
        }
      default:
        return undefined;
    }
  }

  /** The forms of maskDate (typed-value.ts) that need no key: redact (year 1900), partial (own year), nullify. */
  static #forDate(operator: MaskOperator | undefined): WholeCellBytes | undefined {
    switch (operator) {
      case MaskOperator.Redact:
        return new WholeCellBytes(WholeCellForm.DateYearStart, REDACTED_YEAR);
      case MaskOperator.Partial:
        return new WholeCellBytes(WholeCellForm.DateYearStart, null);
      case MaskOperator.Nullify:
        return new WholeCellBytes(WholeCellForm.Constant, null);
      default:
        return undefined;
    }
  }

  /** Bytes {@link mask} may write for a cell of `length` bytes, at most. */
  maxLength(length: number): number {
    const text = this.#text?.length ?? 0;
    // Read as UTF-8, an invalid byte becomes U+FFFD: 3 bytes.
    switch (this.form) {
      case WholeCellForm.Constant:
        return text;
      case WholeCellForm.EmailDomain:
        return Math.max(text, EMAIL_PREFIX.length + 3 * length);
      default:
        return 3 * length;
    }
  }

  /**
   * Masks the cell `src[start, end)` into `out` at `at` (room for {@link maxLength} bytes).
   * Returns the number of bytes written, or a {@link WholeCellOutcome}. Every outcome but `Blank`
   * is one masked value (to be counted).
   */
  mask(src: Uint8Array, start: number, end: number, out: Buffer, at: number): number {
    // Each form reads only the bytes its outcome depends on, each once (an ASCII constant: up to its
    // first non-blank byte), with the outcomes of #maskScanned's three passes (scan, write, compare).
    switch (this.form) {
      case WholeCellForm.Constant:
        if (this.#constant) return this.#maskConstant(src, start, end, out, at);
        break;
      case WholeCellForm.Last4Digits:
        return this.#maskLast(src, start, end, out, at, DIGIT);
      case WholeCellForm.Last4Alnum:
        return this.#maskLast(src, start, end, out, at, DIGIT | LETTER);
      case WholeCellForm.EmailDomain:
        return this.#maskEmail(src, start, end, out, at);
      case WholeCellForm.DateYearStart:
        return this.#maskDate(src, start, end, out, at);
    }
    return this.#maskScanned(src, start, end, out, at);
  }

  /** Any form: a scan for a byte outside ASCII and for blank, then the masked form, then `Same`. */
  #maskScanned(src: Uint8Array, start: number, end: number, out: Buffer, at: number): number {
    let blank = true;
    for (let i = start; i < end; i++) {
      const c = src[i]!;
      if (c > 0x7f) {
        // An ASCII constant is never the value of a cell with other bytes: nothing to read.
        if (!blank && this.#constant) return this.#write(src, start, end, out, at);
        return this.#maskText(src, start, end, out, at);
      }
      // String.prototype.trim on ASCII: tab, line feed, vertical tab, form feed, carriage return, space.
      if (blank && c !== 0x20 && (c < 0x09 || c > 0x0d)) blank = false;
    }
    if (blank) return WholeCellOutcome.Blank;
    return this.#masked(src, start, end, out, at);
  }

  /**
   * `Constant` with an ASCII text (or NULL): the outcome is known at the first byte that is not
   * ASCII whitespace. Before it, a byte outside ASCII may start Unicode whitespace: read as text.
   */
  #maskConstant(src: Uint8Array, start: number, end: number, out: Buffer, at: number): number {
    let i = start;
    while (i < end && (BYTE_CLASS[src[i]!]! & SPACE) !== 0) i++;
    if (i === end) return WholeCellOutcome.Blank;
    if (src[i]! > 0x7f) return this.#maskText(src, start, end, out, at);
    return this.#writeText(src, start, end, out, at);
  }

  /** The ASCII text (or NULL) for a value that is not blank; `Same` when it is the value. */
  #writeText(src: Uint8Array, start: number, end: number, out: Buffer, at: number): number {
    const text = this.#text;
    if (text === null) return WholeCellOutcome.Null;
    // #maskConstant: a cell with a byte outside ASCII differs from the ASCII text anyway.
    if (end - start === text.length && equalBytes(src, start, text, 0, text.length))
      return WholeCellOutcome.Same;
    return copyBytes(text, 0, text.length, out, at);
  }

  /**
   * `Last4Digits` and `Last4Alnum` (`kept` is the class of the bytes masked): one pass from the
   * end to where the last {@link KEEP} kept bytes begin, one forward pass that masks the bytes
   * before them and notes whether any changed (`Same` otherwise). Any byte outside ASCII: as text.
   */
  #maskLast(src: Uint8Array, start: number, end: number, out: Buffer, at: number, kept: number): number {
    let from = end;
    let seen = 0;
    let classes = 0; // of the bytes read that are not kept
    while (from > start && seen < KEEP) {
      const type = BYTE_CLASS[src[--from]!]!;
      if ((type & kept) !== 0) seen++;
      else classes |= type;
    }
    if ((classes & WIDE) !== 0) return this.#maskText(src, start, end, out, at);
    if (seen < KEEP) {
      // Every byte read, fewer than KEEP kept: nothing to mask. Blank when all are whitespace.
      return seen === 0 && (classes & ~SPACE) === 0 ? WholeCellOutcome.Blank : WholeCellOutcome.Same;
    }
    let o = at;
    let before = 0; // classes of the bytes before the kept tail
    for (let i = start; i < from; i++) {
      const c = src[i]!;
      const type = BYTE_CLASS[c]!;
      before |= type;
      out[o++] = (type & kept) !== 0 ? ASTERISK : c;
    }
    if ((before & WIDE) !== 0) return this.#maskText(src, start, end, out, at);
    if ((before & kept) === 0) return WholeCellOutcome.Same;
    copyBytes(src, from, end, out, o);
    return end - start;
  }

  /**
   * `EmailDomain`: one pass from the end to the last `@`. Only the domain after it needs to be
   * ASCII: read as UTF-8, the bytes before an ASCII `@` never change it or the bytes after it, and
   * `****` is never a value with other bytes. A value without `@` is read whole, as `Constant`.
   */
  #maskEmail(src: Uint8Array, start: number, end: number, out: Buffer, at: number): number {
    let sign = end;
    let classes = 0;
    while (--sign >= start) {
      const c = src[sign]!;
      if (c === AT) break;
      classes |= BYTE_CLASS[c]!;
    }
    if ((classes & WIDE) !== 0) return this.#maskText(src, start, end, out, at);
    if (sign < start) {
      if ((classes & ~SPACE) === 0) return WholeCellOutcome.Blank;
      return this.#writeText(src, start, end, out, at);
    }
    if (sign - start === EMAIL_PREFIX.length && equalBytes(src, start, EMAIL_PREFIX, 0, EMAIL_PREFIX.length))
      return WholeCellOutcome.Same;
    copyBytes(EMAIL_PREFIX, 0, EMAIL_PREFIX.length, out, at);
    return EMAIL_PREFIX.length + copyBytes(src, sign, end, out, at + EMAIL_PREFIX.length);
  }

  /**
   * `DateYearStart` of an ISO date (what PostgreSQL sends with DateStyle ISO) in one pass: its
   * year, month and day are ASCII and not blank, and what follows is checked as it is copied.
   * `Same` when the year and `01-01` are the value's own. Any other value: scanned first, as before.
   */
  #maskDate(src: Uint8Array, start: number, end: number, out: Buffer, at: number): number {
    const isoYear = digitRun(src, start, end);
    const isoMonth = start + isoYear + 1;
    const iso =
      isoYear >= 4 &&
      byteAt(src, isoMonth - 1, end) === DASH &&
      digitRun(src, isoMonth, end) >= 2 &&
      byteAt(src, isoMonth + 2, end) === DASH &&
      digitRun(src, isoMonth + 3, end) >= 2;
    if (!iso) return this.#maskScanned(src, start, end, out, at);
    const year = this.#text;
    let o = at;
    o +=
      year === null
        ? copyBytes(src, start, start + isoYear, out, o)
        : copyBytes(year, 0, year.length, out, o);
    o += copyBytes(ISO_MONTH_DAY, 0, ISO_MONTH_DAY.length, out, o);
    let high = 0;
    for (let i = isoMonth + 5; i < end; i++) {
      const c = src[i]!;
      out[o++] = c;
      high |= c;
    }
    if (high > 0x7f) return this.#maskText(src, start, end, out, at);
    const sameYear =
      year === null || (isoYear === year.length && equalBytes(src, start, year, 0, year.length));
    const firstOfJanuary =
      src[isoMonth] === ZERO &&
      src[isoMonth + 1] === ONE &&
      src[isoMonth + 3] === ZERO &&
      src[isoMonth + 4] === ONE;
    return sameYear && firstOfJanuary ? WholeCellOutcome.Same : o - at;
  }

  /** A cell with a byte outside ASCII: masked as the UTF-8 of its text, as `maskCellText` does. */
  #maskText(src: Uint8Array, start: number, end: number, out: Buffer, at: number): number {
    const value = Buffer.from(src.buffer, src.byteOffset + start, end - start).toString('utf8');
    if (value.trim().length === 0) return WholeCellOutcome.Blank;
    const bytes = Buffer.from(value, 'utf8');
    return this.#masked(bytes, 0, bytes.length, out, at);
  }

  /** Writes the masked form of a non-blank value; `Same` when it equals the value. */
  #masked(src: Uint8Array, start: number, end: number, out: Buffer, at: number): number {
    const written = this.#write(src, start, end, out, at);
    return written >= 0 && same(src, start, end, out, at, written) ? WholeCellOutcome.Same : written;
  }

  #write(src: Uint8Array, start: number, end: number, out: Buffer, at: number): number {
    switch (this.form) {
      case WholeCellForm.Constant:
        return this.#text === null
          ? WholeCellOutcome.Null
          : copyBytes(this.#text, 0, this.#text.length, out, at);
      case WholeCellForm.Last4Digits:
        return keepLast(src, start, end, out, at, isDigit);
      case WholeCellForm.Last4Alnum:
        return keepLast(src, start, end, out, at, isAlnum);
      case WholeCellForm.EmailDomain: {
        const sign = src.lastIndexOf(AT, end - 1);
        if (sign < start)
          return this.#text === null
            ? WholeCellOutcome.Null
            : copyBytes(this.#text, 0, this.#text.length, out, at);
        copyBytes(EMAIL_PREFIX, 0, EMAIL_PREFIX.length, out, at);
        return EMAIL_PREFIX.length + copyBytes(src, sign, end, out, at + EMAIL_PREFIX.length);
      }
      case WholeCellForm.DateYearStart:
        return yearStart(src, start, end, out, at, this.#text);
    }
  }
}

/** The year maskDate writes for `redact`. */
const REDACTED_YEAR = '1900';

/** The byte at `i`, or -1 past `end`: bytes past a cell's end belong to the next cell. */
function byteAt(src: Uint8Array, i: number, end: number): number {
  return i < end ? src[i]! : -1;
}

/** Length of the run of ASCII digits at `src[from, end)`. */
function digitRun(src: Uint8Array, from: number, end: number): number {
  let i = from;
  while (i < end && isDigit(src[i]!)) i++;
  return i - from;
}

/**
 * maskDate's redact and partial forms (typed-value.ts), byte for byte: a value with no digit
 * (`infinity`) stays; an ISO date `Y-MM-DD` (Y of 4 or more digits) becomes `Y-01-01`, a numeric
 * one `DD.MM.Y` (one separator of `/`, `.` or `-`, used twice) `01.01.Y`, everything after the date
 * kept; Y is `year` or the value's own; any other value becomes NULL.
 */
function yearStart(
  src: Uint8Array,
  start: number,
  end: number,
  out: Buffer,
  at: number,
  year: Buffer | null,
): number {
  if (!hasDigit(src, start, end)) return WholeCellOutcome.Same;
  const isoYear = digitRun(src, start, end);
  const isoMonth = start + isoYear + 1;
  const iso =
    isoYear >= 4 &&
    byteAt(src, isoMonth - 1, end) === DASH &&
    digitRun(src, isoMonth, end) >= 2 &&
    byteAt(src, isoMonth + 2, end) === DASH &&
    digitRun(src, isoMonth + 3, end) >= 2;
  if (iso) {
    let o = at;
    o +=
      year === null
        ? copyBytes(src, start, start + isoYear, out, o)
        : copyBytes(year, 0, year.length, out, o);
    o += copyBytes(ISO_MONTH_DAY, 0, ISO_MONTH_DAY.length, out, o);
    return o - at + copyBytes(src, isoMonth + 5, end, out, o);
  }
  const separator = byteAt(src, start + 2, end);
  const numericYear = digitRun(src, start + 6, end);
  const numeric =
    digitRun(src, start, Math.min(start + 2, end)) === 2 &&
    (separator === SLASH || separator === DOT || separator === DASH) &&
    digitRun(src, start + 3, Math.min(start + 5, end)) === 2 &&
    byteAt(src, start + 5, end) === separator &&
    numericYear >= 4;
  if (!numeric) return WholeCellOutcome.Null;
  let o = at;
  out[o++] = ZERO;
  out[o++] = ONE;
  out[o++] = separator;
  out[o++] = ZERO;
  out[o++] = ONE;
  out[o++] = separator;
  o +=
    year === null
      ? copyBytes(src, start + 6, start + 6 + numericYear, out, o)
      : copyBytes(year, 0, year.length, out, o);
  return o - at + copyBytes(src, start + 6 + numericYear, end, out, o);
}

const ISO_MONTH_DAY = Buffer.from('-01-01');

function hasDigit(src: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (isDigit(src[i]!)) return true;
  return false;
}

/** Copies `src[start, end)` to `out` at `at`: cells are short, and a loop beats Buffer.copy's call for them. */
function copyBytes(src: Uint8Array, start: number, end: number, out: Uint8Array, at: number): number {
  for (let i = start; i < end; i++) out[at++] = src[i]!;
  return end - start;
}

/** Whether `a[aStart, aStart + length)` and `b[bStart, bStart + length)` hold the same bytes. */
function equalBytes(a: Uint8Array, aStart: number, b: Uint8Array, bStart: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (a[aStart + i] !== b[bStart + i]) return false;
  return true;
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
