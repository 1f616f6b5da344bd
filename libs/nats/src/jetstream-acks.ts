import {
  createInbox,
  type Msg,
  type MsgHdrs,
  type NatsConnection,
  type Subscription,
} from '@nats-io/nats-core';

/** Told once per publish: undefined when the stream stored the message, else why it did not. */
export type AckCallback = (refusal: Error | undefined) => void;

/** Options of {@link JetStreamAcks}. */
export interface JetStreamAcksOptions {
  /** Deadline for each acknowledgement. */
  timeoutMs: number;
  /** Receives what a callback threw (acknowledgements keep arriving for everyone else). */
  onCallbackError?: (error: unknown) => void;
}

interface Pending {
  readonly done: AckCallback;
  readonly deadline: number;
}

/**
 * Publishes to JetStream and hands each publish its acknowledgement, over one reply
 * subscription per connection. A JetStream publish is a core NATS request to the stream's subject,
 * answered with a PubAck (or a 503 status when no stream takes the subject). nats.js's own
 * `js.publish` makes each one a request object that, after the reply, rejects its settled promise
 * with a new Error: a stack captured per message, ~8% of the audit service's CPU. Here a publish
 * costs a map entry, and one timer sweeps every deadline.
 */
export class JetStreamAcks {
  readonly #bus: NatsConnection;
  readonly #timeoutMs: number;
  readonly #onCallbackError: (error: unknown) => void;
  readonly #inbox = createInbox();
  readonly #subscription: Subscription;
  // Insertion order is deadline order (one timeout for all), so a sweep stops at the first live entry.
  readonly #pending = new Map<number, Pending>();
  readonly #sweeper: NodeJS.Timeout;
  #next = 1;
  #closed: Error | undefined;

  constructor(bus: NatsConnection, options: JetStreamAcksOptions) {
    this.#bus = bus;
    this.#timeoutMs = options.timeoutMs;
    this.#onCallbackError = options.onCallbackError ?? (() => undefined);
    this.#subscription = bus.subscribe(`${this.#inbox}.*`, {
      callback: (error, message) => {
        if (!error) this.#onReply(message);
      },
    });
    this.#sweeper = setInterval(() => this.#sweep(performance.now()), Math.min(100, options.timeoutMs));
    this.#sweeper.unref();
  }

  /** Publishes awaiting their acknowledgement. */
  get pending(): number {
    return this.#pending.size;
  }

  /**
   * Publishes `data` to `subject`; `done` is called once with the outcome. Throws (and never
   * calls `done`) when the message cannot be sent at all: the connection is closed or the payload
   * is too large.
   */
  publish(subject: string, data: string | Uint8Array, headers: MsgHdrs | undefined, done: AckCallback): void {
    if (this.#closed !== undefined) throw this.#closed;
    const token = this.#next++;
    this.#bus.publish(subject, data, { reply: `${this.#inbox}.${token}`, ...(headers ? { headers } : {}) });
    this.#pending.set(token, { done, deadline: performance.now() + this.#timeoutMs });
  }

  /** Fails every publish still waiting with `reason`, stops listening, and refuses later publishes. */
  close(reason: Error): void {
    if (this.#closed !== undefined) return;
    this.#closed = reason;
    clearInterval(this.#sweeper);
    this.#subscription.unsubscribe();
    const waiting = [...this.#pending.values()];
    this.#pending.clear();
    for (const { done } of waiting) this.#call(done, reason);
  }

  #onReply(message: Msg): void {
    const token = Number(message.subject.slice(this.#inbox.length + 1));
    const entry = this.#pending.get(token);
    if (entry === undefined) return; // late: its deadline passed and it was failed already
    this.#pending.delete(token);
    this.#call(entry.done, refusalOf(message));
  }

  #sweep(now: number): void {
    for (const [token, entry] of this.#pending) {
      if (entry.deadline > now) break;
      this.#pending.delete(token);
      this.#call(entry.done, new Error(`no JetStream acknowledgement within ${this.#timeoutMs} ms`));
    }
  }

  #call(done: AckCallback, refusal: Error | undefined): void {
    // A throwing callback must not reach the reply subscription: NATS would close it, and every
    // later acknowledgement would be lost.
    try {
      done(refusal);
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
