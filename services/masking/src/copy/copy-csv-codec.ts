import type { CopyOptions } from './copy-options.ts';
import { CopyFormatError, type CopyRow, type CopyRowCodec } from './copy-row-codec.ts';

/**
 * COPY's CSV format (https://www.postgresql.org/docs/current/sql-copy.html#COPY-FILE-FORMATS):
 * fields separated by the delimiter, quoted where needed, the escape character doubling quotes
 * inside quotes, NULL as the unquoted NULL string (empty by default). Quoted fields may hold
 * newlines, so rows end at a newline outside quotes. Encoding follows PostgreSQL's
 * CopyAttributeOutCSV: a value is quoted when FORCE_QUOTE says so, when it equals the NULL string,
 * or when it holds the delimiter, the quote, a carriage return or a newline.
 */
export class CopyCsvCodec implements CopyRowCodec {
  readonly delimiter: string;
  readonly #quote: string;
  readonly #escape: string;
  readonly #nullString: string;
  readonly #forceQuote: (column: number) => boolean;

  constructor(options: CopyOptions, columnNames: readonly string[]) {
    this.delimiter = options.delimiter;
    this.#quote = options.quote;
    this.#escape = options.escape;
    this.#nullString = options.nullString;
    const forced = options.forceQuote;
    this.#forceQuote =
      forced === '*' ? () => true : (column) => forced.includes(columnNames[column] ?? '\u0000');
  }

  decode(payload: string): CopyRow[] {
    const rows: CopyRow[] = [];
    const quote = this.#quote;
    const escape = this.#escape;
    let raw: string[] = [];
    let fields: (string | null)[] = [];
    let fieldStart = 0;
    let value = '';
    let quoted = false;
    let inQuote = false;
    const endField = (end: number): void => {
      const text = payload.slice(fieldStart, end);
      raw.push(text);
      fields.push(!quoted && text === this.#nullString ? null : value);
      value = '';
      quoted = false;
    };
    for (let i = 0; i < payload.length; i++) {
      const char = payload[i]!;
      if (inQuote) {
        const next = payload[i + 1];
        if (char === escape && (next === quote || next === escape)) {
          value += next;
          i++;
        } else if (char === quote) inQuote = false;
        else value += char;
      } else if (char === quote) {
        inQuote = true;
        quoted = true;
      } else if (char === this.delimiter) {
        endField(i);
        fieldStart = i + 1;
      } else if (char === '\n' || (char === '\r' && payload[i + 1] === '\n')) {
        endField(i);
        const terminator = char === '\r' ? '\r\n' : '\n';
        rows.push({ fields, raw, terminator });
        i += terminator.length - 1;
        raw = [];
        fields = [];
        fieldStart = i + 1;
      } else value += char;
    }
    if (inQuote || fieldStart !== payload.length) {
      throw new CopyFormatError('a CopyData message does not end a CSV row');
    }
    return rows;
  }

  encodeField(value: string | null, column: number): string {
    if (value === null) return this.#nullString;
    const quote = this.#quote;
    const needsQuote =
      this.#forceQuote(column) ||
      value === this.#nullString ||
      (column === 0 && value.startsWith('\\.')) ||
      value.includes(this.delimiter) ||
      value.includes(quote) ||
      value.includes('\n') ||
      value.includes('\r');
    if (!needsQuote) return value;
    let out = quote;
    for (const char of value) {
      if (char === quote || char === this.#escape) out += this.#escape;
      out += char;
    }
    return out + quote;
  }
}
