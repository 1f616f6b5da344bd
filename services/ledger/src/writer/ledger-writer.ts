import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { ensureStreams, jetstream, jetstreamManager, streamNameFor } from '@gatehouse/nats';
import { Checkpointer, type SignedCheckpoint } from '../checkpoint/checkpointer.ts';
import { LEDGER_RUNTIME, type LedgerRuntime } from '../ledger-runtime.ts';
import { readHead } from '../storage/tree-store.ts';
import { runAppendConsumer, type AppendConsumer, type CommittedMessage } from './append-consumer.ts';
import { BatchAppender, type AppendResult } from './batch-appender.ts';

/** Advisory lock key shared by every ledger replica ("ghld" as an int). */
const WRITER_LOCK_KEY = 0x67686c64;

/** A batch that committed, for observers (metrics, benchmarks, tests). */
export interface CommittedBatch {
  result: AppendResult;
  messages: readonly CommittedMessage[];
  /** Transaction time including retries' last attempt, ms. */
  transactionMs: number;
}

/** Listeners of a {@link LedgerWriter}. */
export interface WriterListeners {
  committed?(batch: CommittedBatch): void;
  checkpointSigned?(checkpoint: SignedCheckpoint): void;
}

/**
 * The single writer of the Merkle log. Every replica serves reads; the one holding the
 * PostgreSQL advisory lock consumes the ledger stream and signs checkpoints. The lock lives on
 * its own connection, checked every `leaderRetry`: when the writer dies or that connection
 * does, the lock is released and a standby takes over within `leaderRetry`. Appends stay safe
 * even if two replicas believed they led at once (see BatchAppender).
 */
@Injectable()
export class LedgerWriter implements OnApplicationBootstrap, OnApplicationShutdown {
  #stopping = false;
  #leader = false;
  #lockPid: number | undefined;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  readonly #listeners = new Set<WriterListeners>();

  constructor(@Inject(LEDGER_RUNTIME) private readonly runtime: LedgerRuntime) {}

  /** Whether this replica is the writer now. */
  get isLeader(): boolean {
    return this.#leader;
  }

  /** Backend pid of the connection holding the writer lock, while this replica leads. */
  get lockBackendPid(): number | undefined {
    return this.#leader ? this.#lockPid : undefined;
  }

  /** Subscribes to commits and checkpoints; returns the unsubscribe function. */
  observe(listeners: WriterListeners): () => void {
    this.#listeners.add(listeners);
    return () => this.#listeners.delete(listeners);
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
        keepAlive: true,
        query_timeout: Math.max(config.leaderRetry, 1000),
      });
      lockClient.on('error', () => undefined);
      try {
        await lockClient.connect();
        const { rows } = await lockClient.query<{ locked: boolean; pid: number }>(
          'select pg_try_advisory_lock($1) as locked, pg_backend_pid() as pid',
          [WRITER_LOCK_KEY],
        );
        if (rows[0]?.locked) {
          this.#lockPid = rows[0].pid;
          logger.info({ lockPid: this.#lockPid }, 'this replica is the ledger writer');
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

  // Writes until shutdown or until the lock connection is lost.
  private async lead(lockClient: pg.Client): Promise<void> {
    const { bus, config, db, logger, metrics, signingKey, origin } = this.runtime;
    const appender = await BatchAppender.resume(db);
    const checkpointer = new Checkpointer({
      db,
      key: signingKey,
      origin,
      intervalMs: config.checkpointInterval,
      logger,
      onSigned: (checkpoint) => {
        metrics.latency.observe({ operation: 'checkpoint_lag' }, checkpoint.lagMs / 1000);
        for (const listener of this.#listeners) listener.checkpointSigned?.(checkpoint);
      },
    });
    await checkpointer.start(await readHead(db));
    this.#leader = true;
    const lost = this.lockLost(lockClient);
    let consumer: AppendConsumer | undefined;
    let lagTimer: NodeJS.Timeout | undefined;
    try {
      consumer = await runAppendConsumer({
        js: jetstream(bus),
        stream: streamNameFor(config.subjectPrefix, 'LEDGER'),
        durable: 'ledger-writer',
        batchSize: config.batchSize,
        logger,
        append: (records) => appender.appendPrepared(records),
        onRetry: () => metrics.requests.inc({ operation: 'append', outcome: 'retry' }),
        onCommitted: (result, messages, transactionMs) => {
          if (result.resynced) logger.warn({ size: result.size }, 'stored head had moved; resumed from it');
          metrics.requests.inc({ operation: 'append', outcome: 'ok' }, result.appended);
          metrics.latency.observe({ operation: 'append' }, transactionMs / 1000);
          checkpointer.grew({ size: result.size, root: result.root });
          const batch = { result, messages, transactionMs };
          for (const listener of this.#listeners) listener.committed?.(batch);
        },
      });
      lagTimer = setInterval(() => void this.reportLag(), 5000);
      await lost;
    } finally {
      clearInterval(lagTimer);
      this.#leader = false;
      await consumer?.stop();
      await checkpointer.stop();
      logger.info('ledger writer stepped down');
    }
  }

  // Resolves on shutdown, on an error or end of the lock connection, or when a heartbeat on it
  // fails (a silently dropped connection whose lock the server has already released).
  private lockLost(lockClient: pg.Client): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearInterval(heartbeat);
        resolve();
      };
      const heartbeat = setInterval(() => {
        lockClient.query('select 1').catch(done);
      }, this.runtime.config.leaderRetry);
      lockClient.once('error', done);
      lockClient.once('end', done);
      this.#wake = done;
      if (this.#stopping) done();
    });
  }

  private async reportLag(): Promise<void> {
    const { bus, config, metrics } = this.runtime;
    try {
      const jsm = await jetstreamManager(bus);
      const info = await jsm.consumers.info(streamNameFor(config.subjectPrefix, 'LEDGER'), 'ledger-writer');
      metrics.consumerLag.set({ consumer: 'ledger-writer' }, info.num_pending + info.num_ack_pending);
    } catch {
      // Lag is best effort; readiness reports an unreachable bus.
    }
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
