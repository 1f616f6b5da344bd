const NEWLINE = 0x0a;

/** One line of command output, without its `\n`. */
export interface OutputLine {
  bytes: Buffer;
  /** Whether a `\n` ended it (false for a line cut at the length cap or at end of output). */
  terminated: boolean;
}

/**
 * Cuts a byte stream into lines for masking. Lines longer than `maxLineBytes` are cut there (at a
 * UTF-8 character boundary, so no character is split), which bounds the memory a session holds
 * for output that never ends a line.
 */
export class LineSplitter {
  #parts: Buffer[] = [];
  #length = 0;

  constructor(private readonly maxLineBytes: number) {
    if (!Number.isInteger(maxLineBytes) || maxLineBytes < 4) {
      throw new RangeError(`maxLineBytes must be an integer of at least 4, got ${maxLineBytes}`);
    }
  }

  /** Bytes held for a line not yet ended. */
  get buffered(): number {
    return this.#length;
  }

  /** Adds output and returns the lines it completed. */
  push(chunk: Buffer): OutputLine[] {
    const lines: OutputLine[] = [];
    let start = 0;
    let newline: number;
    while ((newline = chunk.indexOf(NEWLINE, start)) !== -1) {
      this.hold(chunk.subarray(start, newline), lines);
      lines.push({ bytes: this.take(this.#length), terminated: true });
      start = newline + 1;
    }
    if (start < chunk.length) this.hold(chunk.subarray(start), lines);
    return lines;
  }

  /** The unterminated last line, if output ended without a `\n`. */
  end(): OutputLine | undefined {
    return this.#length === 0 ? undefined : { bytes: this.take(this.#length), terminated: false };
  }

  private hold(bytes: Buffer, lines: OutputLine[]): void {
    if (bytes.length > 0) {
      this.#parts.push(bytes);
      this.#length += bytes.length;
    }
    while (this.#length > this.maxLineBytes) {
      const joined = this.take(this.#length);
      const cut = characterBoundary(joined, this.maxLineBytes);
      lines.push({ bytes: joined.subarray(0, cut), terminated: false });
      this.#parts = [joined.subarray(cut)];
      this.#length = joined.length - cut;
    }
  }

  private take(length: number): Buffer {
    const joined = this.#parts.length === 1 ? this.#parts[0]! : Buffer.concat(this.#parts, length);
    this.#parts = [];
    this.#length = 0;
    return joined;
  }
}

/** The largest cut ≤ `limit` that does not fall inside a UTF-8 sequence (limit itself for non-UTF-8 bytes). */
function characterBoundary(bytes: Buffer, limit: number): number {
  // A continuation byte is 10xxxxxx; at most three of them follow a lead byte.
  for (let cut = limit; cut > limit - 4 && cut > 0; cut -= 1) {
    if ((bytes[cut]! & 0xc0) !== 0x80) return cut;
  }
  return limit;
}
