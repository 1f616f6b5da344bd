/** One row of COPY text or CSV output, split into fields. */
export interface CopyRow {
  /** Field values after unescaping; null is SQL NULL. */
  readonly fields: (string | null)[];
  /** Each field exactly as written, so unmasked fields go back byte for byte. */
  readonly raw: readonly string[];
  /** The row terminator as written (`\n` or `\r\n`). */
  readonly terminator: string;
}

/** A COPY payload the codec cannot split: the COPY is refused rather than passed unmasked. */
export class CopyFormatError extends Error {
  override readonly name = 'CopyFormatError';
}

/** Splits CopyData payloads into rows and writes masked fields back in the same format. */
export interface CopyRowCodec {
  /** The rows of one CopyData payload (PostgreSQL sends one row per message; more are accepted). */
  decode(payload: string): CopyRow[];
  /** One field written for column `column`. */
  encodeField(value: string | null, column: number): string;
  /** Field separator. */
  readonly delimiter: string;
}

/** Writes a row back: masked fields encoded, untouched ones as they were. */
export function encodeCopyRow(codec: CopyRowCodec, row: CopyRow, masked: readonly (string | null)[]): string {
  let out = '';
  for (let i = 0; i < row.raw.length; i++) {
    if (i > 0) out += codec.delimiter;
    out += masked[i] === row.fields[i] ? row.raw[i]! : codec.encodeField(masked[i] ?? null, i);
  }
  return out + row.terminator;
}
