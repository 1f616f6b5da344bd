import { MessageTooLargeError, ProtocolViolationError } from '@gatehouse/errors';
import { Frame, MESSAGE_HEADER_LENGTH } from './frame.ts';
import { describeMessageCode } from './message-codes.ts';

/** Default cap on one message's length field: 64 MiB (PostgreSQL's own hard limit is 1 GiB). */
export const DEFAULT_MAX_MESSAGE_SIZE = 64 * 1024 * 1024;

/** Which peer the bytes come from; named in errors so logs say who broke the protocol. */
export const MessageSource = {
  /** Client → edge bytes (frontend messages). */
  Frontend: 'frontend',
  /** Upstream server → edge bytes (backend messages). */
  Backend: 'backend',
} as const;

/** Which peer a framer reads. */
export type MessageSource = (typeof MessageSource)[keyof typeof MessageSource];

/** Options of a {@link MessageFramer}. */
export interface MessageFramerOptions {
  /** Whose bytes these are; only changes error messages. Default `frontend`. */
  readonly source?: MessageSource;
  /** Largest accepted length field (body + 4) in bytes. Default {@link DEFAULT_MAX_MESSAGE_SIZE}. */
  readonly maxMessageSize?: number;
}

/**
 * Streaming, synchronous splitter of tagged protocol messages (1-byte type + Int32 length + body),
 * the same framing in both directions after startup. Feed socket chunks with {@link push}; pull
 * complete messages with {@link next} until it returns `null`.
 *
 * A message that lies within one chunk is returned as a view of that chunk (no copy). Only a
 * message split across chunks is reassembled, once, when its last byte arrives; until then the
 * framer keeps references to the pieces, so memory grows with bytes received, never with what a
 * length field merely claims.
 *
 * ```ts
 * framer.push(chunk);
 * for (let frame = framer.next(); frame !== null; frame = framer.next()) forward(frame.message());
 * ```
 */
export class MessageFramer {
  /** Largest accepted length field. */
  readonly maxMessageSize: number;
  /** Whose bytes this framer reads. */
  readonly source: MessageSource;

  // Chunks pushed but not fully consumed; `queue[0]` is read from `offset`.
  private readonly queue: Buffer[] = [];
  private offset = 0;
  // A message split across chunks: its pieces (views of the chunks) and sizes.
  private readonly pieces: Buffer[] = [];
  private pieceBytes = 0;
  private pendingTotal = -1; // code + length + body; -1 until the 5 header bytes are in
  private readonly header = Buffer.alloc(MESSAGE_HEADER_LENGTH);
  private failed: Error | null = null;

  constructor(options: MessageFramerOptions = {}) {
    this.maxMessageSize = options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
    this.source = options.source ?? MessageSource.Frontend;
    if (!Number.isInteger(this.maxMessageSize) || this.maxMessageSize < 4) {
      throw new RangeError(`maxMessageSize must be an integer >= 4, got ${this.maxMessageSize}`);
    }
  }

  /** Bytes pushed but not yet returned as frames. */
  get bufferedBytes(): number {
    let total = this.pieceBytes - this.offset;
    for (const chunk of this.queue) total += chunk.length;
    return total;
  }

  /** Queues a chunk. The framer keeps views of it: do not reuse the chunk's memory afterwards. */
  push(chunk: Buffer): void {
    if (this.failed) throw this.failed;
    if (chunk.length > 0) this.queue.push(chunk);
  }

  /**
   * Returns the next complete message, or `null` when more bytes are needed. Throws
   * {@link ProtocolViolationError} for a length below 4 and {@link MessageTooLargeError} above the
   * cap; after either the framer stays failed, because the stream can no longer be resynchronised.
   */
  next(): Frame | null {
    if (this.failed) throw this.failed;
    while (this.queue.length > 0) {
      const chunk = this.queue[0]!;
      const frame = this.pieces.length > 0 ? this.continueSplit(chunk) : this.fromChunk(chunk);
      if (this.offset === chunk.length) {
        this.queue.shift();
        this.offset = 0;
      }
      if (frame) return frame;
    }
    return null;
  }

  /**
   * Removes and returns every byte not yet returned as a frame (e.g. to hand a connection to
   * another reader). Returns an empty buffer when nothing is buffered.
   */
  takeBuffered(): Buffer {
    // While the header is incomplete, pieces[0] is the scratch header holding `pieceBytes` bytes.
    const parts =
      this.pendingTotal < 0 && this.pieces.length > 0
        ? [Buffer.from(this.header.subarray(0, this.pieceBytes))]
        : [...this.pieces];
    const first = this.queue[0];
    if (first) parts.push(first.subarray(this.offset), ...this.queue.slice(1));
    this.pieces.length = 0;
    this.pieceBytes = 0;
    this.pendingTotal = -1;
    this.queue.length = 0;
    this.offset = 0;
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  // Fast path: messages that start in this chunk; they are views unless they run past its end.
  private fromChunk(chunk: Buffer): Frame | null {
    const start = this.offset;
    const available = chunk.length - start;
    if (available < MESSAGE_HEADER_LENGTH) {
      this.stashHeader(chunk, start, available);
      return null;
    }
    const total = this.checkedTotal(chunk[start]!, chunk.readInt32BE(start + 1));
    if (total <= available) {
      this.offset = start + total;
      return new Frame(chunk[start]!, chunk, start, start + total);
    }
    this.pieces.push(chunk.subarray(start));
    this.pieceBytes = available;
    this.pendingTotal = total;
    this.offset = chunk.length;
    return null;
  }

  // Slow path: the current message began in an earlier chunk.
  private continueSplit(chunk: Buffer): Frame | null {
    if (this.pendingTotal < 0) {
      const take = Math.min(MESSAGE_HEADER_LENGTH - this.pieceBytes, chunk.length - this.offset);
      chunk.copy(this.header, this.pieceBytes, this.offset, this.offset + take);
      this.offset += take;
      this.pieceBytes += take;
      if (this.pieceBytes < MESSAGE_HEADER_LENGTH) return null;
      this.pendingTotal = this.checkedTotal(this.header[0]!, this.header.readInt32BE(1));
      // The scratch header is reused, so the message keeps its own copy of those 5 bytes.
      this.pieces[0] = Buffer.from(this.header);
    }
    const take = Math.min(this.pendingTotal - this.pieceBytes, chunk.length - this.offset);
    if (take > 0) {
      this.pieces.push(chunk.subarray(this.offset, this.offset + take));
      this.offset += take;
      this.pieceBytes += take;
    }
    if (this.pieceBytes < this.pendingTotal) return null;
    const total = this.pendingTotal;
    const message = this.pieces.length === 1 ? this.pieces[0]! : Buffer.concat(this.pieces, total);
    this.pieces.length = 0;
    this.pieceBytes = 0;
    this.pendingTotal = -1;
    return new Frame(message[0]!, message, 0, total);
  }

  private stashHeader(chunk: Buffer, start: number, available: number): void {
    chunk.copy(this.header, 0, start, start + available);
    this.pieces.push(this.header); // placeholder until the header completes
    this.pieceBytes = available;
    this.pendingTotal = -1;
    this.offset = chunk.length;
  }

  private checkedTotal(code: number, length: number): number {
    if (length < 4) {
      this.failed = new ProtocolViolationError(
        `invalid ${this.source} message length ${length} for message type ${describeMessageCode(code)}`,
      );
      throw this.failed;
    }
    if (length > this.maxMessageSize) {
      this.failed = new MessageTooLargeError(
        `${this.source} message type ${describeMessageCode(code)} of ${length} bytes exceeds the ${this.maxMessageSize}-byte limit`,
      );
      throw this.failed;
    }
    return length + 1;
  }
}
