import { decodeFramedMessage, MessageType, type MessageOf } from '@gatehouse/contracts';
import { DependencyUnavailableError } from '@gatehouse/errors';

/** A mask reply off the bus: the validated JSON and the cell bytes after it, if any. */
export interface CellReply {
  readonly body: MessageOf<'gatehouse.masking.v1.mask_reply'>['body'];
  /** The bytes after the line feed; undefined when the reply is JSON only (an error reply). */
  readonly cells: Buffer | undefined;
}

/**
 * Reads the reply to a row batch (a framed message: JSON, then its cell bytes). A reply that is
 * not valid, or whose cell bytes do not number `cellBytes`, is a DependencyUnavailableError: the
 * result is refused.
 */
export function decodeCellReply(payload: Uint8Array): CellReply {
  let framed;
  try {
    framed = decodeFramedMessage(MessageType.MaskReply, payload);
  } catch (cause) {
    throw new DependencyUnavailableError('masking sent an invalid reply', 'masking', { cause });
  }
  const { message, bytes } = framed;
  if ((message.body.cellBytes ?? -1) !== (bytes?.length ?? -1)) {
    throw new DependencyUnavailableError('masking sent a reply that does not match the batch', 'masking');
  }
  return { body: message.body, cells: bytes };
}
