import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { MessageType, envelope, subjectsFor } from '@gatehouse/contracts';
import {
  DurablePublisher,
  ensureStreams,
  jetstream,
  jetstreamManager,
  runDurableConsumer,
  streamNameFor,
  type ReceivedMessage,
  type RunningConsumer,
} from '@gatehouse/nats';
import { AUDIT_RUNTIME, type AuditRuntime } from '../audit-runtime.ts';

type EvidenceMessage = ReceivedMessage<'gatehouse.evidence.v1.batch'>;

/**
 * Consumes every evidence batch durably and forwards it, whole, to the ledger stream: one ledger
 * append per evidence message, so a group commit at the edge stays one message all the way to the
 * ledger. The ledger message id is the batch's id, so a redelivered batch is stored once in the
 * ledger stream (and the ledger dedupes each record by its id: invariant 2); the evidence
 * message is acked only after the ledger stream acknowledged the forward.
 */
@Injectable()
export class EvidenceForwarder implements OnApplicationBootstrap, OnApplicationShutdown {
  #consumer: RunningConsumer | undefined;
  #publisher: DurablePublisher | undefined;
  #lagTimer: NodeJS.Timeout | undefined;

  constructor(@Inject(AUDIT_RUNTIME) private readonly runtime: AuditRuntime) {}

  async onApplicationBootstrap(): Promise<void> {
    const { bus, config, logger, metrics } = this.runtime;
    await ensureStreams(await jetstreamManager(bus), config.subjectPrefix, ['EVIDENCE', 'LEDGER']);
    const js = jetstream(bus);
    const subjects = subjectsFor(config.subjectPrefix);
    // Every batch is forwarded: acknowledgements through one reply subscription, not a request each.
    const publisher = (this.#publisher = new DurablePublisher(bus));
    this.#consumer = await runDurableConsumer(js, {
      stream: streamNameFor(config.subjectPrefix, 'EVIDENCE'),
      durable: 'audit',
      messageType: MessageType.EvidenceBatch,
      logger,
      batchSize: config.batchSize,
      handle: async (batch: readonly EvidenceMessage[]) => {
        const started = performance.now();
        await Promise.all(
          batch.map(({ message, streamSequence }) =>
            publisher.publish(
              subjects.ledgerAppend,
              envelope(
                MessageType.LedgerAppend,
                { records: message.body.records, stream: { sequence: streamSequence } },
                {
                  id: message.id,
                  ...(message.traceparent ? { traceparent: message.traceparent } : {}),
                },
              ),
            ),
          ),
        );
        const records = batch.reduce((sum, { message }) => sum + message.body.records.length, 0);
        metrics.requests.inc({ operation: 'forward', outcome: 'ok' }, records);
        metrics.latency.observe({ operation: 'forward' }, (performance.now() - started) / 1000);
      },
    });
    this.#lagTimer = setInterval(() => void this.reportLag(), 5000).unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.#lagTimer);
    await this.#consumer?.stop();
    this.#publisher?.close();
    if (!this.runtime.bus.isClosed()) await this.runtime.bus.drain();
  }

  private async reportLag(): Promise<void> {
    const pending = await this.#consumer?.pending().catch(() => undefined);
    if (pending !== undefined) this.runtime.metrics.consumerLag.set({ consumer: 'audit' }, pending);
  }
}
