import { ProtocolViolationError } from '@gatehouse/errors';

/**
 * Cursor over the bytes of one message. Every read is bounds-checked against the message end (not
 * the end of the underlying buffer, which may hold the next message), and an overrun throws
 * {@link ProtocolViolationError} naming the message: bytes come from a socket and are untrusted.
 *
 * Field types follow https://www.postgresql.org/docs/current/protocol-message-types.html
 * (Int16/Int32 big-endian, String = NUL-terminated UTF-8, Byten).
 */
export class BufferReader {
  /** Absolute position of the next byte to read in {@link buffer}. */
  offset: number;

  /**
   * @param buffer bytes holding the message (may be a larger chunk)
   * @param context message name used in error messages, e.g. `'Bind'`
   * @param start first byte to read
   * @param end one past the last byte that belongs to the message
   */
  constructor(
    readonly buffer: Buffer,
    readonly context: string,
    start = 0,
    readonly end: number = buffer.length,
  ) {
    this.offset = start;
  }

  /** Bytes left before the message end. */
  get remaining(): number {
    return this.end - this.offset;
  }

  /** Reads an unsigned byte. */
  byte(): number {
    this.need(1, 'Byte1');
    return this.buffer[this.offset++]!;
  }

  /** Reads a signed big-endian Int16. */
  int16(): number {
    this.need(2, 'Int16');
    const value = this.buffer.readInt16BE(this.offset);
    this.offset += 2;
    return value;
  }

  /** Reads a signed big-endian Int32. */
  int32(): number {
    this.need(4, 'Int32');
    const value = this.buffer.readInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  /** Reads an unsigned big-endian Int32 (OIDs are unsigned on the wire). */
  uint32(): number {
    this.need(4, 'Int32');
    const value = this.buffer.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  /** Reads a count (Int16) that must not be negative. */
  count(what: string): number {
    const value = this.int16();
    if (value < 0) throw this.violation(`negative ${what} count ${value}`);
    return value;
  }

  /** Reads a NUL-terminated UTF-8 string. */
  cstring(): string {
    const end = this.cstringEnd();
    const value = this.buffer.toString('utf8', this.offset, end);
    this.offset = end + 1;
    return value;
  }

  /** Reads a NUL-terminated string as a view of its bytes (terminator excluded), without decoding. */
  cstringBytes(): Buffer {
    const end = this.cstringEnd();
    const value = this.buffer.subarray(this.offset, end);
    this.offset = end + 1;
    return value;
  }

  /** Returns a view (no copy) of the next `length` bytes. */
  bytes(length: number): Buffer {
    if (length < 0) throw this.violation(`negative length ${length}`);
    this.need(length, `Byte${length}`);
    const value = this.buffer.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  /** Returns a view (no copy) of everything up to the message end. */
  rest(): Buffer {
    const value = this.buffer.subarray(this.offset, this.end);
    this.offset = this.end;
    return value;
  }

  /** Asserts the message has been consumed exactly: trailing bytes are a malformed message. */
  expectEnd(): void {
    if (this.offset !== this.end) {
      throw this.violation(`${this.end - this.offset} unexpected trailing byte(s)`);
    }
  }

  /** Builds the error for a malformed message, naming the message and position. */
  violation(problem: string): ProtocolViolationError {
    return new ProtocolViolationError(`invalid ${this.context} message: ${problem}`);
  }

  private need(length: number, field: string): void {
    if (this.offset + length > this.end) {
      throw this.violation(
        `${field} runs past the end of the message (${this.end - this.offset} byte(s) left)`,
      );
    }
  }

  private cstringEnd(): number {
    const end = this.buffer.indexOf(0, this.offset);
    if (end < 0 || end >= this.end) throw this.violation('unterminated string');
    return end;
  }
}
