/** How the rows of a textual COPY are written (https://www.postgresql.org/docs/current/sql-copy.html). */
export interface CopyOptions {
  /** `text`, `csv` or `binary`. */
  readonly format: 'text' | 'csv' | 'binary';
  /** Field separator (one character): tab in text, comma in CSV by default. */
  readonly delimiter: string;
  /** The string that stands for SQL NULL: `\N` in text, an unquoted empty field in CSV. */
  readonly nullString: string;
  /** CSV quote character. */
  readonly quote: string;
  /** CSV escape character (defaults to the quote). */
  readonly escape: string;
  /** CSV: the first row names the columns. */
  readonly header: boolean;
  /** CSV FORCE_QUOTE: columns whose non-NULL values are always quoted (`*` = all). */
  readonly forceQuote: readonly string[] | '*';
}

/** Defaults of a format, before the statement's options apply. */
export function defaultCopyOptions(format: CopyOptions['format']): CopyOptions {
  const csv = format === 'csv';
  return {
    format,
    delimiter: csv ? ',' : '\t',
    nullString: csv ? '' : '\\N',
    quote: '"',
    escape: '"',
    header: false,
    forceQuote: [],
  };
}
