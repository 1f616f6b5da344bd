import { BufferReader } from './buffer-reader.ts';
import { BufferWriter } from './buffer-writer.ts';
import { BackendMessageCode, protocolMajor, protocolMinor, protocolVersion } from './message-codes.ts';
import type { ProtocolNegotiation } from './startup-message.ts';

/**
 * NegotiateProtocolVersion, sent before authentication when the client asked for a newer minor
 * version or for `_pq_.` options the server does not know:
 * https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-NEGOTIATEPROTOCOLVERSION
 * The Int32 is a whole version number (major << 16 | minor), as servers send and libpq reads it.
 */
export interface NegotiateProtocolVersion extends ProtocolNegotiation {
  /** Major version (3). */
  readonly majorVersion: number;
}

/** Encodes a NegotiateProtocolVersion message from a startup negotiation result. */
export function encodeNegotiateProtocolVersion(negotiation: ProtocolNegotiation): Buffer {
  const writer = new BufferWriter(64)
    .int32(protocolVersion(3, negotiation.minorVersion))
    .int32(negotiation.unsupportedOptions.length);
  for (const option of negotiation.unsupportedOptions) writer.cstring(option);
  return writer.message(BackendMessageCode.NegotiateProtocolVersion);
}

/** Decodes a NegotiateProtocolVersion body. */
export function decodeNegotiateProtocolVersion(payload: Buffer): NegotiateProtocolVersion {
  const reader = new BufferReader(payload, 'NegotiateProtocolVersion');
  const version = reader.int32();
  const count = reader.int32();
  if (count < 0) throw reader.violation(`negative option count ${count}`);
  const unsupportedOptions: string[] = [];
  for (let i = 0; i < count; i++) unsupportedOptions.push(reader.cstring());
  reader.expectEnd();
  return { majorVersion: protocolMajor(version), minorVersion: protocolMinor(version), unsupportedOptions };
}
