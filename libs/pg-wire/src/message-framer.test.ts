import { MessageTooLargeError, ProtocolViolationError } from '@gatehouse/errors';
import fc from 'fast-check';
import { serialize } from 'pg-protocol';
import { describe, expect, it } from 'vitest';
import type { Frame } from './frame.ts';
import { DEFAULT_MAX_MESSAGE_SIZE, MessageFramer, MessageSource } from './message-framer.ts';
import { encodeDataRow } from './data-row.ts';
import { encodeReadyForQuery } from './ready-for-query.ts';

/** A realistic pipelined client burst: extended protocol, simple query, COPY data, terminate. */
const messages: Buffer[] = [
  serialize.parse({ name: 's1', text: 'select $1::int, $2::text', types: [23, 25] }),
  serialize.bind({ statement: 's1', values: ['42', null] }),
  serialize.describe({ type: 'P', name: '' }),
  serialize.execute({ portal: '', rows: 0 }),
  serialize.sync(),
  serialize.query('select 1'),
  serialize.copyData(Buffer.alloc(300, 0x61)),
  serialize.copyDone(),
  serialize.flush(),
  serialize.end(),
].map((message) => Buffer.from(message)); // pg-protocol reuses its writer: own the bytes
const stream = Buffer.concat(messages);

interface Seen {
  code: number;
  length: number;
  message: string;
  payload: string;
}

function seen(frame: Frame): Seen {
  return {
    code: frame.code,
    length: frame.length,
    message: frame.message().toString('hex'),
    payload: frame.payload().toString('hex'),
  };
}

const expected: Seen[] = messages.map((message) => ({
  code: message[0]!,
  length: message.readInt32BE(1),
  message: message.toString('hex'),
  payload: message.subarray(5).toString('hex'),
}));

/** A copy in its own ArrayBuffer (small Buffer.from copies share Node's pool slab). */
function ownCopy(bytes: Buffer): Buffer {
  const copy = Buffer.alloc(bytes.length);
  bytes.copy(copy);
  return copy;
}

function drain(framer: MessageFramer): Frame[] {
  const frames: Frame[] = [];
  for (let frame = framer.next(); frame !== null; frame = framer.next()) frames.push(frame);
  return frames;
}

function frameChunks(chunks: readonly Buffer[], framer = new MessageFramer()): Seen[] {
  const out: Seen[] = [];
  for (const chunk of chunks) {
    framer.push(chunk);
    out.push(...drain(framer).map(seen));
  }
  expect(framer.bufferedBytes).toBe(0);
  return out;
}

describe('MessageFramer', () => {
  it('message-framer - yields every message of one chunk in order', () => {
    expect(frameChunks([stream])).toEqual(expected);
  });

  it('message-framer - yields identical frames for every single split position', () => {
    for (let split = 0; split <= stream.length; split++) {
      const got = frameChunks([stream.subarray(0, split), stream.subarray(split)]);
      expect(got, `split at ${split}`).toEqual(expected);
    }
  });

  it('message-framer - yields identical frames for every pair of split positions within the first messages', () => {
    const head = Buffer.concat(messages.slice(0, 5));
    const want = expected.slice(0, 5);
    for (let a = 0; a <= head.length; a++) {
      for (let b = a; b <= head.length; b++) {
        const got = frameChunks([head.subarray(0, a), head.subarray(a, b), head.subarray(b)]);
        expect(got, `splits at ${a}, ${b}`).toEqual(want);
      }
    }
  });

  it('message-framer - yields identical frames when fed one byte at a time', () => {
    const chunks = Array.from(stream, (_, i) => stream.subarray(i, i + 1));
    expect(frameChunks(chunks)).toEqual(expected);
  });

  it('message-framer - yields identical frames for random chunkings (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: stream.length }), { maxLength: 40 }), (cuts) => {
        const points = [...new Set(cuts)].sort((x, y) => x - y);
        const chunks: Buffer[] = [];
        let previous = 0;
        for (const point of [...points, stream.length]) {
          chunks.push(stream.subarray(previous, point));
          previous = point;
        }
        expect(frameChunks(chunks)).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('message-framer - accepts several pushes before draining', () => {
    const framer = new MessageFramer();
    framer.push(stream.subarray(0, 7));
    framer.push(stream.subarray(7, 100));
    framer.push(stream.subarray(100));
    expect(framer.bufferedBytes).toBe(stream.length);
    expect(drain(framer).map(seen)).toEqual(expected);
    expect(framer.bufferedBytes).toBe(0);
  });

  it('message-framer - returns views of the pushed chunk when a message lies within it (zero copy)', () => {
    const chunk = ownCopy(stream);
    const framer = new MessageFramer();
    framer.push(chunk);
    const frames = drain(framer);
    expect(frames).toHaveLength(messages.length);
    let offset = 0;
    for (const frame of frames) {
      expect(frame.buffer).toBe(chunk);
      expect(frame.start).toBe(offset);
      const message = frame.message();
      expect(message.buffer).toBe(chunk.buffer);
      expect(message.byteOffset).toBe(chunk.byteOffset + offset);
      expect(frame.payload().buffer).toBe(chunk.buffer);
      expect(frame.payload().byteOffset).toBe(chunk.byteOffset + offset + 5);
      offset = frame.end;
    }
  });

  it('message-framer - copies only the split message; later messages of the next chunk stay views', () => {
    const split = messages[0]!.length + 3; // inside Bind
    const first = ownCopy(stream.subarray(0, split));
    const second = ownCopy(stream.subarray(split));
    const framer = new MessageFramer();
    framer.push(first);
    const [parse] = drain(framer);
    expect(parse!.message().buffer).toBe(first.buffer);
    framer.push(second);
    const [bind, describeFrame] = drain(framer);
    expect(bind!.message().buffer).not.toBe(first.buffer);
    expect(bind!.message().buffer).not.toBe(second.buffer);
    expect(bind!.message()).toEqual(messages[1]);
    expect(describeFrame!.buffer).toBe(second);
    expect(describeFrame!.message().buffer).toBe(second.buffer);
  });

  it('message-framer - rejects a length below 4 with ProtocolViolationError and stays failed', () => {
    for (const length of [3, 0, -1, -2147483648]) {
      const bad = Buffer.alloc(5);
      bad[0] = 0x51;
      bad.writeInt32BE(length, 1);
      const framer = new MessageFramer();
      framer.push(bad);
      expect(() => framer.next()).toThrow(ProtocolViolationError);
      expect(() => framer.next()).toThrow(`invalid frontend message length ${length} for message type 'Q'`);
      expect(() => framer.push(stream)).toThrow(ProtocolViolationError);
    }
  });

  it('message-framer - rejects a bad length even when the header arrives split', () => {
    const bad = Buffer.from([0x51, 0xff, 0xff, 0xff, 0xfe]);
    const framer = new MessageFramer();
    framer.push(bad.subarray(0, 2));
    expect(framer.next()).toBeNull();
    framer.push(bad.subarray(2));
    expect(() => framer.next()).toThrow(ProtocolViolationError);
  });

  it('message-framer - rejects a message over the cap before buffering its body', () => {
    const framer = new MessageFramer({ maxMessageSize: 1024, source: MessageSource.Backend });
    const header = Buffer.alloc(5);
    header[0] = 0x44;
    header.writeInt32BE(1025, 1);
    framer.push(header);
    expect(() => framer.next()).toThrow(MessageTooLargeError);
    expect(() => framer.next()).toThrow("backend message type 'D' of 1025 bytes exceeds the 1024-byte limit");
  });

  it('message-framer - accepts a message exactly at the cap', () => {
    const framer = new MessageFramer({ maxMessageSize: 1024 });
    const message = Buffer.alloc(1025, 0x7a);
    message[0] = 0x64;
    message.writeInt32BE(1024, 1);
    framer.push(message.subarray(0, 600));
    expect(framer.next()).toBeNull();
    framer.push(message.subarray(600));
    expect(framer.next()!.message()).toEqual(message);
  });

  it('message-framer - defaults to a 64 MiB cap and refuses nonsensical caps', () => {
    expect(new MessageFramer().maxMessageSize).toBe(64 * 1024 * 1024);
    expect(DEFAULT_MAX_MESSAGE_SIZE).toBe(67108864);
    expect(() => new MessageFramer({ maxMessageSize: 3 })).toThrow(RangeError);
  });

  it('message-framer - frames backend bytes the same way (DataRows and ReadyForQuery)', () => {
    const rows = Array.from({ length: 50 }, (_, i) => encodeDataRow([`${i}`, null, 'x'.repeat(i)]));
    const backend = Buffer.concat([...rows, encodeReadyForQuery('I')]);
    const framer = new MessageFramer({ source: MessageSource.Backend });
    const got = frameChunks(
      [backend.subarray(0, 333), backend.subarray(333, 334), backend.subarray(334)],
      framer,
    );
    expect(got.map((frame) => frame.message)).toEqual(
      [...rows, encodeReadyForQuery('I')].map((message) => message.toString('hex')),
    );
  });

  it('message-framer - takeBuffered returns the unframed bytes, including a partial header', () => {
    const framer = new MessageFramer();
    framer.push(stream.subarray(0, messages[0]!.length + 2));
    expect(drain(framer)).toHaveLength(1);
    expect(framer.bufferedBytes).toBe(2);
    expect(framer.takeBuffered()).toEqual(messages[1]!.subarray(0, 2));
    expect(framer.bufferedBytes).toBe(0);
    framer.push(stream);
    expect(drain(framer).map(seen)).toEqual(expected);
  });

  it('message-framer - takeBuffered returns a partial body and queued chunks', () => {
    const framer = new MessageFramer();
    framer.push(stream.subarray(0, 20));
    expect(framer.next()).toBeNull();
    framer.push(stream.subarray(20, 30));
    expect(framer.takeBuffered()).toEqual(stream.subarray(0, 30));
    expect(framer.takeBuffered()).toHaveLength(0);
  });
});
