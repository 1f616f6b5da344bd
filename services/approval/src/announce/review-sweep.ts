import type { ApprovalRuntime } from '../approval-runtime.ts';
import type { ApprovalStore } from '../storage/approval-store.ts';
import type { ReviewAnnouncer } from './review-announcer.ts';

/** Rows handled per sweep step; the next tick continues where a full step stopped. */
const sweepBatch = 100;

/**
 * The background loop: expires pending requests past their hold timeout, then re-publishes
 * whatever JetStream has not acknowledged yet (the outbox columns of each row). One tick at a
 * time; a failing tick is logged and the next one tries again.
 */
export class ReviewSweep {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(
    private readonly runtime: ApprovalRuntime,
    private readonly store: ApprovalStore,
    private readonly announcer: ReviewAnnouncer,
  ) {}

  /** Starts ticking every `sweepInterval`. */
  start(): void {
    this.#stopped = false;
    this.schedule();
  }

  /** Stops ticking and waits for a tick in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  /** One pass: expiry, then re-publication. */
  async tick(now = new Date()): Promise<void> {
    const expired = await this.store.expireDue(now, sweepBatch);
    for (const row of expired) {
      this.runtime.logger.info({ requestId: row.request_id }, 'review request expired');
      await this.announcer.tryAnnounce(row);
    }
    for (const row of await this.store.unannounced(sweepBatch)) {
      // The bus does not answer: stop this pass rather than time out once per row.
      if (!(await this.announcer.tryAnnounce(row))) break;
    }
  }

  private schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = this.tick()
        .catch((error: unknown) => this.runtime.logger.warn({ err: error }, 'review sweep failed'))
        .finally(() => {
          this.#running = undefined;
          this.schedule();
        });
    }, this.runtime.config.sweepInterval);
    this.#timer.unref();
  }
}
