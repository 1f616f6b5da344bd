import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import { headers, type NatsConnection } from '@nats-io/nats-core';
import { encodeMessage } from '@gatehouse/contracts';
import { DependencyUnavailableError } from '@gatehouse/errors';
import { JetStreamAcks } from './jetstream-acks.ts';
import { traceHeaders } from './trace-context.ts';

/**
 * Publishes to JetStream and waits for the stream's acknowledgement. The message id doubles as
 * the JetStream `Nats-Msg-Id`, so a retried publish is stored once (duplicate window).
 * Fails with DependencyUnavailableError: the caller must not act without the ack (invariant 1).
 */
export async function publishDurable(
  jetStream: JetStreamClient,
  subject: string,
  message: { type: string; id: string; traceparent?: string },
  timeoutMs = 5000,
): Promise<PubAck> {
  try {
    return await jetStream.publish(subject, encodeMessage(message as never), {
      msgID: message.id,
      timeout: timeoutMs,
      headers: traceHeaders(message.traceparent),
    });
  } catch (cause) {
    throw evidenceNotStored(cause);
  }
}

/**
 * {@link publishDurable} for a service that publishes all the time (audit forwards every evidence
 * batch): the same message id and trace headers and the same failure, with acknowledgements
 * collected by one {@link JetStreamAcks} instead of a nats.js request per message.
 */
export class DurablePublisher {
  readonly #acks: JetStreamAcks;

  constructor(bus: NatsConnection, timeoutMs = 5000) {
    this.#acks = new JetStreamAcks(bus, { timeoutMs });
  }

  /** Publishes `message` and resolves once the stream acknowledged it; rejects with DependencyUnavailableError. */
  publish(subject: string, message: { type: string; id: string; traceparent?: string }): Promise<void> {
    return new Promise((resolve, reject) => {
      const messageHeaders = headers();
      messageHeaders.set('Nats-Msg-Id', message.id);
      if (message.traceparent) messageHeaders.set('traceparent', message.traceparent);
      try {
        this.#acks.publish(subject, encodeMessage(message as never), messageHeaders, (refusal) =>
          refusal ? reject(evidenceNotStored(refusal)) : resolve(),
        );
      } catch (cause) {
        reject(evidenceNotStored(cause));
      }
    });
  }

  /** Fails what still waits for an acknowledgement and refuses later publishes. */
  close(): void {
    this.#acks.close(new Error('publisher closed'));
  }
}

/** The refusal of a durable publish: the caller must not act on what was not stored (invariant 1). */
export function evidenceNotStored(cause: unknown): DependencyUnavailableError {
  return new DependencyUnavailableError(
    'evidence could not be stored (JetStream did not acknowledge)',
    'jetstream',
    {
      cause,
    },
  );
}
