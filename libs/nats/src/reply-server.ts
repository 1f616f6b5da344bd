import type { Logger } from 'pino';
import type { Msg, NatsConnection, Subscription } from '@nats-io/nats-core';
import {
  decodeMessage,
  encodeMessage,
  envelope,
  type BodyOf,
  type MessageOf,
  type MessageType,
} from '@gatehouse/contracts';
import { InvalidMessageError } from '@gatehouse/errors';
import { childTraceparent, traceparentOf } from './trace-context.ts';

/** How a service answers one kind of request in a queue group. */
export interface ReplyServerOptions<Request extends MessageType, Reply extends MessageType> {
  subject: string;
  /** Queue group: one member answers each request, spreading load across replicas. */
  queue: string;
  requestType: Request;
  replyType: Reply;
  /** Answers a valid request. A thrown error is logged and answered by `onError`. */
  handle(request: MessageOf<Request>): Promise<BodyOf<Reply>> | BodyOf<Reply>;
  /** Answers an invalid request or a failed handler; return undefined to send no reply (caller times out). */
  onError(error: unknown): BodyOf<Reply> | undefined;
  logger: Logger;
  /** Counts outcomes for metrics. */
  observe?(outcome: 'ok' | 'invalid' | 'error', seconds: number): void;
}

/** Serves requests until the returned subscription is drained. */
export function serveRequests<Request extends MessageType, Reply extends MessageType>(
  connection: NatsConnection,
  options: ReplyServerOptions<Request, Reply>,
): Subscription {
  return connection.subscribe(options.subject, {
    queue: options.queue,
    callback: (error, msg) => {
      if (error) {
        options.logger.error({ err: error }, 'subscription error');
        return;
      }
      void answer(msg, options);
    },
  });
}

async function answer<Request extends MessageType, Reply extends MessageType>(
  msg: Msg,
  options: ReplyServerOptions<Request, Reply>,
): Promise<void> {
  const started = performance.now();
  const traceparent = childTraceparent(traceparentOf(msg.headers));
  // The reply body is validated when the caller decodes it; here it only travels.
  let body: unknown;
  let outcome: 'ok' | 'invalid' | 'error' = 'ok';
  try {
    const request = decodeMessage(options.requestType, msg.data);
    body = await options.handle(request);
  } catch (error) {
    outcome = error instanceof InvalidMessageError ? 'invalid' : 'error';
    const problems = error instanceof InvalidMessageError ? error.problems : undefined;
    options.logger.warn({ err: error, problems, subject: options.subject }, 'request refused');
    body = options.onError(error);
  }
  options.observe?.(outcome, (performance.now() - started) / 1000);
  if (body !== undefined && msg.reply)
    msg.respond(encodeMessage(envelope(options.replyType, body as BodyOf<Reply>, { traceparent })));
}
