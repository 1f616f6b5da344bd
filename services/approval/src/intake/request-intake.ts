import { MessageType } from '@gatehouse/contracts';
import {
  jetstream,
  runDurableConsumer,
  streamNameFor,
  type ReceivedMessage,
  type RunningConsumer,
} from '@gatehouse/nats';
import type { ApprovalRuntime } from '../approval-runtime.ts';
import type { ReviewAnnouncer } from '../announce/review-announcer.ts';
import { isUsableRequestId } from '../evidence/approval-evidence.ts';
import type { ApprovalStore } from '../storage/approval-store.ts';
import type { ApprovalRequestRow } from '../storage/approval-tables.ts';

type RequestedMessage = ReceivedMessage<'gatehouse.approval.v1.requested'>;

/** The durable consumer of review requests (deploy/nats/streams.json, APPROVALS / `approval`). */
export const intakeDurable = 'approval';

/**
 * Stores every review request the edges publish. A batch is acked only after its rows commit;
 * a redelivered request is stored once (the request id is the key). Schema-invalid messages are
 * terminated by the consumer loop; a valid message whose id cannot name a subject is logged and
 * dropped, since no decision about it could ever be announced.
 */
export class RequestIntake {
  #consumer: RunningConsumer | undefined;

  constructor(
    private readonly runtime: ApprovalRuntime,
    private readonly store: ApprovalStore,
    private readonly announcer: ReviewAnnouncer,
  ) {}

  /** Starts consuming. */
  async start(): Promise<void> {
    const { bus, config, logger } = this.runtime;
    this.#consumer = await runDurableConsumer(jetstream(bus), {
      stream: streamNameFor(config.subjectPrefix, 'APPROVALS'),
      durable: intakeDurable,
      messageType: MessageType.ApprovalRequested,
      logger,
      batchSize: config.batchSize,
      handle: (batch) => this.handle(batch),
    });
  }

  /** Finishes the batch in hand and stops. */
  async stop(): Promise<void> {
    await this.#consumer?.stop();
  }

  /** Messages waiting in the consumer, for the lag gauge. */
  async pending(): Promise<number | undefined> {
    return this.#consumer?.pending().catch(() => undefined);
  }

  /** Stores one batch; resolving acks it. */
  async handle(batch: readonly RequestedMessage[]): Promise<void> {
    const { logger, metrics } = this.runtime;
    const stored: ApprovalRequestRow[] = [];
    for (const { message, streamSequence } of batch) {
      const started = performance.now();
      const { requestId } = message.body;
      if (!isUsableRequestId(requestId)) {
        logger.error(
          { streamSequence, requestIdLength: requestId.length },
          'review request id is not a usable subject token; request dropped',
        );
        metrics.observe('store', 'invalid', (performance.now() - started) / 1000);
        continue;
      }
      const row = await this.store.insertRequest(message, new Date());
      metrics.observe('store', row ? 'stored' : 'duplicate', (performance.now() - started) / 1000);
      if (row) {
        stored.push(row);
        logger.info(
          { requestId, session: row.session_id, rule: row.rule, groups: row.groups, quorum: row.quorum },
          'review request stored',
        );
      }
    }
    for (const row of stored) await this.announcer.tryAnnounce(row);
  }
}
