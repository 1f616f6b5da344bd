import { BufferReader } from './buffer-reader.ts';
import { BufferWriter } from './buffer-writer.ts';
import { FrontendMessageCode } from './message-codes.ts';

/** Query (simple protocol): https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-QUERY */
export interface QueryMessage {
  /** The SQL text; may hold several statements separated by semicolons. */
  readonly sql: string;
}

/** Decodes a Query body. */
export function decodeQuery(payload: Buffer): QueryMessage {
  const reader = new BufferReader(payload, 'Query');
  const sql = reader.cstring();
  reader.expectEnd();
  return { sql };
}

/** Encodes a Query message. */
export function encodeQuery(sql: string): Buffer {
  return new BufferWriter(Buffer.byteLength(sql) + 1).cstring(sql).message(FrontendMessageCode.Query);
}
