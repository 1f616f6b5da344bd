import { headers, type NatsConnection } from '@nats-io/nats-core';
import { MessageType, type EvidenceRecord } from '@gatehouse/contracts';
import type { DependencyUnavailableError } from '@gatehouse/errors';
import { evidenceNotStored, JetStreamAcks } from '@gatehouse/nats';

/** Called once every record of one publish call is acknowledged, or with the first failure. */
export type PublishCallback = (error: DependencyUnavailableError | undefined) => void;

/** How an {@link EvidencePublisher} reaches JetStream. */
export interface EvidencePublisherOptions {
  /** The evidence subject (`subjectsFor(prefix).evidence`). */
  subject: string;
  /** Deadline for each JetStream acknowledgement. */
  timeoutMs: number;
  /** Receives what a publish callback threw (the publisher itself carries on). */
  onCallbackError?: (error: unknown) => void;
  /** Told the record count of every message sent (for a batch-size metric). */
  onBatchSent?: (records: number) => void;
}

/** The records of one publish call and how many unacknowledged batches still carry some of them. */
interface PublishGroup {
  remaining: number;
  done: PublishCallback | undefined;
}

/** Records waiting to leave as one message. */
interface OpenBatch {
  /** Each record's JSON, joined into the message when it leaves. */
  readonly parts: string[];
  bytes: number;
  readonly firstId: string;
  readonly groups: PublishGroup[];
}

/** Most records in one message (the schema's bound). */
const MAX_RECORDS_PER_BATCH = 1024;
/** Room left in NATS' max_payload for the envelope and headers. */
const ENVELOPE_RESERVE_BYTES = 1024;
/** max_payload when the server has not said (the nats-server default). */
const DEFAULT_MAX_PAYLOAD = 1024 * 1024;
/** Longest a {@link EvidencePublisher.publishSoon} record waits for company. */
const SOON_MS = 2;

/**
 * Group commit of evidence to JetStream. Records published during one turn of the event loop
 * leave together as one `gatehouse.evidence.v1.batch` message when the turn ends, so when idle a
 * statement's records go at once, and under load every session's records coalesce into one
 * stored message and one acknowledgement. Many batches are in flight at once; each caller is
 * called back when the batch (or batches) holding its records is acknowledged, and only then
 * (DESIGN.md invariant 1).
 *
 * A JetStream publish is a core NATS publish with a reply subject: the stream answers on it with
 * `{stream, seq}` or `{error}`
 * (https://docs.nats.io/reference/reference-protocols/nats_api_reference#acknowledging-messages).
 * Doing that directly, with one shared reply subscription and one sweep timer, avoids what
 * `jetstream.publish` costs per message on the statement hot path (a promise, a timer, an error
 * object captured for its stack). The message id (`Nats-Msg-Id`) is the first record's id: each
 * record leaves in exactly one batch, so it names the batch.
 */
export class EvidencePublisher {
  readonly #subject: string;
  readonly #onCallbackError: (error: unknown) => void;
  readonly #onBatchSent: ((records: number) => void) | undefined;
  readonly #maxBatchBytes: number;
  readonly #acks: JetStreamAcks;
  #open: OpenBatch | undefined;
  #flushScheduled = false;
  /** Records nobody waits on yet: they join the next batch (see {@link publishSoon}). */
  #soon: { records: readonly EvidenceRecord[]; done: PublishCallback }[] = [];
  #soonTimer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(bus: NatsConnection, options: EvidencePublisherOptions) {
    this.#subject = options.subject;
    this.#onCallbackError = options.onCallbackError ?? (() => undefined);
    this.#onBatchSent = options.onBatchSent;
    this.#maxBatchBytes = (bus.info?.max_payload ?? DEFAULT_MAX_PAYLOAD) - ENVELOPE_RESERVE_BYTES;
    this.#acks = new JetStreamAcks(bus, {
      timeoutMs: options.timeoutMs,
      onCallbackError: this.#onCallbackError,
    });
  }

  /** Batches awaiting an acknowledgement. */
  get pending(): number {
    return this.#acks.pending;
  }

  /**
   * Publishes records with everything else published in this turn of the event loop; `done` runs
   * once, after all of them are acknowledged or at the first failure.
   */
  publish(records: readonly EvidenceRecord[], done: PublishCallback): void {
    if (this.#closed) {
      done(evidenceNotStored(new Error('publisher closed')));
      return;
    }
    if (records.length === 0) {
      done(undefined);
      return;
    }
    // Soon records were written first: they go ahead of these, so a batch keeps the order of writing.
    this.takeSoon();
    this.add(records, done);
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /**
   * Like {@link publish} for records nobody waits on before acting (result evidence, acknowledged
   * before the session ends): they leave with the next batch, or after `SOON_MS` when nothing
   * else is published.
   */
  publishSoon(records: readonly EvidenceRecord[], done: PublishCallback): void {
    if (this.#closed) {
      done(evidenceNotStored(new Error('publisher closed')));
      return;
    }
    this.#soon.push({ records, done });
    this.#soonTimer ??= setTimeout(() => this.flush(), SOON_MS);
  }

  /** Promise form of {@link publish}, for callers off the hot path. */
  publishAsync(records: readonly EvidenceRecord[]): Promise<void> {
    return new Promise((resolve, reject) =>
      this.publish(records, (error) => (error ? reject(error) : resolve())),
    );
  }

  /** Sends everything waiting (the open batch and the soon records) now. */
  flush(): void {
    this.#flushScheduled = false;
    this.takeSoon();
    this.seal();
  }

  /** Fails everything waiting or in flight and stops listening. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#soonTimer);
    const reason = new Error('publisher closed');
    const closed = evidenceNotStored(reason);
    for (const { done } of this.#soon.splice(0)) this.call(done, closed);
    for (const group of this.#open?.groups ?? []) this.settle(group, closed);
    this.#open = undefined;
    // Batches in flight are failed through their acknowledgement callbacks.
    this.#acks.close(reason);
  }

  /** Moves the soon records into the open batch. */
  private takeSoon(): void {
    if (this.#soon.length === 0) return;
    clearTimeout(this.#soonTimer);
    this.#soonTimer = undefined;
    for (const { records, done } of this.#soon.splice(0)) this.add(records, done);
  }

  /** Adds one call's records to the open batch, sealing it first whenever it would grow too large. */
  private add(records: readonly EvidenceRecord[], done: PublishCallback): void {
    const group: PublishGroup = { remaining: 0, done };
    for (const record of records) {
      const json = JSON.stringify(record);
      const bytes = Buffer.byteLength(json) + 1;
      const open = this.#open;
      if (open && (open.parts.length >= MAX_RECORDS_PER_BATCH || open.bytes + bytes > this.#maxBatchBytes)) {
        this.seal();
      }
      const batch = (this.#open ??= { parts: [], bytes: 0, firstId: record.id, groups: [] });
      batch.parts.push(json);
      batch.bytes += bytes;
      if (batch.groups.at(-1) !== group) {
        batch.groups.push(group);
        group.remaining++;
      }
    }
  }

  /** Sends the open batch as one JetStream message. */
  private seal(): void {
    const batch = this.#open;
    if (!batch) return;
    this.#open = undefined;
    const data =
      `{"type":${JSON.stringify(MessageType.EvidenceBatch)},"id":${JSON.stringify(batch.firstId)},` +
      `"time":"${new Date().toISOString()}","body":{"records":[${batch.parts.join(',')}]}}`;
    const messageHeaders = headers();
    messageHeaders.set('Nats-Msg-Id', batch.firstId);
    const groups = batch.groups;
    try {
      this.#acks.publish(this.#subject, data, messageHeaders, (refusal) =>
        this.acknowledged(groups, refusal),
      );
      this.#onBatchSent?.(batch.parts.length);
    } catch (cause) {
      const error = evidenceNotStored(cause);
      for (const group of groups) this.settle(group, error);
    }
  }

  /** A batch's outcome: each call whose records are all stored succeeds; any refusal fails them all. */
  private acknowledged(groups: readonly PublishGroup[], refusal: Error | undefined): void {
    if (refusal) {
      const error = evidenceNotStored(refusal);
      for (const group of groups) this.settle(group, error);
      return;
    }
    for (const group of groups) if (--group.remaining === 0) this.settle(group, undefined);
  }

  private settle(group: PublishGroup, error: DependencyUnavailableError | undefined): void {
    const done = group.done;
    if (!done) return;
    group.done = undefined;
    this.call(done, error);
  }

  private call(done: PublishCallback, error: DependencyUnavailableError | undefined): void {
    // A throwing callback must not reach the reply subscription (NATS would close it, and every
    // later acknowledgement of every session would be lost).
    try {
      done(error);
    } catch (thrown) {
      this.#onCallbackError(thrown);
    }
  }
}
