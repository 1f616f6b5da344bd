import { decodeMessage } from './message-codec.ts';
import type { MessageOf, MessageType } from './message-types.ts';

/** Separates a message's JSON from the bytes after it (JSON.stringify never writes one). */
const LINE_FEED = 0x0a;

/**
 * A message with raw bytes after it in one payload: the JSON, a line feed, then the bytes (a mask
 * request or reply carrying its row batch's cells, `cellBytes` of them, which spares base64 and a
 * JSON string as long as the batch). Without bytes the payload is the JSON alone. Copies `bytes`,
 * so the caller may reuse their buffer afterwards.
 */
export function encodeFramedMessage(message: { type: MessageType }, bytes: Uint8Array | undefined): Buffer {
  const json = JSON.stringify(message);
  if (bytes === undefined) return Buffer.from(json, 'utf8');
  const length = Buffer.byteLength(json);
  const out = Buffer.allocUnsafe(length + 1 + bytes.length);
  out.write(json, 0, 'utf8');
  out[length] = LINE_FEED;
  out.set(bytes, length + 1);
  return out;
}

/** A framed message off the bus: the validated message and the bytes after it, if any. */
export interface FramedMessage<T extends MessageType> {
  readonly message: MessageOf<T>;
  /** The bytes after the line feed (a view of the payload); undefined for a JSON-only payload. */
  readonly bytes: Buffer | undefined;
}

/** Reads an {@link encodeFramedMessage} payload; malformed JSON or an invalid message is an InvalidMessageError. */
export function decodeFramedMessage<T extends MessageType>(
  expected: T,
  payload: Uint8Array,
): FramedMessage<T> {
  const all = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  const split = all.indexOf(LINE_FEED);
  const message = decodeMessage(expected, split < 0 ? all : all.subarray(0, split));
  return { message, bytes: split < 0 ? undefined : all.subarray(split + 1) };
}
