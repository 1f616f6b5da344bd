import { ProtocolViolationError } from '@gatehouse/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BufferReader } from './buffer-reader.ts';
import { BufferWriter } from './buffer-writer.ts';

describe('BufferWriter and BufferReader', () => {
  it('buffer-writer - fills in the length of a tagged message and of an untagged packet', () => {
    expect(new BufferWriter().int32(7).message(0x51).toString('hex')).toBe('510000000800000007');
    expect(new BufferWriter().int32(7).packet().toString('hex')).toBe('0000000800000007');
    expect(new BufferWriter().message(0x53).toString('hex')).toBe('5300000004');
  });

  it('buffer-writer - grows past its initial capacity', () => {
    const body = Buffer.alloc(10_000, 0xab);
    const message = new BufferWriter(1).byte(1).bytes(body).cstring('end').message(0x64);
    expect(message.length).toBe(5 + 1 + 10_000 + 4);
    expect(message.readInt32BE(1)).toBe(4 + 1 + 10_000 + 4);
    expect(message.subarray(6, 10_006)).toEqual(body);
    expect(message.subarray(-4).toString('latin1')).toBe('end\0');
  });

  it('buffer-writer - is single-use and refuses NUL inside a String', () => {
    const writer = new BufferWriter();
    writer.message(0x51);
    expect(() => writer.message(0x51)).toThrow('already finished');
    expect(() => new BufferWriter().cstring('a\0b')).toThrow(RangeError);
  });

  it('buffer-codec - every field type round-trips (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -32768, max: 32767 }),
        fc.integer({ min: -2147483648, max: 2147483647 }),
        fc.integer({ min: 0, max: 4294967295 }),
        fc.string({ unit: 'grapheme' }).filter((s) => !s.includes('\0')),
        fc.uint8Array({ maxLength: 64 }),
        (i16, i32, u32, text, bytes) => {
          const message = new BufferWriter(1)
            .int16(i16)
            .int32(i32)
            .uint32(u32)
            .cstring(text)
            .int32(bytes.length)
            .bytes(bytes)
            .byte(0xfe)
            .message(0x78);
          const reader = new BufferReader(message, 'Test', 5);
          expect(reader.int16()).toBe(i16);
          expect(reader.int32()).toBe(i32);
          expect(reader.uint32()).toBe(u32);
          expect(reader.cstring()).toBe(text);
          expect(reader.bytes(reader.int32())).toEqual(Buffer.from(bytes));
          expect(reader.byte()).toBe(0xfe);
          expect(reader.remaining).toBe(0);
          reader.expectEnd();
        },
      ),
    );
  });

  it('buffer-reader - never reads past the message end even when the buffer goes on', () => {
    // Two messages' worth of bytes; the reader is bounded to the first 6.
    const buffer = Buffer.from('abc\0\0\x01next\0', 'latin1');
    const reader = new BufferReader(buffer, 'Test', 0, 6);
    expect(reader.cstring()).toBe('abc');
    expect(() => reader.int32()).toThrow(
      new ProtocolViolationError(
        'invalid Test message: Int32 runs past the end of the message (2 byte(s) left)',
      ),
    );
    expect(reader.int16()).toBe(1);
    expect(() => reader.byte()).toThrow(ProtocolViolationError);
    const unterminated = new BufferReader(buffer, 'Test', 6, 8);
    expect(() => unterminated.cstring()).toThrow('invalid Test message: unterminated string');
  });

  it('buffer-reader - bytes are views; negative lengths and counts are violations', () => {
    const buffer = Buffer.from([0xff, 0xff, 1, 2, 3]);
    const reader = new BufferReader(buffer, 'Test');
    expect(() => new BufferReader(buffer, 'Test').count('item')).toThrow('negative item count -1');
    expect(() => reader.bytes(-1)).toThrow('negative length -1');
    reader.int16();
    const view = reader.bytes(2);
    buffer[2] = 9;
    expect([...view]).toEqual([9, 2]);
    expect(reader.rest()).toEqual(Buffer.from([3]));
    expect(() => new BufferReader(buffer, 'Test').expectEnd()).toThrow('5 unexpected trailing byte(s)');
  });
});
