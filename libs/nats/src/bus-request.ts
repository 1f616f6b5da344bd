import { NoRespondersError, TimeoutError, type NatsConnection, RequestError } from '@nats-io/nats-core';
import { decodeMessage, encodeMessage, type MessageOf, type MessageType } from '@gatehouse/contracts';
import { DeadlineExceededError, DependencyUnavailableError } from '@gatehouse/errors';
import { traceHeaders } from './trace-context.ts';

/** One typed request/reply exchange. */
export interface RequestOptions<Reply extends MessageType> {
  subject: string;
  /** The dependency's name for errors (`authz`, `masking`). */
  dependency: string;
  replyType: Reply;
  /** Deadline; a missed deadline is a refusal (DeadlineExceededError). */
  timeoutMs: number;
}

/**
 * Sends a validated request and returns the validated reply. Every failure (no responder,
 * deadline, closed connection, invalid reply) is a typed error the caller turns into a refusal.
 */
export async function requestMessage<Reply extends MessageType>(
  connection: NatsConnection,
  message: { type: MessageType; traceparent?: string },
  options: RequestOptions<Reply>,
): Promise<MessageOf<Reply>> {
  let reply;
  try {
    reply = await connection.request(options.subject, encodeMessage(message), {
      timeout: options.timeoutMs,
      headers: traceHeaders(message.traceparent),
    });
  } catch (cause) {
    if (
      cause instanceof TimeoutError ||
      (cause instanceof RequestError && cause.cause instanceof TimeoutError)
    ) {
      throw new DeadlineExceededError(
        `${options.dependency} did not answer within ${options.timeoutMs} ms`,
        options.dependency,
        { cause },
      );
    }
    const noResponders =
      cause instanceof NoRespondersError || (cause instanceof RequestError && cause.isNoResponders());
    const reason = noResponders ? 'no instance is serving' : 'the bus is unavailable';
    throw new DependencyUnavailableError(
      `${options.dependency} cannot answer: ${reason}`,
      options.dependency,
      {
        cause,
      },
    );
  }
  try {
    return decodeMessage(options.replyType, reply.data);
  } catch (cause) {
    throw new DependencyUnavailableError(`${options.dependency} sent an invalid reply`, options.dependency, {
      cause,
    });
  }
}
