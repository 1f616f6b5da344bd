import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { MessageType } from '@gatehouse/contracts';
import {
  ensureStreams,
  jetstream,
  jetstreamManager,
  runDurableConsumer,
  streamNameFor,
  type ReceivedMessage,
  type RunningConsumer,
} from '@gatehouse/nats';
import { LEDGER_RUNTIME, type LedgerRuntime } from '../ledger-runtime.ts';
import { BatchAppender, LostLeadershipError } from './batch-appender.ts';

/** Advisory lock key shared by every ledger replica ("gh-ledger" as an int). */
const WRITER_LOCK_KEY = 0x67686c64;

/**
 * The single writer of the Merkle log. Every replica serves reads; the one holding the
 * PostgreSQL advisory lock consumes the ledger stream. The lock lives on its own connection, so
 * when the writer dies the lock is released and a standby takes over within `leaderRetry`.
 */
@Injectable()
export class LedgerWriter implements OnApplicationBootstrap, OnApplicationShutdown {
  #stopping = false;
  #leader = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;

  constructor(@Inject(LEDGER_RUNTIME) private readonly runtime: LedgerRuntime) {}

  /** Whether this replica is the writer now. */
  get isLeader(): boolean {
    return this.#leader;
  }

  async onApplicationBootstrap(): Promise<void> {
    await ensureStreams(await jetstreamManager(this.runtime.bus), this.runtime.config.subjectPrefix, [
      'LEDGER',
    ]);
    this.#loop = this.leadershipLoop();
  }

  async onApplicationShutdown(): Promise<void> {
    this.#stopping = true;
    this.#wake?.();
    await this.#loop;
    if (!this.runtime.bus.isClosed()) await this.runtime.bus.drain();
    await this.runtime.db.destroy();
  }

  private async leadershipLoop(): Promise<void> {
    const { config, logger } = this.runtime;
    while (!this.#stopping) {
      const lockClient = new pg.Client({
        connectionString: config.databaseUrl,
        application_name: 'ledger-leader',
      });
      try {
        await lockClient.connect();
        const { rows } = await lockClient.query<{ locked: boolean }>(
          'select pg_try_advisory_lock($1) as locked',
          [WRITER_LOCK_KEY],
        );
        if (rows[0]?.locked) {
          logger.info('this replica is the ledger writer');
          await this.lead(lockClient);
        }
      } catch (error) {
        logger.warn({ err: error }, 'ledger leadership attempt failed');
      } finally {
        this.#leader = false;
        await lockClient.end().catch(() => undefined);
      }
      if (!this.#stopping) await this.sleep(config.leaderRetry);
    }
  }

  // Consumes until shutdown, loss of the lock connection, or another writer's interference.
  private async lead(lockClient: pg.Client): Promise<void> {
    const { bus, config, db, logger, metrics } = this.runtime;
    const appender = await BatchAppender.resume(db);
    this.#leader = true;
    let consumer: RunningConsumer | undefined;
    const lost = new Promise<void>((resolve) => {
      lockClient.once('error', () => resolve());
      lockClient.once('end', () => resolve());
      this.#wake = resolve;
    });
    let fatal: (() => void) | undefined;
    const failed = new Promise<void>((resolve) => (fatal = resolve));
    consumer = await runDurableConsumer(jetstream(bus), {
      stream: streamNameFor(config.subjectPrefix, 'LEDGER'),
      durable: 'ledger-writer',
      messageType: MessageType.LedgerAppend,
      logger,
      batchSize: config.batchSize,
      handle: async (batch: readonly ReceivedMessage<'gatehouse.ledger.v1.append'>[]) => {
        const started = performance.now();
        try {
          const appended = await appender.append(batch.map((entry) => entry.message.body.record));
          metrics.requests.inc({ operation: 'append', outcome: 'ok' }, appended);
          metrics.latency.observe({ operation: 'append' }, (performance.now() - started) / 1000);
        } catch (error) {
          if (error instanceof LostLeadershipError) fatal?.();
          throw error;
        }
      },
    });
    await Promise.race([lost, failed]);
    await consumer.stop();
    logger.info('ledger writer stepped down');
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
