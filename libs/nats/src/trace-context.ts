import { randomBytes } from 'node:crypto';
import { headers, type MsgHdrs } from '@nats-io/nats-core';

/** W3C traceparent: version-traceid-parentid-flags (https://www.w3.org/TR/trace-context/#traceparent-header). */
const traceparentPattern = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** Starts a new trace (sampled). */
export function newTraceparent(): string {
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
}

/** Continues a trace with a new span id; starts a new trace when the parent is absent or malformed. */
export function childTraceparent(parent: string | undefined): string {
  const match = parent ? traceparentPattern.exec(parent) : null;
  if (!match) return newTraceparent();
  return `00-${match[1]}-${randomBytes(8).toString('hex')}-${match[3]}`;
}

/** NATS headers carrying the trace context. */
export function traceHeaders(traceparent: string | undefined): MsgHdrs | undefined {
  if (!traceparent) return undefined;
  const result = headers();
  result.set('traceparent', traceparent);
  return result;
}

/** The traceparent a message arrived with, if well-formed. */
export function traceparentOf(messageHeaders: MsgHdrs | undefined): string | undefined {
  const value = messageHeaders?.get('traceparent');
  return value && traceparentPattern.test(value) ? value : undefined;
}
