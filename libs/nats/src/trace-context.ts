import { randomFillSync } from 'node:crypto';
import { headers, type MsgHdrs } from '@nats-io/nats-core';

/** W3C traceparent: version-traceid-parentid-flags (https://www.w3.org/TR/trace-context/#traceparent-header). */
const traceparentPattern = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

// Ids come from a pool of random bytes refilled 4 KiB at a time: every message a service sends
// carries a new span id, and a call into the random source per id cost more than the rest of
// building the header.
const randomPool = Buffer.alloc(4096);
let poolOffset = randomPool.length;

/** `bytes` random bytes as lowercase hex. */
function randomHex(bytes: number): string {
  if (poolOffset + bytes > randomPool.length) {
    randomFillSync(randomPool);
    poolOffset = 0;
  }
  const hex = randomPool.toString('hex', poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return hex;
}

/** Starts a new trace (sampled). */
export function newTraceparent(): string {
  return `00-${randomHex(16)}-${randomHex(8)}-01`;
}

/** Continues a trace with a new span id; starts a new trace when the parent is absent or malformed. */
export function childTraceparent(parent: string | undefined): string {
  const match = parent ? traceparentPattern.exec(parent) : null;
  if (!match) return newTraceparent();
  return `00-${match[1]}-${randomHex(8)}-${match[3]}`;
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
