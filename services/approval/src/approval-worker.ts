import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ensureStreams, jetstreamManager } from '@gatehouse/nats';
import { ReviewAnnouncer } from './announce/review-announcer.ts';
import { ReviewSweep } from './announce/review-sweep.ts';
import { APPROVAL_RUNTIME, type ApprovalRuntime } from './approval-runtime.ts';
import { RequestIntake, intakeDurable } from './intake/request-intake.ts';
import { ApprovalStore } from './storage/approval-store.ts';

/**
 * Owns the service's background work and its connections: Nest runs shutdown hooks of
 * providers concurrently, so one provider stops the consumer and the sweep before it drains the
 * bus and closes the pool.
 */
@Injectable()
export class ApprovalWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly #intake: RequestIntake;
  readonly #sweep: ReviewSweep;
  #lagTimer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(APPROVAL_RUNTIME) private readonly runtime: ApprovalRuntime,
    @Inject(ApprovalStore) store: ApprovalStore,
    @Inject(ReviewAnnouncer) announcer: ReviewAnnouncer,
  ) {
    this.#intake = new RequestIntake(runtime, store, announcer);
    this.#sweep = new ReviewSweep(runtime, store, announcer);
  }

  async onApplicationBootstrap(): Promise<void> {
    const { bus, config } = this.runtime;
    await ensureStreams(await jetstreamManager(bus), config.subjectPrefix, ['APPROVALS', 'EVIDENCE']);
    await this.#intake.start();
    this.#sweep.start();
    this.#lagTimer = setInterval(() => void this.reportLag(), 5000).unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.#lagTimer);
    await this.#sweep.stop();
    await this.#intake.stop();
    if (!this.runtime.bus.isClosed()) await this.runtime.bus.drain();
    await this.runtime.db.destroy();
  }

  private async reportLag(): Promise<void> {
    const pending = await this.#intake.pending();
    if (pending !== undefined) this.runtime.metrics.consumerLag.set({ consumer: intakeDurable }, pending);
  }
}
