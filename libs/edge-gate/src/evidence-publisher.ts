import { createInbox, headers, type Msg, type NatsConnection, type Subscription } from '@nats-io/nats-core';
import { MessageType, type EvidenceRecord } from '@gatehouse/contracts';
import { DependencyUnavailableError } from '@gatehouse/errors';

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

interface PendingBatch {
  readonly groups: readonly PublishGroup[];
  readonly deadline: number;
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
  readonly #bus: NatsConnection;
  readonly #subject: string;
  readonly #timeoutMs: number;
  readonly #onCallbackError: (error: unknown) => void;
  readonly #onBatchSent: ((records: number) => void) | undefined;
  readonly #maxBatchBytes: number;
  readonly #inbox: string;
  readonly #subscription: Subscription;
  // Insertion order is deadline order (one timeout for all), so the sweep stops at the first live entry.
  readonly #pending = new Map<number, PendingBatch>();
  readonly #sweeper: NodeJS.Timeout;
  #next = 1;
  #open: OpenBatch | undefined;
  #flushScheduled = false;
  /** Records nobody waits on yet: they join the next batch (see {@link publishSoon}). */
  #soon: { records: readonly EvidenceRecord[]; done: PublishCallback }[] = [];
  #soonTimer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(bus: NatsConnection, options: EvidencePublisherOptions) {
    this.#bus = bus;
    this.#subject = options.subject;
    this.#timeoutMs = options.timeoutMs;
    this.#onCallbackError = options.onCallbackError ?? (() => undefined);
    this.#onBatchSent = options.onBatchSent;
    this.#maxBatchBytes = (bus.info?.max_payload ?? DEFAULT_MAX_PAYLOAD) - ENVELOPE_RESERVE_BYTES;
    this.#inbox = createInbox();
    this.#subscription = bus.subscribe(`${this.#inbox}.*`, {
      callback: (error, message) => {
        if (!error) this.onReply(message);
      },
    });
    this.#sweeper = setInterval(
      () => this.sweep(performance.now()),
      Math.min(100, options.timeoutMs),
    ).unref();
  }

  /** Batches awaiting an acknowledgement. */
  get pending(): number {
    return this.#pending.size;
  }

  /**
   * Publishes records with everything else published in this turn of the event loop; `done` runs
   * once, after all of them are acknowledged or at the first failure.
   */
  publish(records: readonly EvidenceRecord[], done: PublishCallback): void {
    if (this.#closed) {
      done(failure(new Error('publisher closed')));
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
      done(failure(new Error('publisher closed')));
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
    clearInterval(this.#sweeper);
    clearTimeout(this.#soonTimer);
    const closed = failure(new Error('publisher closed'));
    for (const { done } of this.#soon.splice(0)) this.call(done, closed);
    for (const group of this.#open?.groups ?? []) this.settle(group, closed);
    this.#open = undefined;
    this.#subscription.unsubscribe();
    for (const { groups } of this.#pending.values()) for (const group of groups) this.settle(group, closed);
    this.#pending.clear();
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
    const token = this.#next++;
    const data =
      `{"type":${JSON.stringify(MessageType.EvidenceBatch)},"id":${JSON.stringify(batch.firstId)},` +
      `"time":"${new Date().toISOString()}","body":{"records":[${batch.parts.join(',')}]}}`;
    const messageHeaders = headers();
    messageHeaders.set('Nats-Msg-Id', batch.firstId);
    this.#pending.set(token, { groups: batch.groups, deadline: performance.now() + this.#timeoutMs });
    try {
      this.#bus.publish(this.#subject, data, { reply: `${this.#inbox}.${token}`, headers: messageHeaders });
      this.#onBatchSent?.(batch.parts.length);
    } catch (cause) {
      this.#pending.delete(token);
      const error = failure(cause);
      for (const group of batch.groups) this.settle(group, error);
    }
  }

  private onReply(message: Msg): void {
    const token = Number(message.subject.slice(this.#inbox.length + 1));
    const entry = this.#pending.get(token);
    if (!entry) return; // late ack after a timeout: the callers already refused
    this.#pending.delete(token);
    const refusal = refusalOf(message);
    if (refusal) {
      const error = failure(refusal);
      for (const group of entry.groups) this.settle(group, error);
      return;
    }
    for (const group of entry.groups) if (--group.remaining === 0) this.settle(group, undefined);
  }

  private sweep(now: number): void {
    for (const [token, entry] of this.#pending) {
      if (entry.deadline > now) break;
      this.#pending.delete(token);
      const error = failure(new Error(`no JetStream acknowledgement within ${this.#timeoutMs} ms`));
      for (const group of entry.groups) this.settle(group, error);
    }
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

/** Why JetStream did not store a message, or undefined for a valid acknowledgement. */
function refusalOf(message: Msg): Error | undefined {
  const status = message.headers?.code ?? 0;
  if (status >= 300) {
    return new Error(`JetStream answered status ${status} ${message.headers?.description ?? ''}`);
  }
  let ack: { stream?: unknown; error?: { description?: string } };
  try {
    ack = message.json();
  } catch (cause) {
    return new Error('JetStream acknowledgement is not JSON', { cause });
  }
  if (ack.error !== undefined || typeof ack.stream !== 'string' || ack.stream === '') {
    return new Error(`JetStream refused the message: ${ack.error?.description ?? 'no stream'}`);
  }
  return undefined;
}

function failure(cause: unknown): DependencyUnavailableError {
  return new DependencyUnavailableError(
    'evidence could not be stored (JetStream did not acknowledge)',
    'jetstream',
    {
      cause,
    },
  );
}
