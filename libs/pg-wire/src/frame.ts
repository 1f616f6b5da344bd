/** Bytes in front of every tagged message body: the type byte and the Int32 length. */
export const MESSAGE_HEADER_LENGTH = 5;

/**
 * One complete tagged message located in a buffer: `buffer[start]` is the type byte and
 * `buffer[start + 1 .. start + 5]` the Int32 length, which counts itself and the body but not the
 * type byte (https://www.postgresql.org/docs/current/protocol-overview.html#PROTOCOL-MESSAGE-CONCEPTS).
 *
 * `buffer` is the caller's own chunk whenever the message arrived within one chunk, so
 * {@link message} and {@link payload} are views that share its memory: forwarding them costs no
 * copy, and the caller must not reuse a chunk it has pushed while frames of it are alive.
 */
export class Frame {
  constructor(
    /** Message type byte (see `FrontendMessageCode` / `BackendMessageCode`). */
    readonly code: number,
    /** Buffer holding the message: the pushed chunk, or a reassembled copy for split messages. */
    readonly buffer: Buffer,
    /** Offset of the type byte in {@link buffer}. */
    readonly start: number,
    /** Offset one past the last byte of the message in {@link buffer}. */
    readonly end: number,
  ) {}

  /** The Int32 length field: body plus the 4 length bytes, without the type byte. */
  get length(): number {
    return this.end - this.start - 1;
  }

  /** Offset of the first body byte in {@link buffer}. */
  get payloadStart(): number {
    return this.start + MESSAGE_HEADER_LENGTH;
  }

  /** The whole message (type byte, length, body) as a view, for forwarding as-is. */
  message(): Buffer {
    return this.buffer.subarray(this.start, this.end);
  }

  /** The body after the length field as a view, for decoders. */
  payload(): Buffer {
    return this.buffer.subarray(this.start + MESSAGE_HEADER_LENGTH, this.end);
  }
}
