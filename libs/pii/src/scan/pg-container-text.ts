/**
 * The text forms of PostgreSQL arrays (`{a,"b c",NULL}`, https://www.postgresql.org/docs/current/arrays.html#ARRAYS-IO)
 * and composite values (`(1,"a b",)`, https://www.postgresql.org/docs/current/rowtypes.html#ROWTYPES-IO-SYNTAX):
 * parsing into leaf elements with their raw positions, so that a masker can replace just the
 * elements it changes, and quoting a replacement exactly as `array_out` / `record_out` would, so
 * that the result still parses as the same type.
 */

/** Leaf elements of one array or composite text: raw `[start, end)` and decoded value (null = SQL NULL). */
export class ElementList {
  /** Offsets where each element's raw text starts (a quote included). */
  readonly starts: number[] = [];
  /** Offsets just after each element's raw text. */
  readonly ends: number[] = [];
  /** Decoded values; null for SQL NULL. */
  readonly values: (string | null)[] = [];
  /** Number of elements. */
  length = 0;

  /** Forgets every element (the arrays are reused). */
  clear(): void {
    this.length = 0;
  }

  /** Appends one element. */
  push(start: number, end: number, value: string | null): void {
    const i = this.length++;
    this.starts[i] = start;
    this.ends[i] = end;
    this.values[i] = value;
  }
}

/** Nesting limit of array braces; deeper text is not treated as an array (PostgreSQL allows 6 dimensions). */
const MAX_ARRAY_DEPTH = 16;
const QUOTE = 34; // "
const BACKSLASH = 92; // \
const OPEN_BRACE = 123; // {
const CLOSE_BRACE = 125; // }
const OPEN_PAREN = 40; // (
const CLOSE_PAREN = 41; // )
const COMMA = 44; // ,
/** `[1:3]` / `[-2:0]` / `[3]` in an array's dimension decoration. */
const DIMENSION = /^\s*[+-]?\d+\s*(?::\s*[+-]?\d+\s*)?$/;

/** Whitespace as `scanner_isspace` / C `isspace` see it: space, \t, \n, \v, \f, \r. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/**
 * Parses an array's text form (optionally with a `[1:2]=` dimension decoration) into its leaf
 * elements, in order, across all dimensions. Accepts what `array_in` accepts around elements
 * (whitespace, backslash escapes in unquoted elements). Returns false, leaving `out` partly
 * filled, when the text is not an array.
 */
export function parseArrayText(text: string, delimiter: string, out: ElementList): boolean {
  out.clear();
  let i = skipSpace(text, 0);
  if (text.charCodeAt(i) === 91 /* [ */) {
    while (text.charCodeAt(i) === 91) {
      const close = text.indexOf(']', i);
      if (close < 0 || !DIMENSION.test(text.slice(i + 1, close))) return false;
      i = skipSpace(text, close + 1);
    }
    if (text.charCodeAt(i) !== 61 /* = */) return false;
    i = skipSpace(text, i + 1);
  }
  if (text.charCodeAt(i) !== OPEN_BRACE) return false;
  const end = parseArrayLevel(text, i, delimiter.charCodeAt(0), out, 0);
  return end >= 0 && skipSpace(text, end) === text.length;
}

/** Parses `{...}` starting at `i`; returns the index after its `}` or -1. */
function parseArrayLevel(
  text: string,
  i: number,
  delimiter: number,
  out: ElementList,
  depth: number,
): number {
  if (depth >= MAX_ARRAY_DEPTH) return -1;
  i = skipSpace(text, i + 1);
  if (text.charCodeAt(i) === CLOSE_BRACE) return i + 1;
  for (;;) {
    i = skipSpace(text, i);
    const c = text.charCodeAt(i);
    if (c === OPEN_BRACE) i = parseArrayLevel(text, i, delimiter, out, depth + 1);
    else if (c === QUOTE) i = parseQuotedElement(text, i, out);
    else if (c === delimiter || c === CLOSE_BRACE || Number.isNaN(c)) return -1;
    else i = parseUnquotedElement(text, i, delimiter, out);
    if (i < 0) return -1;
    i = skipSpace(text, i);
    const next = text.charCodeAt(i);
    if (next === CLOSE_BRACE) return i + 1;
    if (next !== delimiter) return -1;
    i++;
  }
}

/** `"..."` with backslash escapes; returns the index after the closing quote or -1. */
function parseQuotedElement(text: string, i: number, out: ElementList): number {
  let j = i + 1;
  let escaped = false;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c === BACKSLASH) {
      escaped = true;
      j += 2;
    } else if (c === QUOTE) {
      out.push(i, j + 1, escaped ? unescape(text, i + 1, j) : text.slice(i + 1, j));
      return j + 1;
    } else j++;
  }
  return -1;
}

/** An unquoted element up to the delimiter or `}`: trailing whitespace trimmed, `NULL` is null. */
function parseUnquotedElement(text: string, i: number, delimiter: number, out: ElementList): number {
  let j = i;
  let end = i;
  let escaped = false;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c === BACKSLASH) {
      if (j + 1 >= text.length) return -1;
      escaped = true;
      j += 2;
      end = j;
      continue;
    }
    if (c === delimiter || c === CLOSE_BRACE) break;
    if (c === OPEN_BRACE || c === QUOTE) return -1;
    j++;
    if (!isSpace(c)) end = j;
  }
  if (j >= text.length) return -1;
  if (escaped) out.push(i, end, unescape(text, i, end));
  else {
    const raw = text.slice(i, end);
    out.push(i, end, raw.length === 4 && raw.toUpperCase() === 'NULL' ? null : raw);
  }
  return j;
}

/** The text of `[start, end)` with each backslash escape replaced by the character it escapes. */
function unescape(text: string, start: number, end: number): string {
  let out = '';
  let last = start;
  for (let j = start; j < end; j++) {
    if (text.charCodeAt(j) === BACKSLASH) {
      out += text.slice(last, j);
      last = ++j; // keep the escaped character
    }
  }
  return out + text.slice(last, end);
}

/**
 * Parses a composite value's text form into its fields, with `record_in`'s rules: an empty field
 * is NULL, `"..."` quotes (a doubled `""` is a quote), backslash escapes anywhere, whitespace kept.
 * Returns false, leaving `out` partly filled, when the text is not a composite value.
 */
export function parseRecordText(text: string, out: ElementList): boolean {
  out.clear();
  let i = skipSpace(text, 0);
  if (text.charCodeAt(i) !== OPEN_PAREN) return false;
  i++;
  // `()` is one NULL field (or a row of no columns, which masks the same way).
  for (;;) {
    const start = i;
    const first = text.charCodeAt(i);
    if (first === COMMA || first === CLOSE_PAREN) {
      out.push(start, start, null);
    } else {
      let inQuote = false;
      let quotes = 0;
      let escapes = 0;
      for (;;) {
        if (i >= text.length) return false;
        const c = text.charCodeAt(i);
        if (!inQuote && (c === COMMA || c === CLOSE_PAREN)) break;
        if (c === BACKSLASH) {
          if (i + 1 >= text.length) return false;
          escapes++;
          i += 2;
        } else if (c === QUOTE) {
          quotes++;
          if (inQuote && text.charCodeAt(i + 1) === QUOTE) {
            escapes++;
            i += 2;
          } else {
            inQuote = !inQuote;
            i++;
          }
        } else i++;
      }
      let value: string;
      if (quotes === 0 && escapes === 0) value = text.slice(start, i);
      else if (quotes === 2 && escapes === 0 && first === QUOTE && text.charCodeAt(i - 1) === QUOTE)
        value = text.slice(start + 1, i - 1);
      else value = decodeRecordField(text, start, i);
      out.push(start, i, value);
    }
    const c = text.charCodeAt(i);
    i++;
    if (c === CLOSE_PAREN) return skipSpace(text, i) === text.length;
  }
}

/** One field's value per `record_in`: quotes toggle, `""` inside quotes and `\x` give the character. */
function decodeRecordField(text: string, start: number, end: number): string {
  let out = '';
  let inQuote = false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) out += text[++i];
    else if (c === QUOTE) {
      if (inQuote && text.charCodeAt(i + 1) === QUOTE) out += text[++i];
      else inQuote = !inQuote;
    } else out += text[i];
  }
  return out;
}

/**
 * An array element as `array_out` prints it: quoted when empty, `NULL`, or holding `"`, `\`,
 * braces, the delimiter or whitespace; inside quotes `"` and `\` get a backslash.
 */
export function quoteArrayElement(value: string, delimiter: string): string {
  const d = delimiter.charCodeAt(0);
  let quote = value.length === 0 || (value.length === 4 && value.toUpperCase() === 'NULL');
  let escape = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === QUOTE || c === BACKSLASH) escape = true;
    else if (c === OPEN_BRACE || c === CLOSE_BRACE || c === d || isSpace(c)) quote = true;
  }
  if (escape) return `"${value.replace(/["\\]/g, '\\$&')}"`;
  return quote ? `"${value}"` : value;
}

/**
 * A composite field as `record_out` prints it: quoted when empty or holding `"`, `\`, parentheses,
 * a comma or whitespace; inside quotes `"` and `\` are doubled.
 */
export function quoteRecordField(value: string): string {
  let quote = value.length === 0;
  let escape = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === QUOTE || c === BACKSLASH) escape = true;
    else if (c === OPEN_PAREN || c === CLOSE_PAREN || c === COMMA || isSpace(c)) quote = true;
  }
  if (escape) return `"${value.replace(/["\\]/g, '$&$&')}"`;
  return quote ? `"${value}"` : value;
}
