import { MessageType, envelope, subjectsFor } from '@gatehouse/contracts';
import { DependencyUnavailableError } from '@gatehouse/errors';
import { newTraceparent, requestMessage, type NatsConnection } from '@gatehouse/nats';

/** One masked count: how many values of an entity kind were replaced (never the values). */
export interface MaskedCount {
  entity: string;
  count: number;
}

/** A masked batch of output lines, in the order sent. */
export interface MaskedLines {
  lines: string[];
  counts: MaskedCount[];
}

/** How the masker reaches the masking service. */
export interface OutputMaskerOptions {
  bus: NatsConnection;
  prefix: string;
  timeoutMs: number;
}

/**
 * Sends command output lines to the masking service (request/reply in its queue group, with a
 * deadline) and returns them masked. Every failure, including a reply that does not hold exactly
 * one line per line sent, is a DependencyUnavailableError: the caller stops the output rather
 * than send anything unmasked (invariant 1).
 */
export class OutputMasker {
  readonly #subject: string;

  constructor(private readonly options: OutputMaskerOptions) {
    this.#subject = subjectsFor(options.prefix).maskingMask;
  }

  /** Masks `lines` (without their line terminators) with `profile`. */
  async mask(profile: string, target: string, lines: readonly string[]): Promise<MaskedLines> {
    const reply = await requestMessage(
      this.options.bus,
      envelope(
        MessageType.MaskRequest,
        { profile, target, columns: [], lines: [...lines] },
        { traceparent: newTraceparent() },
      ),
      {
        subject: this.#subject,
        dependency: 'masking',
        replyType: MessageType.MaskReply,
        timeoutMs: this.options.timeoutMs,
      },
    );
    const masked = reply.body.lines;
    if (!masked || masked.length !== lines.length) {
      throw new DependencyUnavailableError(
        `masking answered ${masked?.length ?? 0} lines for ${lines.length}`,
        'masking',
      );
    }
    return {
      lines: masked,
      counts: reply.body.counts.map(({ entity, count }) => ({ entity, count })),
    };
  }
}
