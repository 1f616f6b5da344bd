import { describe, expect, it } from 'vitest';
import { encodeMessage, envelope, MessageType } from '@gatehouse/contracts';
import { DependencyUnavailableError } from '@gatehouse/errors';
import { decodeCellReply } from './cell-message.ts';

describe('cell message (edge side)', () => {
  it('cell message - reads a reply and the cell bytes after it', () => {
    const reply = envelope(MessageType.MaskReply, { counts: [], cellBytes: 4 });
    const payload = Buffer.concat([encodeMessage(reply), Buffer.from('\n'), Buffer.from('fffffffe', 'hex')]);
    const read = decodeCellReply(payload);
    expect(read.body).toEqual(reply.body);
    expect(read.cells).toEqual(Buffer.from('fffffffe', 'hex'));
    const error = { counts: [], error: { code: 'unmaskable' as const, message: 'no' } };
    expect(decodeCellReply(encodeMessage(envelope(MessageType.MaskReply, error)))).toEqual({
      body: error,
      cells: undefined,
    });
  });

  it('cell message - a reply that is invalid, or whose bytes do not number cellBytes, is refused', () => {
    const reply = (cellBytes: number | undefined, tail: Buffer | undefined) =>
      Buffer.concat([
        encodeMessage(
          envelope(MessageType.MaskReply, { counts: [], ...(cellBytes === undefined ? {} : { cellBytes }) }),
        ),
        ...(tail === undefined ? [] : [Buffer.from('\n'), tail]),
      ]);
    for (const payload of [
      reply(5, Buffer.alloc(4)),
      reply(4, undefined),
      reply(undefined, Buffer.alloc(4)),
      Buffer.from('{"type":"gatehouse.masking.v1.mask_reply"}'),
      Buffer.from([0xff, 0xfe]),
    ]) {
      expect(() => decodeCellReply(payload)).toThrow(DependencyUnavailableError);
    }
  });
});
