import { createInbox, headers, type Msg, type NatsConnection, type Subscription } from '@nats-io/nats-core';
import { DependencyUnavailableError } from '@gatehouse/errors';

/** Called once every message of one {@link EvidencePublisher.publish} call is acknowledged, or with the first failure. */
export type PublishCallback = (error: DependencyUnavailableError | undefined) => void;

/** One message to store in JetStream. */
export interface DurableMessage {
  subject: string;
  /** JetStream message id (`Nats-Msg-Id`): a retried publish is stored once. */
  id: string;
  data: Uint8Array;
  traceparent?: string;
}

interface PendingAck {
  group: PublishGroup;
  deadline: number;
}

interface PublishGroup {
  remaining: number;
  done: PublishCallback | undefined;
}

/**
 * Publishes to JetStream and reports acknowledgements through callbacks, with many messages in
 * flight at once over one connection. A JetStream publish is a core NATS publish with a reply
 * subject: the stream answers on it with `{stream, seq}` or `{error}`
 * (https://docs.nats.io/reference/reference-protocols/nats_api_reference#acknowledging-messages).
 * Doing that directly, with one shared reply subscription and one sweep timer, avoids what
 * `jetstream.publish` costs per message on the statement hot path (a promise, a timer, an error
 * object captured for its stack) while keeping the same guarantee: the callback reports success
 * only for a message the stream acknowledged (invariant 1 of DESIGN.md).
 */
export class EvidencePublisher {
  readonly #bus: NatsConnection;
  readonly #timeoutMs: number;
  readonly #onCallbackError: (error: unknown) => void;
  readonly #inbox: string;
  readonly #subscription: Subscription;
  // Insertion order is deadline order (one timeout for all), so the sweep stops at the first live entry.
  readonly #pending = new Map<number, PendingAck>();
  readonly #sweeper: NodeJS.Timeout;
  #next = 1;
  /** Messages that may wait a moment to leave with the next publish (see {@link publishSoon}). */
  #soon: { messages: readonly DurableMessage[]; done: PublishCallback }[] = [];
  #soonCount = 0;
  #soonTimer: NodeJS.Timeout | undefined;

  constructor(
    bus: NatsConnection,
    timeoutMs: number,
    /** Receives what a publish callback threw (the publisher itself carries on). */
    onCallbackError: (error: unknown) => void = () => undefined,
  ) {
    this.#bus = bus;
    this.#timeoutMs = timeoutMs;
    this.#onCallbackError = onCallbackError;
    this.#inbox = createInbox();
    this.#subscription = bus.subscribe(`${this.#inbox}.*`, {
      callback: (error, message) => {
        if (!error) this.onReply(message);
      },
    });
    this.#sweeper = setInterval(() => this.sweep(performance.now()), Math.min(100, timeoutMs)).unref();
  }

  /** Messages awaiting an acknowledgement. */
  get pending(): number {
    return this.#pending.size;
  }

  /** Publishes every message; `done` runs once, after all are acknowledged or at the first failure. */
  publish(messages: readonly DurableMessage[], done: PublishCallback): void {
    // Whatever waits in the soon queue leaves with these messages, in one write to NATS.
    if (this.#soon.length > 0) this.flushSoon();
    this.send(messages, done);
  }

  /**
   * Like {@link publish} for messages nobody waits on before acting (result evidence, acknowledged
   * before the session ends): they leave with the next {@link publish}, so one write to NATS and one
   * wake-up of the server carry both, or after `SOON_MS` when nothing else is published.
   */
  publishSoon(messages: readonly DurableMessage[], done: PublishCallback): void {
    this.#soon.push({ messages, done });
    this.#soonCount += messages.length;
    if (this.#soonCount >= SOON_MAX_MESSAGES) this.flushSoon();
    else this.#soonTimer ??= setTimeout(() => this.flushSoon(), SOON_MS);
  }

  /** Sends everything waiting in the soon queue now. */
  flushSoon(): void {
    clearTimeout(this.#soonTimer);
    this.#soonTimer = undefined;
    const waiting = this.#soon;
    this.#soon = [];
    this.#soonCount = 0;
    for (const { messages, done } of waiting) this.send(messages, done);
  }

  private send(messages: readonly DurableMessage[], done: PublishCallback): void {
    const group: PublishGroup = { remaining: messages.length, done };
    if (messages.length === 0) {
      done(undefined);
      return;
    }
    const deadline = performance.now() + this.#timeoutMs;
    for (const message of messages) {
      const token = this.#next++;
      const messageHeaders = headers();
      messageHeaders.set('Nats-Msg-Id', message.id);
      if (message.traceparent) messageHeaders.set('traceparent', message.traceparent);
      this.#pending.set(token, { group, deadline });
      try {
        this.#bus.publish(message.subject, message.data, {
          reply: `${this.#inbox}.${token}`,
          headers: messageHeaders,
        });
      } catch (cause) {
        this.#pending.delete(token);
        this.settle(group, failure(cause));
        return;
      }
    }
  }

  /** Promise form of {@link publish}, for callers off the hot path. */
  publishAsync(messages: readonly DurableMessage[]): Promise<void> {
    return new Promise((resolve, reject) =>
      this.publish(messages, (error) => (error ? reject(error) : resolve())),
    );
  }

  /** Fails everything in flight and stops listening. */
  close(): void {
    clearInterval(this.#sweeper);
    clearTimeout(this.#soonTimer);
    for (const { done } of this.#soon.splice(0)) done(failure(new Error('publisher closed')));
    this.#subscription.unsubscribe();
    for (const { group } of this.#pending.values())
      this.settle(group, failure(new Error('publisher closed')));
    this.#pending.clear();
  }

  private onReply(message: Msg): void {
    const token = Number(message.subject.slice(this.#inbox.length + 1));
    const entry = this.#pending.get(token);
    if (!entry) return; // late ack after a timeout: the caller already refused
    this.#pending.delete(token);
    const status = message.headers?.code ?? 0;
    if (status >= 300) {
      this.settle(
        entry.group,
        failure(new Error(`JetStream answered status ${status} ${message.headers?.description ?? ''}`)),
      );
      return;
    }
    let ack: { stream?: unknown; error?: { description?: string } };
    try {
      ack = message.json();
    } catch (cause) {
      this.settle(entry.group, failure(cause));
      return;
    }
    if (ack.error !== undefined || typeof ack.stream !== 'string' || ack.stream === '') {
      this.settle(
        entry.group,
        failure(new Error(`JetStream refused the message: ${ack.error?.description ?? 'no stream'}`)),
      );
      return;
    }
    if (--entry.group.remaining === 0) this.settle(entry.group, undefined);
  }

  private sweep(now: number): void {
    for (const [token, entry] of this.#pending) {
      if (entry.deadline > now) break;
      this.#pending.delete(token);
      this.settle(
        entry.group,
        failure(new Error(`no JetStream acknowledgement within ${this.#timeoutMs} ms`)),
      );
    }
  }

  private settle(group: PublishGroup, error: DependencyUnavailableError | undefined): void {
    const done = group.done;
    if (!done) return;
    group.done = undefined;
    // A throwing callback must not reach the reply subscription (NATS would close it, and every
    // later acknowledgement of every session would be lost).
    try {
      done(error);
    } catch (thrown) {
      this.#onCallbackError(thrown);
    }
  }
}

/** Longest a {@link EvidencePublisher.publishSoon} message waits for company. */
const SOON_MS = 2;
/** A soon queue this long is sent at once. */
const SOON_MAX_MESSAGES = 256;

function failure(cause: unknown): DependencyUnavailableError {
  return new DependencyUnavailableError(
    'evidence could not be stored (JetStream did not acknowledge)',
    'jetstream',
    {
      cause,
    },
  );
}
