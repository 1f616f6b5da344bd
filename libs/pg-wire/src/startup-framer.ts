import { MessageTooLargeError, ProtocolViolationError } from '@gatehouse/errors';

/**
 * PostgreSQL's own cap on a startup packet (`MAX_STARTUP_PACKET_LENGTH` in
 * src/include/libpq/pqcomm.h): a client cannot make the server buffer more before authenticating.
 */
export const MAX_STARTUP_PACKET_LENGTH = 10_000;

/** Smallest startup packet: the Int32 length plus the Int32 version or request code. */
const MIN_STARTUP_PACKET_LENGTH = 8;

/** First byte of a TLS record carrying a handshake (ClientHello), RFC 8446 section 5.1. */
const TLS_HANDSHAKE_RECORD = 0x16;

/** Options of a {@link StartupFramer}. */
export interface StartupFramerOptions {
  /** Largest accepted startup packet, length field included. Default {@link MAX_STARTUP_PACKET_LENGTH}. */
  readonly maxPacketLength?: number;
}

/**
 * Splits the untagged packets of the startup phase (Int32 length including itself, then the body:
 * https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-START-UP). A connection
 * may send several: an SSLRequest or GSSENCRequest answered 'N' is followed by a StartupMessage.
 * Returns each whole packet (length included) for `decodeStartupPacket`. Call {@link next} only
 * while a startup packet is expected: after a StartupMessage (or an accepted encryption request)
 * the following bytes are not startup packets; take them with {@link takeBuffered}.
 */
export class StartupFramer {
  /** Largest accepted packet. */
  readonly maxPacketLength: number;
  private buffered: Buffer = Buffer.alloc(0);

  constructor(options: StartupFramerOptions = {}) {
    this.maxPacketLength = options.maxPacketLength ?? MAX_STARTUP_PACKET_LENGTH;
  }

  /** Bytes pushed but not yet returned as packets. */
  get bufferedBytes(): number {
    return this.buffered.length;
  }

  /** Queues a chunk from the socket. */
  push(chunk: Buffer): void {
    // Startup packets are small and rare, so plain concatenation is the simplest correct choice.
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
  }

  /**
   * Returns the next whole packet, or `null` when more bytes are needed. Throws
   * {@link ProtocolViolationError} for a length below 8 and {@link MessageTooLargeError} above the cap.
   */
  next(): Buffer | null {
    if (this.buffered.length < 4) return null;
    const length = this.buffered.readInt32BE(0);
    if (length < MIN_STARTUP_PACKET_LENGTH) {
      throw new ProtocolViolationError(`invalid length of startup packet: ${length}`);
    }
    if (length > this.maxPacketLength) {
      throw new MessageTooLargeError(
        `startup packet of ${length} bytes exceeds the ${this.maxPacketLength}-byte limit`,
      );
    }
    if (this.buffered.length < length) return null;
    const packet = this.buffered.subarray(0, length);
    this.buffered = this.buffered.subarray(length);
    return packet;
  }

  /**
   * Removes and returns the bytes buffered after the last packet. After an SSLRequest is accepted
   * this must be empty: bytes sent before the TLS handshake were not protected by it, and PostgreSQL
   * refuses them (CVE-2021-23214); after the StartupMessage they are the first tagged messages.
   */
  takeBuffered(): Buffer {
    const rest = this.buffered;
    this.buffered = Buffer.alloc(0);
    return rest;
  }
}

/**
 * True when a connection's first bytes are a TLS handshake record rather than a startup packet:
 * PostgreSQL 17+ clients with `sslnegotiation=direct` start TLS without an SSLRequest
 * (https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-SSL). No startup packet
 * can start with 0x16, as that length would exceed {@link MAX_STARTUP_PACKET_LENGTH}.
 */
export function isTlsHandshake(firstBytes: Buffer): boolean {
  return firstBytes.length > 0 && firstBytes[0] === TLS_HANDSHAKE_RECORD;
}
