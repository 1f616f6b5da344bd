/**
 * The single unframed byte a server answers an SSLRequest or GSSENCRequest with:
 * https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-SSL
 */
export const EncryptionResponse = {
  /** 'S': SSLRequest accepted; the TLS handshake follows. */
  SslAccepted: 0x53,
  /** 'G': GSSENCRequest accepted; GSSAPI encryption setup follows. */
  GssAccepted: 0x47,
  /** 'N': refused; the client may send a StartupMessage in the clear (or another request). */
  Refused: 0x4e,
} as const;

/** An answer byte to an encryption request. */
export type EncryptionResponse = (typeof EncryptionResponse)[keyof typeof EncryptionResponse];

/** Encodes the one-byte answer to an encryption request. */
export function encodeEncryptionResponse(response: EncryptionResponse): Buffer {
  return Buffer.of(response);
}
