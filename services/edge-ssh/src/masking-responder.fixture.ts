import { MessageType, subjectsFor } from '@gatehouse/contracts';
import type { Logger } from '@gatehouse/logging';
import { serveRequests, type NatsConnection } from '@gatehouse/nats';

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

/**
 * A small real masking responder for tests until the masking service exists: it serves the real
 * subject in the `masking` queue group with the real contracts (requests and replies validated by
 * libs/contracts) and replaces e-mail addresses in output lines with `<email>`.
 */
export function startMaskingResponder(
  bus: NatsConnection,
  prefix: string,
  logger: Logger,
): { stop(): Promise<void>; requests: number } {
  const state = { requests: 0 };
  const subscription = serveRequests(bus, {
    subject: subjectsFor(prefix).maskingMask,
    queue: 'masking',
    requestType: MessageType.MaskRequest,
    replyType: MessageType.MaskReply,
    logger,
    handle: (request) => {
      state.requests += 1;
      let count = 0;
      const lines = (request.body.lines ?? []).map((line) =>
        line.replace(EMAIL, () => {
          count += 1;
          return '<email>';
        }),
      );
      return { lines, counts: count > 0 ? [{ entity: 'email', column: 'output', count }] : [] };
    },
    onError: () => undefined,
  });
  return {
    get requests() {
      return state.requests;
    },
    stop: async () => {
      await subscription.drain();
    },
  };
}
