import { checkpointJws, signCheckpoint } from '@gatehouse/merkle';
import type { Kysely } from 'kysely';
import type { Logger } from '@gatehouse/logging';
import type { LedgerDatabase } from '../storage/ledger-tables.ts';
import type { TreeHead } from '../storage/tree-store.ts';
import type { LedgerSigningKey } from './signing-key.ts';

/** A checkpoint that was signed and stored. */
export interface SignedCheckpoint {
  size: number;
  /** Milliseconds from the commit of the oldest entry it newly covers to its signature. */
  lagMs: number;
  /** Milliseconds spent signing and storing it (part of `lagMs`). */
  signMs: number;
}

/** What a {@link Checkpointer} needs. */
export interface CheckpointerOptions {
  db: Kysely<LedgerDatabase>;
  key: LedgerSigningKey;
  origin: string;
  /** Least time between two checkpoints (1 s: "at most once a second while the tree grows"). */
  intervalMs: number;
  logger: Logger;
  onSigned?: (checkpoint: SignedCheckpoint) => void;
  /** Milliseconds clock (Date.now by default; tests move it by hand). */
  clock?: () => number;
}

/**
 * Signs checkpoints of the committed tree head (c2sp.org/tlog-checkpoint, plus the JWS twin)
 * at most once per interval while the tree grows, and stores each in ledger_checkpoints. Runs on
 * the writer only.
 *
 * A commit reported once the interval since the last signature has elapsed is signed at once,
 * from the commit's own callback: under load the next commit comes within one transaction, so
 * the oldest unsigned entry waits about one interval and no timer's lateness on a busy event
 * loop adds to it. A head that grew during the interval and then stopped growing is signed by a
 * timer when the interval ends.
 */
export class Checkpointer {
  readonly #options: CheckpointerOptions;
  readonly #clock: () => number;
  #pending: TreeHead | undefined;
  #oldestUnsignedAt: number | undefined;
  #lastSignedAt = Number.NEGATIVE_INFINITY;
  #signedSize = -1;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(options: CheckpointerOptions) {
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
  }

  /** Signs `head` at once unless a checkpoint of its size exists (after a restart or crash). */
  async start(head: TreeHead): Promise<void> {
    const { db } = this.#options;
    const latest = await db
      .selectFrom('ledger_checkpoints')
      .select('size')
      .orderBy('size', 'desc')
      .limit(1)
      .executeTakeFirst();
    this.#signedSize = latest ? Number(latest.size) : -1;
    if (head.size > this.#signedSize) {
      this.#pending = head;
      this.#oldestUnsignedAt = this.#clock();
      await this.#signPending();
      if (this.#pending) this.#schedule();
    }
  }

  /** Reports a committed head: signs it now if the interval has elapsed, else when it does. */
  grew(head: TreeHead): void {
    if (head.size <= this.#signedSize || (this.#pending && head.size <= this.#pending.size)) return;
    this.#pending = head;
    this.#oldestUnsignedAt ??= this.#clock();
    // A signature in flight schedules what is pending when it ends.
    if (this.#running !== undefined || this.#stopped) return;
    if (this.#clock() >= this.#lastSignedAt + this.#options.intervalMs) this.#sign();
    else this.#schedule();
  }

  /** Stops scheduling and signs whatever is pending, so a clean shutdown leaves no unsigned tail. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
    if (this.#pending) await this.#signPending();
  }

  #sign(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#running = this.#signPending().finally(() => {
      this.#running = undefined;
      if (this.#pending && !this.#stopped) this.#schedule();
    });
  }

  // The fallback for a tree that stopped growing: a commit after the interval signs sooner.
  #schedule(): void {
    if (this.#timer !== undefined || this.#running !== undefined) return;
    const delay = Math.max(0, this.#lastSignedAt + this.#options.intervalMs - this.#clock());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#running === undefined && this.#pending) this.#sign();
    }, delay);
  }

  async #signPending(): Promise<void> {
    const head = this.#pending;
    const since = this.#oldestUnsignedAt;
    if (head === undefined) return;
    this.#pending = undefined;
    this.#oldestUnsignedAt = undefined;
    const started = this.#clock();
    this.#lastSignedAt = started;
    const { db, key, origin, logger, onSigned } = this.#options;
    try {
      const checkpoint = { origin, size: head.size, root: head.root };
      const note = signCheckpoint(checkpoint, key.signer);
      const jws = await checkpointJws(checkpoint, key.signer.privateKey, { kid: key.jwk.kid });
      await db
        .insertInto('ledger_checkpoints')
        .values({ size: String(head.size), root: Buffer.from(head.root), note, jws, signed_at: new Date() })
        .onConflict((conflict) => conflict.column('size').doNothing())
        .execute();
      this.#signedSize = Math.max(this.#signedSize, head.size);
      const signed = this.#clock();
      onSigned?.({ size: head.size, lagMs: signed - (since ?? signed), signMs: signed - started });
    } catch (error) {
      logger.warn({ err: error, size: head.size }, 'checkpoint not stored; retrying at the next interval');
      // A head reported while this one was being signed may already be newer.
      const newer = this.#pending as TreeHead | undefined;
      if (newer === undefined || newer.size < head.size) this.#pending = head;
      this.#oldestUnsignedAt = since;
    }
  }
}
