import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import { encodeMessage } from '@gatehouse/contracts';
import { DependencyUnavailableError } from '@gatehouse/errors';
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
    throw new DependencyUnavailableError(
      'evidence could not be stored (JetStream did not acknowledge)',
      'jetstream',
      {
        cause,
      },
    );
  }
}
