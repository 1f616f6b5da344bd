import { BufferReader } from './buffer-reader.ts';
import { BufferWriter } from './buffer-writer.ts';
import { FrontendMessageCode } from './message-codes.ts';

/**
 * The frontend 'p' family. The type byte does not say which one arrived; the authentication request
 * the edge sent does (cleartext → PasswordMessage; SASL → SASLInitialResponse, then SASLResponse).
 * https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-PASSWORDMESSAGE
 */
export interface PasswordMessage {
  /**
   * The password bytes, terminator excluded, as a view of the message. The edge receives a bearer
   * token here, so it is bytes (bounded only by the framer's message cap) and never logged.
   */
  readonly password: Buffer;
}

/** SASLInitialResponse: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-SASLINITIALRESPONSE */
export interface SaslInitialResponse {
  /** Chosen SASL mechanism, e.g. `SCRAM-SHA-256`. */
  readonly mechanism: string;
  /** Mechanism-specific initial response (view), or `null` when absent (length -1). */
  readonly initialResponse: Buffer | null;
}

/** SASLResponse: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-SASLRESPONSE */
export interface SaslResponse {
  /** Mechanism-specific data (view). */
  readonly data: Buffer;
}

/** Decodes a PasswordMessage body. */
export function decodePasswordMessage(payload: Buffer): PasswordMessage {
  const reader = new BufferReader(payload, 'PasswordMessage');
  const password = reader.cstringBytes();
  reader.expectEnd();
  return { password };
}

/** Decodes a SASLInitialResponse body. */
export function decodeSaslInitialResponse(payload: Buffer): SaslInitialResponse {
  const reader = new BufferReader(payload, 'SASLInitialResponse');
  const mechanism = reader.cstring();
  const length = reader.int32();
  if (length < -1) throw reader.violation(`initial response length ${length}`);
  const initialResponse = length === -1 ? null : reader.bytes(length);
  reader.expectEnd();
  return { mechanism, initialResponse };
}

/** Decodes a SASLResponse body. */
export function decodeSaslResponse(payload: Buffer): SaslResponse {
  return { data: new BufferReader(payload, 'SASLResponse').rest() };
}

/** Encodes a PasswordMessage. */
export function encodePasswordMessage(password: string | Uint8Array): Buffer {
  const writer = new BufferWriter(
    typeof password === 'string' ? Buffer.byteLength(password) + 1 : password.length + 1,
  );
  if (typeof password === 'string') writer.string(password);
  else writer.bytes(password);
  return writer.byte(0).message(FrontendMessageCode.PasswordMessage);
}

/** Encodes a SASLInitialResponse. */
export function encodeSaslInitialResponse(mechanism: string, initialResponse: Uint8Array | null): Buffer {
  const writer = new BufferWriter(64 + (initialResponse?.length ?? 0)).cstring(mechanism);
  if (initialResponse === null) writer.int32(-1);
  else writer.int32(initialResponse.length).bytes(initialResponse);
  return writer.message(FrontendMessageCode.PasswordMessage);
}

/** Encodes a SASLResponse. */
export function encodeSaslResponse(data: Uint8Array): Buffer {
  return new BufferWriter(data.length).bytes(data).message(FrontendMessageCode.PasswordMessage);
}
