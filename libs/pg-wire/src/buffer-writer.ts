/** Bytes reserved in front of the body: a type byte and the Int32 length. */
const HEADER = 5;

/**
 * Growable writer that builds one message. The header space is reserved up front and the length
 * is filled in by {@link message} / {@link packet} once the body size is known, so encoders never
 * compute sizes twice. A writer is single-use: finishing hands its buffer to the caller.
 */
export class BufferWriter {
  private buffer: Buffer;
  private offset = HEADER;
  private finished = false;

  /** @param capacity expected body size; the buffer grows (doubling) when exceeded. */
  constructor(capacity = 64) {
    this.buffer = Buffer.allocUnsafe(HEADER + capacity);
  }

  /** Appends an unsigned byte. */
  byte(value: number): this {
    this.ensure(1);
    this.buffer[this.offset++] = value;
    return this;
  }

  /** Appends a big-endian Int16. */
  int16(value: number): this {
    this.ensure(2);
    this.offset = this.buffer.writeInt16BE(value, this.offset);
    return this;
  }

  /** Appends a big-endian signed Int32. */
  int32(value: number): this {
    this.ensure(4);
    this.offset = this.buffer.writeInt32BE(value, this.offset);
    return this;
  }

  /** Appends a big-endian unsigned Int32 (OIDs). */
  uint32(value: number): this {
    this.ensure(4);
    this.offset = this.buffer.writeUInt32BE(value, this.offset);
    return this;
  }

  /**
   * Appends a UTF-8 string followed by its NUL terminator. A NUL inside the value is refused: it
   * would end the string early and let the rest be read as further fields (injection).
   */
  cstring(value: string): this {
    if (value.includes('\0')) throw new RangeError('a protocol String cannot contain a NUL character');
    this.string(value);
    return this.byte(0);
  }

  /** Appends a UTF-8 string without terminator. */
  string(value: string): this {
    const length = Buffer.byteLength(value);
    this.ensure(length);
    this.offset += this.buffer.write(value, this.offset, length, 'utf8');
    return this;
  }

  /** Appends raw bytes. */
  bytes(value: Uint8Array): this {
    this.ensure(value.length);
    this.buffer.set(value, this.offset);
    this.offset += value.length;
    return this;
  }

  /** Finishes a tagged message: type byte, Int32 length (body + 4), body. */
  message(code: number): Buffer {
    this.finish();
    this.buffer[0] = code;
    this.buffer.writeInt32BE(this.offset - 1, 1);
    return this.buffer.subarray(0, this.offset);
  }

  /** Finishes an untagged startup-phase packet: Int32 length (body + 4), body. */
  packet(): Buffer {
    this.finish();
    this.buffer.writeInt32BE(this.offset - 1, 1);
    return this.buffer.subarray(1, this.offset);
  }

  private finish(): void {
    if (this.finished) throw new Error('BufferWriter already finished; create a new writer per message');
    this.finished = true;
  }

  private ensure(extra: number): void {
    const needed = this.offset + extra;
    if (needed <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < needed) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buffer.copy(grown, 0, 0, this.offset);
    this.buffer = grown;
  }
}
