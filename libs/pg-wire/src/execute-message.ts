import { BufferReader } from './buffer-reader.ts';
import { BufferWriter } from './buffer-writer.ts';
import { FrontendMessageCode } from './message-codes.ts';

/** Execute: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-EXECUTE */
export interface ExecuteMessage {
  /** Portal to run; `''` is the unnamed portal. */
  readonly portal: string;
  /** Row limit as sent (Int32); zero or negative means no limit, as in PostgreSQL. */
  readonly maxRows: number;
}

/** Decodes an Execute body. */
export function decodeExecute(payload: Buffer): ExecuteMessage {
  const reader = new BufferReader(payload, 'Execute');
  const portal = reader.cstring();
  const maxRows = reader.int32();
  reader.expectEnd();
  return { portal, maxRows };
}

/** Encodes an Execute message. */
export function encodeExecute(message: ExecuteMessage): Buffer {
  return new BufferWriter(Buffer.byteLength(message.portal) + 5)
    .cstring(message.portal)
    .int32(message.maxRows)
    .message(FrontendMessageCode.Execute);
}
