import { BufferReader } from './buffer-reader.ts';
import { BufferWriter } from './buffer-writer.ts';
import { BackendMessageCode } from './message-codes.ts';

/** ParameterStatus: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-PARAMETERSTATUS */
export interface ParameterStatus {
  /** Run-time parameter name, e.g. `server_version`, `client_encoding`. */
  readonly name: string;
  /** Its current value. */
  readonly value: string;
}

/** Decodes a ParameterStatus body. */
export function decodeParameterStatus(payload: Buffer): ParameterStatus {
  const reader = new BufferReader(payload, 'ParameterStatus');
  const name = reader.cstring();
  const value = reader.cstring();
  reader.expectEnd();
  return { name, value };
}

/** Encodes a ParameterStatus message. */
export function encodeParameterStatus(name: string, value: string): Buffer {
  return new BufferWriter(Buffer.byteLength(name) + Buffer.byteLength(value) + 2)
    .cstring(name)
    .cstring(value)
    .message(BackendMessageCode.ParameterStatus);
}
