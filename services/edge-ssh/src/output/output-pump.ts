import { LineSplitter, type OutputLine } from './line-splitter.ts';
import type { MaskedCount, MaskedLines } from './output-masker.ts';

/** The two output streams of an exec channel (RFC 4254 section 5.2: data and extended data 1). */
export const OutputStream = { Stdout: 'stdout', Stderr: 'stderr' } as const;

/** One of {@link OutputStream}. */
export type OutputStream = (typeof OutputStream)[keyof typeof OutputStream];

/** Contiguous bytes of one stream, exactly as they go to the client. */
export interface OutputSegment {
  stream: OutputStream;
  bytes: Buffer;
}

/** The part of OutputMasker the pump uses. */
export interface LineMasker {
  mask(profile: string, target: string, lines: readonly string[]): Promise<MaskedLines>;
}

/** How one command's output is masked; absent when the decision named no masking profile. */
export interface OutputMasking {
  masker: LineMasker;
  profile: string;
  target: string;
}

/** What the pump is wired to. */
export interface OutputPumpOptions {
  /** Records the segments of one batch; resolves once their evidence is acknowledged. */
  record(segments: readonly OutputSegment[]): Promise<void>;
  /** Writes one segment to the client; resolves when the client channel can take more. */
  write(segment: OutputSegment): Promise<void>;
  /** Pause (true) or resume (false) reading from the target, to bound what the pump holds. */
  pressure(paused: boolean): void;
  masking: OutputMasking | undefined;
  /** Largest batch masked and recorded at once; masked lines are cut at this length. */
  batchBytes: number;
}

/** What left the edge for one command. */
export interface OutputSummary {
  stdoutBytes: number;
  stderrBytes: number;
  /** Recording chunks written (one per segment). */
  chunks: number;
  /** Values masked, summed per entity over the whole command. */
  maskedCounts: MaskedCount[];
}

type Pending = { stream: OutputStream; bytes: Buffer; line?: OutputLine };

/**
 * Moves one command's output from the target to the client in order, one batch at a time:
 * mask (when a profile applies) → record the digest of exactly the bytes to be sent (acknowledged)
 * → write. Nothing reaches the client unmasked or unrecorded: the first failure stops the pump
 * for good, is reported once to `onFailure`, and is what {@link OutputPump.finish} rejects with.
 * Memory is bounded by a few batches: past that the target is paused.
 */
export class OutputPump {
  readonly #queue: Pending[] = [];
  readonly #splitters: Record<OutputStream, LineSplitter> | undefined;
  readonly #counts = new Map<string, number>();
  #queuedBytes = 0;
  #paused = false;
  #running: Promise<void> | undefined;
  #failure: unknown;
  #stdoutBytes = 0;
  #stderrBytes = 0;
  #chunks = 0;

  constructor(
    private readonly options: OutputPumpOptions,
    /** Called once with the first failure (masking or evidence could not answer, client gone). */
    private readonly onFailure: (error: unknown) => void,
  ) {
    this.#splitters = options.masking
      ? {
          stdout: new LineSplitter(options.batchBytes),
          stderr: new LineSplitter(options.batchBytes),
        }
      : undefined;
  }

  /** The failure that stopped the pump, if any. */
  get failure(): unknown {
    return this.#failure;
  }

  /** Takes output from the target. */
  push(stream: OutputStream, chunk: Buffer): void {
    if (this.#failure !== undefined || chunk.length === 0) return;
    const splitter = this.#splitters?.[stream];
    if (splitter) {
      for (const line of splitter.push(chunk)) this.enqueue({ stream, bytes: line.bytes, line });
    } else {
      this.enqueue({ stream, bytes: chunk });
    }
    this.schedule();
  }

  /** Flushes unterminated lines and resolves once everything was sent; rejects with the failure. */
  async finish(): Promise<OutputSummary> {
    if (this.#splitters) {
      for (const stream of [OutputStream.Stdout, OutputStream.Stderr]) {
        const line = this.#splitters[stream].end();
        if (line) this.enqueue({ stream, bytes: line.bytes, line });
      }
    }
    this.schedule();
    while (this.#running) await this.#running;
    if (this.#failure !== undefined) throw this.#failure;
    return {
      stdoutBytes: this.#stdoutBytes,
      stderrBytes: this.#stderrBytes,
      chunks: this.#chunks,
      maskedCounts: [...this.#counts].map(([entity, count]) => ({ entity, count })),
    };
  }

  private enqueue(item: Pending): void {
    this.#queue.push(item);
    this.#queuedBytes += item.bytes.length;
    if (!this.#paused && this.held() > 2 * this.options.batchBytes) {
      this.#paused = true;
      this.options.pressure(true);
    }
  }

  private held(): number {
    const splitters = this.#splitters;
    return this.#queuedBytes + (splitters ? splitters.stdout.buffered + splitters.stderr.buffered : 0);
  }

  private schedule(): void {
    if (this.#running || this.#queue.length === 0 || this.#failure !== undefined) return;
    this.#running = this.drain().finally(() => {
      this.#running = undefined;
      this.schedule();
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        await this.send(this.takeBatch());
        if (this.#paused && this.held() <= this.options.batchBytes) {
          this.#paused = false;
          this.options.pressure(false);
        }
      }
    } catch (error) {
      this.#failure = error;
      this.#queue.length = 0;
      this.#queuedBytes = 0;
      this.onFailure(error);
    }
  }

  private takeBatch(): Pending[] {
    let bytes = 0;
    let count = 0;
    while (count < this.#queue.length) {
      const size = this.#queue[count]!.bytes.length;
      if (count > 0 && bytes + size > this.options.batchBytes) break;
      bytes += size;
      count += 1;
    }
    this.#queuedBytes -= bytes;
    return this.#queue.splice(0, count);
  }

  private async send(batch: Pending[]): Promise<void> {
    const outgoing = this.options.masking ? await this.masked(batch, this.options.masking) : batch;
    const segments = merge(outgoing);
    await this.options.record(segments);
    for (const segment of segments) {
      await this.options.write(segment);
      if (segment.stream === OutputStream.Stdout) this.#stdoutBytes += segment.bytes.length;
      else this.#stderrBytes += segment.bytes.length;
      this.#chunks += 1;
    }
  }

  private async masked(batch: Pending[], masking: OutputMasking): Promise<Pending[]> {
    // Output is text to the masking service: invalid UTF-8 becomes U+FFFD (documented in README).
    const texts = batch.map((item) => item.bytes.toString('utf8'));
    const result = await masking.masker.mask(masking.profile, masking.target, texts);
    for (const { entity, count } of result.counts) {
      this.#counts.set(entity, (this.#counts.get(entity) ?? 0) + count);
    }
    return batch.map((item, index) => {
      const text = result.lines[index]!;
      return { stream: item.stream, bytes: Buffer.from(item.line?.terminated ? `${text}\n` : text, 'utf8') };
    });
  }
}

/** Joins neighbouring items of the same stream into one segment. */
function merge(items: readonly Pending[]): OutputSegment[] {
  const segments: { stream: OutputStream; parts: Buffer[] }[] = [];
  for (const item of items) {
    if (item.bytes.length === 0) continue;
    const last = segments.at(-1);
    if (last && last.stream === item.stream) last.parts.push(item.bytes);
    else segments.push({ stream: item.stream, parts: [item.bytes] });
  }
  return segments.map(({ stream, parts }) => ({
    stream,
    bytes: parts.length === 1 ? parts[0]! : Buffer.concat(parts),
  }));
}
