import type { ConsumerMessages, JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { decodeMessage, MessageType, type MessageOf } from '@gatehouse/contracts';
import { InvalidMessageError } from '@gatehouse/errors';
import type { Logger } from '@gatehouse/logging';
import { prepareRecord, type AppendResult, type PreparedRecord } from './batch-appender.ts';

/** A message the ledger appended (all of its records): its envelope and when it arrived. */
export interface CommittedMessage {
  message: MessageOf<'gatehouse.ledger.v1.append'>;
  /** performance.now() when the consumer received it. */
  receivedAt: number;
}

/** What {@link runAppendConsumer} needs. */
export interface AppendConsumerOptions {
  js: JetStreamClient;
  stream: string;
  durable: string;
  /**
   * Records per transaction to aim for: a transaction takes whole messages while they fit, and
   * always at least one message, so one message larger than this is a transaction of its own.
   */
  batchSize: number;
  logger: Logger;
  /** Appends records in one transaction (BatchAppender.appendPrepared). */
  append(records: readonly PreparedRecord[]): Promise<AppendResult>;
  /** Called after a transaction committed and its messages were acked. */
  onCommitted?(result: AppendResult, messages: readonly CommittedMessage[], transactionMs: number): void;
  /** Called when a transaction failed and will be retried. */
  onRetry?(error: unknown, attempt: number): void;
  /** First retry delay; doubles per attempt up to `maxRetryDelayMs`. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
}

/** A running consumer. */
export interface AppendConsumer {
  /**
   * Stops consuming: a transaction in flight finishes (and its messages are acked if it
   * commits); everything else delivered but not committed is nak'ed so the next writer gets it
   * at once instead of after the ack wait.
   */
  stop(): Promise<void>;
}

// While a transaction waits for the database, tell JetStream its messages are still being worked
// on well before the consumer's 30 s ack wait, so they are not redelivered to this very consumer.
const WORKING_EVERY_MS = 10_000;

// Messages the client pulls ahead of the reader. Counted in messages, and a message may carry up
// to 1024 records, so this bounds the memory a backlog takes; the reader's queue holds two
// transactions' worth of records besides.
const PULL_MESSAGES = 256;

/** A decoded message and its records, canonicalised and hashed. */
interface Pending {
  raw: JsMsg;
  committed: CommittedMessage;
  prepared: readonly PreparedRecord[];
}

/**
 * Consumes the ledger stream in stream order. Each message is an evidence batch of one or more
 * records; a transaction holds whole messages (a message is never split across transactions),
 * and a message is acked only after the transaction holding all its records committed. A failed
 * transaction is retried whole, in place, with backoff, before any later message is appended —
 * unlike a nak, which would let later records overtake it. Invalid messages are terminated and
 * logged, never retried forever (DESIGN.md section 4).
 */
export async function runAppendConsumer(options: AppendConsumerOptions): Promise<AppendConsumer> {
  const consumer = await options.js.consumers.get(options.stream, options.durable);
  const messages: ConsumerMessages = await consumer.consume({ max_messages: PULL_MESSAGES });
  const retryDelayMs = options.retryDelayMs ?? 100;
  const maxRetryDelayMs = options.maxRetryDelayMs ?? 5000;
  let stopping = false;
  let wake: (() => void) | undefined;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const flush = async (batch: readonly Pending[], records: readonly PreparedRecord[]): Promise<void> => {
    let lastWorking = performance.now();
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      let result: AppendResult;
      try {
        result = await options.append(records);
      } catch (error) {
        options.onRetry?.(error, attempt);
        options.logger.warn(
          { err: error, attempt, messages: batch.length, records: records.length },
          'ledger transaction failed; retrying it whole',
        );
        if (!stopping) await pause(Math.min(retryDelayMs * 2 ** (attempt - 1), maxRetryDelayMs));
        if (stopping) {
          for (const entry of batch) entry.raw.nak();
          return;
        }
        if (performance.now() - lastWorking > WORKING_EVERY_MS) {
          for (const entry of batch) entry.raw.working();
          lastWorking = performance.now();
        }
        continue;
      }
      for (const entry of batch) entry.raw.ack();
      options.onCommitted?.(
        result,
        batch.map((entry) => entry.committed),
        performance.now() - started,
      );
      return;
    }
  };

  // The reader moves messages from JetStream into `queue`; the single flusher appends whatever
  // has queued up (whole messages, about a batch of records) each time the previous transaction
  // ends. So transactions grow with load (group commit) and nothing waits for a batch to fill.
  const queue: Pending[] = [];
  let queuedRecords = 0;
  let queued: (() => void) | undefined;
  let drained: (() => void) | undefined;

  // Takes whole messages from the head of the queue while their records fit in a batch, and
  // always the first one, so a message's records commit (and are acked) together.
  const take = (): { batch: Pending[]; records: PreparedRecord[] } => {
    const first = queue[0] as Pending;
    let count = first.prepared.length;
    let end = 1;
    while (end < queue.length && count + (queue[end] as Pending).prepared.length <= options.batchSize) {
      count += (queue[end] as Pending).prepared.length;
      end++;
    }
    const batch = queue.splice(0, end);
    queuedRecords -= count;
    const records: PreparedRecord[] = [];
    for (const entry of batch) for (const record of entry.prepared) records.push(record);
    return { batch, records };
  };

  const flusher = (async () => {
    while (!stopping || queue.length > 0) {
      if (queue.length === 0) {
        await new Promise<void>((resolve) => (queued = resolve));
        queued = undefined;
        continue;
      }
      if (stopping) break;
      const { batch, records } = take();
      await flush(batch, records);
      drained?.();
    }
    for (const entry of queue.splice(0)) entry.raw.nak();
    queuedRecords = 0;
  })();

  const reader = (async () => {
    for await (const raw of messages) {
      const receivedAt = performance.now();
      if (stopping) {
        raw.nak();
        continue;
      }
      try {
        const message = decodeMessage(MessageType.LedgerAppend, raw.data);
        // Canonicalise and hash now, while the flusher's transaction waits on the database.
        const prepared = message.body.records.map(prepareRecord);
        queue.push({ raw, committed: { message, receivedAt }, prepared });
        queuedRecords += prepared.length;
        queued?.();
      } catch (error) {
        const problems = error instanceof InvalidMessageError ? error.problems : [];
        options.logger.error(
          { err: error, problems, streamSequence: raw.seq },
          'invalid ledger message terminated',
        );
        raw.term();
      }
      // Backpressure: while the database falls behind, stop taking messages from the client.
      while (queuedRecords >= options.batchSize * 2 && !stopping) {
        await new Promise<void>((resolve) => (drained = resolve));
        drained = undefined;
      }
    }
  })();

  return {
    async stop() {
      stopping = true;
      wake?.();
      queued?.();
      drained?.();
      messages.stop();
      await Promise.all([reader, flusher]);
    },
  };
}
