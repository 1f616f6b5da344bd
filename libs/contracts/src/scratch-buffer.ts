/** Buffers larger than this serve one batch and are not kept (a huge batch stays a one-off). */
const DEFAULT_MAX_KEPT_BYTES = 4 * 1024 * 1024;

/**
 * A process-wide scratch buffer for a synchronous encoder: a batch is written into it and copied
 * out once its size is known, so there is no size pass and no fresh large buffer per batch (every
 * new buffer is external memory, and its growth makes V8 collect garbage more often). A batch
 * that outgrows it gets a larger one, kept for later batches unless it is huge.
 */
export class ScratchBuffer {
  #buffer: Buffer;
  readonly #maxKeptBytes: number;

  constructor(initialBytes: number, maxKeptBytes = DEFAULT_MAX_KEPT_BYTES) {
    this.#buffer = Buffer.allocUnsafeSlow(initialBytes);
    this.#maxKeptBytes = maxKeptBytes;
  }

  /** The buffer to start a batch in. */
  get buffer(): Buffer {
    return this.#buffer;
  }

  /** A larger buffer holding the `used` bytes of `current`, with room for `need` more. */
  grow(current: Buffer, used: number, need: number): Buffer {
    const grown = Buffer.allocUnsafeSlow(Math.max(used + need, 2 * current.length));
    current.copy(grown, 0, 0, used);
    if (grown.length <= this.#maxKeptBytes) this.#buffer = grown;
    return grown;
  }
}
