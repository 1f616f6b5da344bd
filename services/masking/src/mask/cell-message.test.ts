import { describe, expect, it } from 'vitest';
import { encodeMessage, envelope, MessageType } from '@gatehouse/contracts';
import { InvalidMessageError } from '@gatehouse/errors';
import { decodeCellRequest, encodeCellReply } from './cell-message.ts';

const body = { profile: 'default', target: 'demo', columns: [] };

describe('cell message (masking side)', () => {
  it('cell message - reads a JSON-only request, and a request whose cell bytes follow the JSON and a line feed', () => {
    const plain = decodeCellRequest(
      encodeMessage(envelope(MessageType.MaskRequest, { ...body, lines: ['x'] })),
    );
    expect(plain.message.body.lines).toEqual(['x']);
    expect(plain.cells).toBeUndefined();
    const cells = Buffer.from([0, 0, 0, 2, 0x0a, 0xff]); // the bytes may hold line feeds themselves
    const payload = Buffer.concat([
      encodeMessage(envelope(MessageType.MaskRequest, { ...body, rowCount: 1, cellBytes: cells.length })),
      Buffer.from('\n'),
      cells,
    ]);
    const framed = decodeCellRequest(new Uint8Array(payload.buffer, payload.byteOffset, payload.length));
    expect(framed.message.body.cellBytes).toBe(6);
    expect(framed.cells).toEqual(cells);
  });

  it('cell message - a request whose JSON is invalid is an InvalidMessageError', () => {
    expect(() => decodeCellRequest(Buffer.from('{"type":"nope"}\n\u0000'))).toThrow(InvalidMessageError);
    expect(() => decodeCellRequest(Buffer.from('not json'))).toThrow(InvalidMessageError);
  });

  it('cell message - writes the reply as JSON, followed by a line feed and the cell bytes when there are any', () => {
    const reply = envelope(MessageType.MaskReply, { counts: [], cellBytes: 2 });
    const framed = encodeCellReply(reply, Buffer.from([0x0a, 0x41]));
    const split = framed.indexOf(0x0a);
    expect(JSON.parse(framed.subarray(0, split).toString())).toEqual(reply);
    expect(framed.subarray(split + 1)).toEqual(Buffer.from([0x0a, 0x41]));
    const error = envelope(MessageType.MaskReply, { counts: [], error: { code: 'internal', message: 'no' } });
    expect(JSON.parse(encodeCellReply(error, undefined).toString())).toEqual(error);
  });
});
