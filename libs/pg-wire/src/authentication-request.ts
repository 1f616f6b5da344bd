import { BufferReader } from './buffer-reader.ts';
import { BufferWriter } from './buffer-writer.ts';
import { AuthenticationType, BackendMessageCode } from './message-codes.ts';

/**
 * A decoded Authentication ('R') message:
 * https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-AUTHENTICATIONOK
 * and the sections after it.
 */
export interface AuthenticationRequest {
  /** Subtype, see {@link AuthenticationType}. */
  readonly type: number;
  /** Offered mechanisms for `Sasl`; empty otherwise. */
  readonly mechanisms: readonly string[];
  /** Bytes after the subtype: the salt for `Md5Password`, SASL data for `SaslContinue`/`SaslFinal` (view). */
  readonly data: Buffer;
}

/** Decodes an Authentication message body. */
export function decodeAuthenticationRequest(payload: Buffer): AuthenticationRequest {
  const reader = new BufferReader(payload, 'Authentication');
  const type = reader.int32();
  const mechanisms: string[] = [];
  if (type === AuthenticationType.Sasl) {
    for (let name = reader.cstring(); name !== ''; name = reader.cstring()) mechanisms.push(name);
    reader.expectEnd();
  }
  return { type, mechanisms, data: reader.rest() };
}

/** AuthenticationOk: the client is in. */
export function encodeAuthenticationOk(): Buffer {
  return new BufferWriter(4).int32(AuthenticationType.Ok).message(BackendMessageCode.Authentication);
}

/** AuthenticationCleartextPassword: how the edge asks for the bearer token (TLS required). */
export function encodeAuthenticationCleartextPassword(): Buffer {
  return new BufferWriter(4)
    .int32(AuthenticationType.CleartextPassword)
    .message(BackendMessageCode.Authentication);
}

/** AuthenticationSASL with the mechanisms offered, in preference order. */
export function encodeAuthenticationSasl(mechanisms: readonly string[]): Buffer {
  const writer = new BufferWriter(64).int32(AuthenticationType.Sasl);
  for (const mechanism of mechanisms) writer.cstring(mechanism);
  return writer.byte(0).message(BackendMessageCode.Authentication);
}

/** AuthenticationSASLContinue with a server challenge. */
export function encodeAuthenticationSaslContinue(data: Uint8Array): Buffer {
  return new BufferWriter(4 + data.length)
    .int32(AuthenticationType.SaslContinue)
    .bytes(data)
    .message(BackendMessageCode.Authentication);
}

/** AuthenticationSASLFinal with the server's final message. */
export function encodeAuthenticationSaslFinal(data: Uint8Array): Buffer {
  return new BufferWriter(4 + data.length)
    .int32(AuthenticationType.SaslFinal)
    .bytes(data)
    .message(BackendMessageCode.Authentication);
}
