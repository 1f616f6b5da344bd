import { decodeMessage, type MessageOf } from '@gatehouse/contracts';
import { DependencyUnavailableError } from '@gatehouse/errors';

/** Separates a mask message's JSON from the cell bytes after it (JSON.stringify never writes one). */
const LINE_FEED = 0x0a;

/**
 * A row batch for masking as one payload: the request as JSON, a line feed, then its cell bytes
 * (`cellBytes` of them; the contract's framed form, which spares base64 and a JSON string as long
 * as the batch). Copies `cells`, so the caller may reuse their buffer afterwards.
 */
export function encodeCellRequest(
  message: MessageOf<'gatehouse.masking.v1.mask_request'>,
  cells: Uint8Array,
): Buffer {
  const json = JSON.stringify(message);
  const length = Buffer.byteLength(json);
  const out = Buffer.allocUnsafe(length + 1 + cells.length);
  out.write(json, 0, 'utf8');
  out[length] = LINE_FEED;
  out.set(cells, length + 1);
  return out;
}

/** A mask reply off the bus: the validated JSON and the cell bytes after it, if any. */
export interface CellReply {
  readonly body: MessageOf<'gatehouse.masking.v1.mask_reply'>['body'];
  /** The bytes after the line feed; undefined when the reply is JSON only (an error reply). */
  readonly cells: Buffer | undefined;
}

/**
 * Reads the reply to a row batch. A reply that is not valid, or whose cell bytes do not number
 * `cellBytes`, is a DependencyUnavailableError: the result is refused.
 */
export function decodeCellReply(payload: Uint8Array): CellReply {
  const bytes = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  const split = bytes.indexOf(LINE_FEED);
  let body;
  try {
    body = decodeMessage(
      'gatehouse.masking.v1.mask_reply',
      split < 0 ? bytes : bytes.subarray(0, split),
    ).body;
  } catch (cause) {
    throw new DependencyUnavailableError('masking sent an invalid reply', 'masking', { cause });
  }
  const cells = split < 0 ? undefined : bytes.subarray(split + 1);
  if ((body.cellBytes ?? -1) !== (cells?.length ?? -1)) {
    throw new DependencyUnavailableError('masking sent a reply that does not match the batch', 'masking');
  }
  return { body, cells };
}
