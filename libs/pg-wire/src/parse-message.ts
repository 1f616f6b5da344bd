import { BufferReader } from './buffer-reader.ts';
import { BufferWriter } from './buffer-writer.ts';
import { FrontendMessageCode } from './message-codes.ts';

/** Parse: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-PARSE */
export interface ParseMessage {
  /** Prepared statement name; `''` is the unnamed statement. */
  readonly statement: string;
  /** The SQL text (one statement). */
  readonly query: string;
  /** Parameter type OIDs the client pre-specified; 0 leaves a type unspecified. */
  readonly parameterTypes: readonly number[];
}

/** Decodes a Parse body. */
export function decodeParse(payload: Buffer): ParseMessage {
  const reader = new BufferReader(payload, 'Parse');
  const statement = reader.cstring();
  const query = reader.cstring();
  const count = reader.count('parameter type');
  const parameterTypes = new Array<number>(count);
  for (let i = 0; i < count; i++) parameterTypes[i] = reader.uint32();
  reader.expectEnd();
  return { statement, query, parameterTypes };
}

/** Encodes a Parse message. */
export function encodeParse(message: ParseMessage): Buffer {
  const writer = new BufferWriter(Buffer.byteLength(message.query) + 64)
    .cstring(message.statement)
    .cstring(message.query)
    .int16(message.parameterTypes.length);
  for (const oid of message.parameterTypes) writer.uint32(oid);
  return writer.message(FrontendMessageCode.Parse);
}
