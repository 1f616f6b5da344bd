import { describe, expect, it } from 'vitest';
import { InvalidMessageError } from '@gatehouse/errors';
import { envelope } from './envelope.ts';
import { decodeFramedMessage, encodeFramedMessage } from './framed-message.ts';
import { encodeMessage } from './message-codec.ts';
import { MessageType } from './message-types.ts';

const body = { profile: 'default', target: 'demo', columns: [] };

describe('framed messages', () => {
  it('framed-message - reads a JSON-only payload, and one whose bytes follow the JSON and a line feed', () => {
    const plain = decodeFramedMessage(
      MessageType.MaskRequest,
      encodeMessage(envelope(MessageType.MaskRequest, { ...body, lines: ['x'] })),
    );
    expect(plain.message.body.lines).toEqual(['x']);
    expect(plain.bytes).toBeUndefined();
    const cells = Buffer.from([0, 0, 0, 2, 0x0a, 0xff]); // the bytes may hold line feeds themselves
    const payload = Buffer.concat([
      encodeMessage(envelope(MessageType.MaskRequest, { ...body, rowCount: 1, cellBytes: cells.length })),
      Buffer.from('\n'),
      cells,
    ]);
    const framed = decodeFramedMessage(
      MessageType.MaskRequest,
      new Uint8Array(payload.buffer, payload.byteOffset, payload.length),
    );
    expect(framed.message.body.cellBytes).toBe(6);
    expect(framed.bytes).toEqual(cells);
  });

  it('framed-message - invalid JSON or an invalid message is an InvalidMessageError', () => {
    for (const payload of ['{"type":"nope"}\n\u0000', 'not json', '\n']) {
      expect(() => decodeFramedMessage(MessageType.MaskRequest, Buffer.from(payload))).toThrow(
        InvalidMessageError,
      );
    }
  });

  it('framed-message - writes the JSON, then a line feed and a copy of the bytes when there are any', () => {
    const reply = envelope(MessageType.MaskReply, { counts: [], cellBytes: 2 });
    const cells = Buffer.from([0x0a, 0x41]);
    const framed = encodeFramedMessage(reply, cells);
    cells.fill(0xff); // the caller reuses its buffer for the next batch
    const split = framed.indexOf(0x0a);
    expect(JSON.parse(framed.subarray(0, split).toString())).toEqual(reply);
    expect(framed.subarray(split + 1)).toEqual(Buffer.from([0x0a, 0x41]));
    const error = envelope(MessageType.MaskReply, { counts: [], error: { code: 'internal', message: 'no' } });
    expect(JSON.parse(encodeFramedMessage(error, undefined).toString())).toEqual(error);
    expect(decodeFramedMessage(MessageType.MaskReply, encodeFramedMessage(reply, Buffer.from('ab')))).toEqual(
      {
        message: reply,
        bytes: Buffer.from('ab'),
      },
    );
  });
});
