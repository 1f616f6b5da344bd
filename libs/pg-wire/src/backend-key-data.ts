import { BufferReader } from './buffer-reader.ts';
import { BufferWriter } from './buffer-writer.ts';
import { BackendMessageCode } from './message-codes.ts';
import { CancelKeyLength } from './startup-message.ts';

/** BackendKeyData: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-BACKENDKEYDATA */
export interface BackendKeyData {
  /** Process id the client quotes in a CancelRequest. */
  readonly processId: number;
  /** Secret key: exactly 4 bytes under protocol 3.0, 4 to 256 bytes under 3.2. */
  readonly secretKey: Buffer;
}

/** Decodes a BackendKeyData body (the key is a view of the message). */
export function decodeBackendKeyData(payload: Buffer): BackendKeyData {
  const reader = new BufferReader(payload, 'BackendKeyData');
  const processId = reader.int32();
  const secretKey = reader.rest();
  if (secretKey.length < CancelKeyLength.Min || secretKey.length > CancelKeyLength.Max) {
    throw reader.violation(`secret key of ${secretKey.length} bytes (expected 4 to 256)`);
  }
  return { processId, secretKey };
}

/**
 * Encodes BackendKeyData. A key longer than 4 bytes is only valid once the connection negotiated
 * protocol 3.2: 3.0 clients (libpq since 18 checks this) reject it.
 */
export function encodeBackendKeyData(processId: number, secretKey: Uint8Array): Buffer {
  if (secretKey.length < CancelKeyLength.Min || secretKey.length > CancelKeyLength.Max) {
    throw new RangeError(`secret key must be 4 to 256 bytes, got ${secretKey.length}`);
  }
  return new BufferWriter(4 + secretKey.length)
    .int32(processId)
    .bytes(secretKey)
    .message(BackendMessageCode.BackendKeyData);
}
