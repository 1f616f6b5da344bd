import { BufferReader } from './buffer-reader.ts';
import { BufferWriter } from './buffer-writer.ts';
import { FrontendMessageCode } from './message-codes.ts';

/** Format codes of parameters and result columns. */
export const FormatCode = {
  /** Text representation. */
  Text: 0,
  /** Binary representation. */
  Binary: 1,
} as const;

/** A format code. */
export type FormatCode = (typeof FormatCode)[keyof typeof FormatCode];

/** Bind: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-BIND */
export interface BindMessage {
  /** Destination portal name; `''` is the unnamed portal. */
  readonly portal: string;
  /** Source prepared statement name; `''` is the unnamed statement. */
  readonly statement: string;
  /** Parameter format codes: none (all text), one (applies to all) or one per parameter. */
  readonly parameterFormats: readonly number[];
  /** Parameter values as views of the message (no copy); `null` is SQL NULL. */
  readonly parameters: readonly (Buffer | null)[];
  /** Result column format codes, with the same none/one/each convention. */
  readonly resultFormats: readonly number[];
}

/** Decodes a Bind body. Parameter values are views: copy one before keeping it past the chunk. */
export function decodeBind(payload: Buffer): BindMessage {
  const reader = new BufferReader(payload, 'Bind');
  const portal = reader.cstring();
  const statement = reader.cstring();
  const parameterFormats = readInt16List(reader, 'parameter format');
  const count = reader.count('parameter');
  if (parameterFormats.length > 1 && parameterFormats.length !== count) {
    throw reader.violation(`${parameterFormats.length} parameter formats for ${count} parameters`);
  }
  const parameters = new Array<Buffer | null>(count);
  for (let i = 0; i < count; i++) {
    const length = reader.int32();
    if (length < -1) throw reader.violation(`parameter ${i + 1} has length ${length}`);
    parameters[i] = length === -1 ? null : reader.bytes(length);
  }
  const resultFormats = readInt16List(reader, 'result format');
  reader.expectEnd();
  return { portal, statement, parameterFormats, parameters, resultFormats };
}

/** The format code that applies to parameter (or column) `index` under the none/one/each rule. */
export function formatCodeAt(formats: readonly number[], index: number): number {
  if (formats.length === 0) return FormatCode.Text;
  return formats.length === 1 ? formats[0]! : (formats[index] ?? FormatCode.Text);
}

/** Encodes a Bind message. String parameters are written as UTF-8. */
export function encodeBind(message: {
  readonly portal: string;
  readonly statement: string;
  readonly parameterFormats: readonly number[];
  readonly parameters: readonly (Uint8Array | string | null)[];
  readonly resultFormats: readonly number[];
}): Buffer {
  const writer = new BufferWriter(128).cstring(message.portal).cstring(message.statement);
  writer.int16(message.parameterFormats.length);
  for (const format of message.parameterFormats) writer.int16(format);
  writer.int16(message.parameters.length);
  for (const value of message.parameters) {
    if (value === null) {
      writer.int32(-1);
    } else if (typeof value === 'string') {
      writer.int32(Buffer.byteLength(value)).string(value);
    } else {
      writer.int32(value.length).bytes(value);
    }
  }
  writer.int16(message.resultFormats.length);
  for (const format of message.resultFormats) writer.int16(format);
  return writer.message(FrontendMessageCode.Bind);
}

function readInt16List(reader: BufferReader, what: string): number[] {
  const count = reader.count(what);
  const values = new Array<number>(count);
  for (let i = 0; i < count; i++) values[i] = reader.int16();
  return values;
}
