import type { Logger } from 'pino';
import type { ConsumerMessages, JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { decodeMessage, type MessageOf, type MessageType } from '@gatehouse/contracts';
import { InvalidMessageError } from '@gatehouse/errors';

/** A durable JetStream consumer loop. */
export interface DurableConsumerOptions<T extends MessageType> {
  stream: string;
  durable: string;
  messageType: T;
  /**
   * Handles one batch of valid messages (in stream order). Resolving means every message in the
   * batch is done and may be acked; throwing means none is (they are nak'ed and redelivered).
   */
  handle(messages: readonly ReceivedMessage<T>[]): Promise<void>;
  logger: Logger;
  /** Most messages handed to one `handle` call. */
  batchSize?: number;
  /** First redelivery delay after a failure; doubles per delivery, capped at 30 s. */
  retryDelayMs?: number;
}

/** A validated message and its stream position. */
export interface ReceivedMessage<T extends MessageType> {
  message: MessageOf<T>;
  streamSequence: number;
  deliveryCount: number;
}

/** A running consumer; `stop` finishes the batch in hand, acks only what it finished, and returns. */
export interface RunningConsumer {
  stop(): Promise<void>;
  /** Messages waiting in the consumer (lag), for metrics. */
  pending(): Promise<number>;
}

/**
 * Consumes a durable consumer: validates each message (an invalid one is terminated with a log
 * line, never retried forever), hands valid ones to the handler in batches, acks after the
 * handler succeeds and naks with exponential backoff when it fails.
 */
export async function runDurableConsumer<T extends MessageType>(
  jetStream: JetStreamClient,
  options: DurableConsumerOptions<T>,
): Promise<RunningConsumer> {
  const consumer = await jetStream.consumers.get(options.stream, options.durable);
  const batchSize = options.batchSize ?? 256;
  const retryDelayMs = options.retryDelayMs ?? 250;
  const messages: ConsumerMessages = await consumer.consume({ max_messages: batchSize * 2 });
  let stopping = false;

  // One flusher drains the buffer while the iterator keeps filling it: a batch forms from
  // whatever arrived while the previous one was being handled, so a quiet stream is handled
  // at once and a busy one in large batches, and no partial batch waits for more messages.
  let buffer: { raw: JsMsg; received: ReceivedMessage<T> }[] = [];
  let flushing: Promise<void> | undefined;
  const handleBatch = async (current: { raw: JsMsg; received: ReceivedMessage<T> }[]): Promise<void> => {
    try {
      await options.handle(current.map((entry) => entry.received));
      for (const entry of current) entry.raw.ack();
    } catch (error) {
      options.logger.warn(
        { err: error, count: current.length },
        'handler failed; messages will be redelivered',
      );
      for (const entry of current) {
        const delay = Math.min(retryDelayMs * 2 ** (entry.received.deliveryCount - 1), 30_000);
        entry.raw.nak(delay);
      }
    }
  };
  const drain = async (): Promise<void> => {
    while (buffer.length > 0) {
      const current = buffer.slice(0, batchSize);
      buffer = buffer.slice(current.length);
      await handleBatch(current);
    }
  };
  const flush = (): Promise<void> => {
    flushing ??= drain().finally(() => {
      flushing = undefined;
      // Messages that arrived as the drain finished start the next one.
      if (buffer.length > 0) void flush();
    });
    return flushing;
  };

  const loop = (async () => {
    for await (const raw of messages) {
      try {
        const message = decodeMessage(options.messageType, raw.data);
        buffer.push({
          raw,
          received: { message, streamSequence: raw.seq, deliveryCount: raw.info.deliveryCount },
        });
      } catch (error) {
        const problems = error instanceof InvalidMessageError ? error.problems : [];
        options.logger.error({ err: error, problems, streamSequence: raw.seq }, 'invalid message terminated');
        // No reason string: `+TERM reason` needs nats-server 2.10.4+, and Debian ships 2.9.
        raw.term();
      }
      const running = flush();
      // Backpressure: do not buffer more than two batches ahead of the handler.
      if (buffer.length >= batchSize * 2) await running;
      if (stopping) break;
    }
    await flush();
  })();

  return {
    async stop() {
      stopping = true;
      messages.stop();
      await loop;
    },
    async pending() {
      const info = await consumer.info();
      return info.num_pending + info.num_ack_pending;
    },
  };
}
