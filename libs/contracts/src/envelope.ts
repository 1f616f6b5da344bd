import { randomUUID } from 'node:crypto';
import type { BodyOf, MessageOf, MessageType } from './message-types.ts';

/** Options for a new envelope. */
export interface EnvelopeOptions {
  /** Message id; a random UUID when omitted. Use a stable id where dedupe matters. */
  id?: string;
  /** W3C traceparent of the operation. */
  traceparent?: string;
  /** Creation time; now when omitted. */
  time?: Date;
}

/** Wraps a body in the envelope every bus message carries (DESIGN.md section 4). */
export function envelope<T extends MessageType>(
  type: T,
  body: BodyOf<T>,
  options: EnvelopeOptions = {},
): MessageOf<T> {
  const message: Record<string, unknown> = {
    type,
    id: options.id ?? randomUUID(),
    time: (options.time ?? new Date()).toISOString(),
    body,
  };
  if (options.traceparent !== undefined) message['traceparent'] = options.traceparent;
  return message as unknown as MessageOf<T>;
}
