import { decodeMessage, type MessageOf } from '@gatehouse/contracts';

/** Separates a mask message's JSON from the cell bytes after it (JSON.stringify never writes one). */
const LINE_FEED = 0x0a;

/** A mask request as it came off the bus: the validated JSON and the cell bytes after it, if any. */
export interface CellRequest {
  readonly message: MessageOf<'gatehouse.masking.v1.mask_request'>;
  /** The bytes after the line feed; undefined when the payload is JSON only (plans, lines, COPY). */
  readonly cells: Buffer | undefined;
}

/**
 * Reads a mask request payload: JSON, optionally followed by a line feed and the batch's cell
 * bytes (`cellBytes` of them; the contract's framed form, which spares base64 and a JSON string as
 * long as the batch). A malformed payload is an InvalidMessageError.
 */
export function decodeCellRequest(payload: Uint8Array): CellRequest {
  const bytes = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  const split = bytes.indexOf(LINE_FEED);
  const json = split < 0 ? bytes : bytes.subarray(0, split);
  const message = decodeMessage('gatehouse.masking.v1.mask_request', json);
  return { message, cells: split < 0 ? undefined : bytes.subarray(split + 1) };
}

/** The reply payload: the message as JSON, then (when `cells` is set) a line feed and the cell bytes. */
export function encodeCellReply(
  message: MessageOf<'gatehouse.masking.v1.mask_reply'>,
  cells: Uint8Array | undefined,
): Buffer {
  const json = JSON.stringify(message);
  if (cells === undefined) return Buffer.from(json, 'utf8');
  const length = Buffer.byteLength(json);
  const out = Buffer.allocUnsafe(length + 1 + cells.length);
  out.write(json, 0, 'utf8');
  out[length] = LINE_FEED;
  out.set(cells, length + 1);
  return out;
}
