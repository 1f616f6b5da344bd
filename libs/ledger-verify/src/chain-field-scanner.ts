import { isUtf8 } from 'node:buffer';
import type { ChainFields } from './chain-fields.ts';

// Bytes of JSON's structure (RFC 8259 section 2).
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const LOWER_E = 0x65;
const UPPER_E = 0x45;
const LOWER_U = 0x75;

// FNV-1a, 32-bit: http://www.isthe.com/chongo/tech/comp/fnv/
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Returned by the skip functions when the bytes leave the subset of JSON the scanner accepts. */
const FAIL = -1;
/** Nesting the scanner follows; deeper records are left to JSON.parse. */
const MAX_DEPTH = 32;
/** Digits of the largest seq read without JSON.parse: 15 digits stay below 2^53. */
const MAX_SEQ_DIGITS = 15;

const ascii = (text: string): Uint8Array => Uint8Array.from(text, (char) => char.charCodeAt(0));
const KEY_KIND = ascii('kind');
const KEY_TIME = ascii('time');
const KEY_SESSION = ascii('session');
const KEY_DETAILS = ascii('details');
const KIND_SESSION_CLOSED = ascii('session_closed');
// The session object exactly as RFC 8785 writes it: keys sorted, no whitespace.
const SESSION_OPEN = ascii('{"id":"');
const SESSION_PREV = ascii(',"prev":');
const SESSION_SEQ = ascii(',"seq":');
const NULL = ascii('null');
const TRUE = ascii('true');
const FALSE = ascii('false');

// Escapes JSON allows after a backslash, besides \u: " \ / b f n r t.
const SIMPLE_ESCAPE = new Uint8Array(256);
for (const char of '"\\/bfnrt') SIMPLE_ESCAPE[char.charCodeAt(0)] = 1;
const HEX_DIGIT = new Uint8Array(256);
for (const char of '0123456789abcdefABCDEF') HEX_DIGIT[char.charCodeAt(0)] = 1;
// session.prev must match /^[0-9a-f]{64}$/: lowercase only.
const LOWER_HEX_DIGIT = new Uint8Array(256);
for (const char of '0123456789abcdef') LOWER_HEX_DIGIT[char.charCodeAt(0)] = 1;

function matches(b: Uint8Array, at: number, expected: Uint8Array): boolean {
  if (at + expected.length > b.length) return false;
  for (let k = 0; k < expected.length; k++) if (b[at + k] !== expected[k]) return false;
  return true;
}

// What a byte inside a string asks of the string loop.
const PLAIN = 0;
const ENDS = 1;
const ESCAPES = 2;
const INVALID = 3;
const NON_ASCII = 4;
const IN_STRING = new Uint8Array(256);
IN_STRING.fill(INVALID, 0, 0x20);
IN_STRING[QUOTE] = ENDS;
IN_STRING[BACKSLASH] = ESCAPES;
IN_STRING.fill(NON_ASCII, 0x80, 0x100);

// Four-byte words for the string loop's fast path (SWAR, "SIMD within a register").
const ONES = 0x01010101;
const HIGH_BITS = 0x80808080;
const QUOTES = 0x22222222;
const BACKSLASHES = 0x5c5c5c5c;
const SPACES = 0x20202020;

/**
 * Flags the bytes of a little-endian `word` that are not PLAIN (`"`, `\`, below 0x20, above 0x7f)
 * by their high bit; 0 when all four are plain. `(x - ONES) & ~x` flags the zero bytes of x,
 * `word - SPACES` the bytes below 0x20, `word` itself those above 0x7f. A borrow can also flag a
 * byte above (later than) a flagged one, never below, so the lowest flag is always a true one.
 */
function specialBytes(word: number): number {
  const quotes = word ^ QUOTES;
  const backslashes = word ^ BACKSLASHES;
  const flags = ((quotes - ONES) & ~quotes) | ((backslashes - ONES) & ~backslashes) | (word - SPACES) | word;
  return flags & HIGH_BITS;
}

/** Scan state shared by the skip functions: set when a string holds a byte above 0x7f. */
let sawNonAscii = false;

// `at` is just past the opening quote; returns the index past the closing quote. Any escape is
// accepted, and any byte above 0x7f (the caller then validates the record as UTF-8); raw control
// characters are not. Plain bytes are stepped over four at a time, straight to the first byte
// that is not: strings are most of a record, and this halves the scan.
function skipString(b: Uint8Array, words: DataView, at: number): number {
  const end = b.length;
  let i = at;
  while (i < end) {
    if (i + 4 <= end) {
      const special = specialBytes(words.getUint32(i, true));
      if (special === 0) {
        i += 4;
        continue;
      }
      // Index of the lowest flagged byte: its high bit's position / 8.
      i += (31 - Math.clz32(special & -special)) >> 3;
    }
    const role = IN_STRING[b[i] as number];
    if (role === PLAIN) {
      i += 1;
    } else if (role === ENDS) {
      return i + 1;
    } else if (role === ESCAPES) {
      const escaped = b[i + 1] as number;
      if (escaped === LOWER_U) {
        if (i + 6 > end) return FAIL;
        for (let k = i + 2; k < i + 6; k++) if (HEX_DIGIT[b[k] as number] === 0) return FAIL;
        i += 6;
      } else if (i + 1 < end && SIMPLE_ESCAPE[escaped] === 1) {
        i += 2;
      } else {
        return FAIL;
      }
    } else if (role === NON_ASCII) {
      sawNonAscii = true;
      i += 1;
    } else {
      return FAIL;
    }
  }
  return FAIL;
}

// A string read as a key or field value: ASCII without escapes or control characters, so its
// bytes are its text. Returns the index past the closing quote, or FAIL.
function skipPlainString(b: Uint8Array, words: DataView, at: number): number {
  const end = b.length;
  let i = at;
  while (i + 4 <= end) {
    const special = specialBytes(words.getUint32(i, true));
    if (special !== 0) {
      i += (31 - Math.clz32(special & -special)) >> 3;
      return b[i] === QUOTE ? i + 1 : FAIL;
    }
    i += 4;
  }
  for (; i < end; i++) if (IN_STRING[b[i] as number] !== PLAIN) return b[i] === QUOTE ? i + 1 : FAIL;
  return FAIL;
}

function skipDigits(b: Uint8Array, at: number): number {
  let i = at;
  while (i < b.length && (b[i] as number) >= ZERO && (b[i] as number) <= NINE) i += 1;
  return i;
}

// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
function skipNumber(b: Uint8Array, at: number): number {
  let i = at;
  if (b[i] === MINUS) i += 1;
  if (b[i] === ZERO) {
    i += 1;
  } else {
    const digits = skipDigits(b, i);
    if (digits === i) return FAIL;
    i = digits;
  }
  if (b[i] === DOT) {
    const digits = skipDigits(b, i + 1);
    if (digits === i + 1) return FAIL;
    i = digits;
  }
  if (b[i] === LOWER_E || b[i] === UPPER_E) {
    i += 1;
    if (b[i] === PLUS || b[i] === MINUS) i += 1;
    const digits = skipDigits(b, i);
    if (digits === i) return FAIL;
    i = digits;
  }
  return i;
}

// Skips one JSON value without whitespace; returns the index past it, or FAIL.
function skipValue(b: Uint8Array, words: DataView, at: number, depth: number): number {
  const c = b[at];
  if (c === QUOTE) return skipString(b, words, at + 1);
  if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
    if (depth >= MAX_DEPTH) return FAIL;
    const close = c === OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY;
    let i = at + 1;
    if (b[i] === close) return i + 1;
    for (;;) {
      if (c === OPEN_OBJECT) {
        if (b[i] !== QUOTE) return FAIL;
        i = skipString(b, words, i + 1);
        if (i === FAIL || b[i] !== COLON) return FAIL;
        i += 1;
      }
      i = skipValue(b, words, i, depth + 1);
      if (i === FAIL) return FAIL;
      if (b[i] === close) return i + 1;
      if (b[i] !== COMMA) return FAIL;
      i += 1;
    }
  }
  if (c === NULL[0]) return matches(b, at, NULL) ? at + NULL.length : FAIL;
  if (c === TRUE[0]) return matches(b, at, TRUE) ? at + TRUE.length : FAIL;
  if (c === FALSE[0]) return matches(b, at, FALSE) ? at + FALSE.length : FAIL;
  if (c === MINUS || (c >= ZERO && c <= NINE)) return skipNumber(b, at);
  return FAIL;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameBytes(b: Uint8Array, start: number, end: number, expected: Uint8Array): boolean {
  return end - start === expected.length && matches(b, start, expected);
}

/**
 * Reads the chain fields of a record straight from its canonical bytes, for the replay's hot
 * loop: one pass over the bytes that checks they are UTF-8 JSON and finds the top-level `kind`,
 * `time`, `session` and `details`, with no JSON.parse and no objects built (a full parse per
 * record cost more than hashing it).
 *
 * Exact or nothing: `scan` returns true only when JSON.parse of the same bytes would succeed and
 * `readChainFields` would return exactly the fields read here. Anything outside the canonical
 * shape (whitespace, a byte-order mark, escapes in a top-level key or in the fields read, a
 * repeated kind, time or session key, a session object not written `{"id":…,"prev":…,"seq":…}`,
 * nesting deeper than 32) makes it return false, and the caller parses the record in full. Text
 * inside other strings cannot mislead it: it steps over every string, so `"session":{` inside
 * `details` is never taken for the key.
 *
 * One scanner is reused for every record; the offsets it holds describe the last record scanned.
 */
export class ChainFieldScanner {
  #bytes: Buffer = Buffer.alloc(0);
  // Offsets of the text of kind, time and session id: start, and end (the closing quote).
  #kindStart = 0;
  #kindEnd = 0;
  #timeStart = 0;
  #timeEnd = 0;
  #idStart = 0;
  #idEnd = 0;
  #idKey = 0;
  /** Offsets of the (last) details value, which JSON.parse would keep; start is -1 when absent. */
  #detailsStart = -1;
  #detailsEnd = 0;
  #closing = false;
  /** Offset of the prev hex digits, or -1 when prev is null. */
  #prev = -1;
  #seq = 0;

  /** Position in the session of the record last scanned. */
  get seq(): number {
    return this.#seq;
  }

  /** Scans one record; false when only a full JSON.parse can tell its fields. */
  scan(canonical: Uint8Array): boolean {
    const b = canonical;
    if (b[0] !== OPEN_OBJECT) return false;
    sawNonAscii = false;
    this.#detailsStart = FAIL;
    this.#bytes = Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
    const words = new DataView(b.buffer, b.byteOffset, b.byteLength);
    let kindAt = FAIL;
    let timeAt = FAIL;
    let sessionAt = FAIL;
    let i = 1;
    for (;;) {
      if (b[i] !== QUOTE) return false;
      const keyStart = i + 1;
      i = skipPlainString(b, words, keyStart);
      if (i === FAIL || b[i] !== COLON) return false;
      const keyEnd = i - 1;
      i += 1;
      if (sameBytes(b, keyStart, keyEnd, KEY_KIND)) {
        if (kindAt !== FAIL || b[i] !== QUOTE) return false;
        kindAt = i + 1;
        i = skipPlainString(b, words, kindAt);
        this.#kindStart = kindAt;
        this.#kindEnd = i - 1;
      } else if (sameBytes(b, keyStart, keyEnd, KEY_TIME)) {
        if (timeAt !== FAIL || b[i] !== QUOTE) return false;
        timeAt = i + 1;
        i = skipPlainString(b, words, timeAt);
        this.#timeStart = timeAt;
        this.#timeEnd = i - 1;
      } else if (sameBytes(b, keyStart, keyEnd, KEY_SESSION)) {
        if (sessionAt !== FAIL) return false;
        sessionAt = i;
        i = this.#session(b, words, i);
      } else if (sameBytes(b, keyStart, keyEnd, KEY_DETAILS)) {
        this.#detailsStart = i;
        i = skipValue(b, words, i, 1);
        this.#detailsEnd = i;
      } else {
        i = skipValue(b, words, i, 1);
      }
      if (i === FAIL) return false;
      if (b[i] === CLOSE_OBJECT) break;
      if (b[i] !== COMMA) return false;
      i += 1;
    }
    if (i + 1 !== b.length || kindAt === FAIL || timeAt === FAIL || sessionAt === FAIL) return false;
    // Bytes above 0x7f only pass inside strings; they must form UTF-8, as TextDecoder demands.
    if (sawNonAscii && !isUtf8(b)) return false;
    this.#closing = sameBytes(b, this.#kindStart, this.#kindEnd, KIND_SESSION_CLOSED);
    return true;
  }

  /** True when the record last scanned is a session_closed record (its claims are in `fields`). */
  get closing(): boolean {
    return this.#closing;
  }

  /**
   * A 32-bit hash (FNV-1a) of the session id bytes: lets the chain checker find the session
   * without building the id string. Two ids may share a key; see {@link sessionIdIs}.
   */
  get sessionKey(): number {
    return this.#idKey;
  }

  /** True when the last record's session id is `id`; compared in place. */
  sessionIdIs(id: string): boolean {
    const start = this.#idStart;
    if (id.length !== this.#idEnd - start) return false;
    const b = this.#bytes;
    for (let k = 0; k < id.length; k++) if (b[start + k] !== id.charCodeAt(k)) return false;
    return true;
  }

  /** Session id of the record last scanned. */
  sessionId(): string {
    return this.#bytes.toString('latin1', this.#idStart, this.#idEnd);
  }

  /** True when the last record's prev is null. */
  prevIsNull(): boolean {
    return this.#prev === FAIL;
  }

  /** True when the last record's prev is the (lowercase hex) hash `hex`; compared in place. */
  prevEquals(hex: string): boolean {
    const at = this.#prev;
    if (at === FAIL || hex.length !== 64) return false;
    const b = this.#bytes;
    for (let k = 0; k < 64; k++) if (b[at + k] !== hex.charCodeAt(k)) return false;
    return true;
  }

  /**
   * The chain fields of the record last scanned, as `readChainFields` returns them. A
   * session_closed record's claims come from JSON.parse of its details value alone: the scan
   * proved the record valid UTF-8 JSON, so that value parses as it would inside the record.
   */
  fields(): ChainFields {
    const text = this.#bytes;
    const prev = this.#prev;
    const fields = {
      kind: text.toString('latin1', this.#kindStart, this.#kindEnd),
      time: text.toString('latin1', this.#timeStart, this.#timeEnd),
      sessionId: this.sessionId(),
      seq: this.#seq,
      prev: prev === FAIL ? null : text.toString('latin1', prev, prev + 64),
    };
    if (!this.#closing) return fields;
    const details: unknown =
      this.#detailsStart === FAIL
        ? undefined
        : JSON.parse(text.toString('utf8', this.#detailsStart, this.#detailsEnd));
    const claims = isObject(details) ? details : {};
    return { ...fields, close: { chainHead: claims['chainHead'], recordCount: claims['recordCount'] } };
  }

  // The session object as RFC 8785 writes it; returns the index past it, or FAIL.
  #session(b: Uint8Array, words: DataView, at: number): number {
    if (!matches(b, at, SESSION_OPEN)) return FAIL;
    let i = at + SESSION_OPEN.length;
    this.#idStart = i;
    i = skipPlainString(b, words, i);
    if (i === FAIL) return FAIL;
    this.#idEnd = i - 1;
    let key = FNV_OFFSET;
    for (let k = this.#idStart; k < i - 1; k++) key = Math.imul(key ^ (b[k] as number), FNV_PRIME);
    this.#idKey = key;
    if (!matches(b, i, SESSION_PREV)) return FAIL;
    i += SESSION_PREV.length;
    if (matches(b, i, NULL)) {
      this.#prev = FAIL;
      i += NULL.length;
    } else {
      if (b[i] !== QUOTE || b[i + 65] !== QUOTE) return FAIL;
      for (let k = i + 1; k < i + 65; k++) if (LOWER_HEX_DIGIT[b[k] as number] === 0) return FAIL;
      this.#prev = i + 1;
      i += 66;
    }
    if (!matches(b, i, SESSION_SEQ)) return FAIL;
    i += SESSION_SEQ.length;
    const digits = skipDigits(b, i);
    const count = digits - i;
    if (count === 0 || count > MAX_SEQ_DIGITS || (b[i] === ZERO && count > 1)) return FAIL;
    let seq = 0;
    for (let k = i; k < digits; k++) seq = seq * 10 + ((b[k] as number) - ZERO);
    this.#seq = seq;
    if (b[digits] !== CLOSE_OBJECT) return FAIL;
    return digits + 1;
  }
}
