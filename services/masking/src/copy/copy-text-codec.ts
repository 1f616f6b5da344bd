import type { CopyOptions } from './copy-options.ts';
import { CopyFormatError, type CopyRow, type CopyRowCodec } from './copy-row-codec.ts';

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};
const OUTPUT_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
};

/**
 * COPY's text format (https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.2):
 * one row per line, fields separated by the delimiter, `\N` (or the NULL string) for NULL, and
 * backslash escapes for backslash, newline, carriage return, tab and the delimiter, so a raw
 * newline always ends a row. Encoding follows PostgreSQL's CopyAttributeOutText.
 */
export class CopyTextCodec implements CopyRowCodec {
  readonly delimiter: string;
  readonly #nullString: string;
  readonly #needsEscape: RegExp;

  constructor(options: CopyOptions) {
    this.delimiter = options.delimiter;
    this.#nullString = options.nullString;
    this.#needsEscape = new RegExp(`[\\\\\\b\\f\\n\\r\\t\\v${escapeClass(options.delimiter)}]`, 'u');
  }

  decode(payload: string): CopyRow[] {
    if (!payload.endsWith('\n')) throw new CopyFormatError('a CopyData message does not end a row');
    const rows: CopyRow[] = [];
    let start = 0;
    while (start < payload.length) {
      const end = payload.indexOf('\n', start);
      let line = payload.slice(start, end);
      let terminator = '\n';
      // Data carriage returns are escaped, so a raw one can only belong to a \r\n terminator.
      if (line.endsWith('\r')) {
        line = line.slice(0, -1);
        terminator = '\r\n';
      }
      rows.push(this.#row(line, terminator));
      start = end + 1;
    }
    return rows;
  }

  encodeField(value: string | null): string {
    if (value === null) return this.#nullString;
    if (!this.#needsEscape.test(value)) return value;
    let out = '';
    for (const char of value) {
      // As CopyAttributeOutText: control characters take their letter escape even when one is the delimiter.
      const escaped = OUTPUT_ESCAPES[char];
      if (escaped !== undefined) out += escaped;
      else out += char === this.delimiter ? `\\${char}` : char;
    }
    return out;
  }

  #row(line: string, terminator: string): CopyRow {
    const raw: string[] = [];
    let fieldStart = 0;
    for (let i = 0; i < line.length; i++) {
      const char = line[i];
      if (char === '\\') i++;
      else if (char === this.delimiter) {
        raw.push(line.slice(fieldStart, i));
        fieldStart = i + 1;
      }
    }
    raw.push(line.slice(fieldStart));
    const fields = raw.map((text) => (text === this.#nullString ? null : unescape(text)));
    return { fields, raw, terminator };
  }
}

function unescape(text: string): string {
  if (!text.includes('\\')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char !== '\\' || i + 1 >= text.length) {
      out += char;
      continue;
    }
    const next = text[++i]!;
    const octal = /^[0-7]{1,3}/u.exec(text.slice(i, i + 3));
    const hex = next === 'x' ? /^[0-9a-fA-F]{1,2}/u.exec(text.slice(i + 1, i + 3)) : null;
    if (SIMPLE_ESCAPES[next] !== undefined) out += SIMPLE_ESCAPES[next];
    else if (octal) {
      out += String.fromCharCode(parseInt(octal[0], 8) & 0xff);
      i += octal[0].length - 1;
    } else if (hex) {
      out += String.fromCharCode(parseInt(hex[0], 16));
      i += hex[0].length;
    } else out += next;
  }
  return out;
}

function escapeClass(char: string): string {
  return char.replace(/[\\\]^-]/gu, '\\$&');
}
