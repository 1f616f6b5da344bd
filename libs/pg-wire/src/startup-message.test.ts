import { MessageTooLargeError, ProtocolViolationError } from '@gatehouse/errors';
import { serialize } from 'pg-protocol';
import { describe, expect, it } from 'vitest';
import { ProtocolVersion, StartupRequestCode } from './message-codes.ts';
import { isTlsHandshake, MAX_STARTUP_PACKET_LENGTH, StartupFramer } from './startup-framer.ts';
import {
  decodeStartupPacket,
  encodeCancelRequest,
  encodeGssEncRequest,
  encodeSslRequest,
  encodeStartupMessage,
  StartupPacketKind,
  type StartupMessage,
} from './startup-message.ts';
import { UnsupportedProtocolVersionError } from './unsupported-protocol-version-error.ts';

function startup(packet: Buffer, options?: Parameters<typeof decodeStartupPacket>[1]): StartupMessage {
  const decoded = decodeStartupPacket(packet, options);
  if (decoded.kind !== StartupPacketKind.Startup)
    throw new Error(`expected a StartupMessage, got ${decoded.kind}`);
  return decoded;
}

/** Builds a raw packet: Int32 length, Int32 code, then body bytes. */
function rawPacket(code: number, body: Buffer = Buffer.alloc(0)): Buffer {
  const packet = Buffer.alloc(8 + body.length);
  packet.writeInt32BE(packet.length, 0);
  packet.writeInt32BE(code, 4);
  body.copy(packet, 8);
  return packet;
}

describe('decodeStartupPacket', () => {
  it('startup - decodes the SSLRequest pg sends, byte for byte 00000008 04d2162f', () => {
    const packet = Buffer.from(serialize.requestSsl());
    expect(packet.toString('hex')).toBe('0000000804d2162f');
    expect(decodeStartupPacket(packet)).toEqual({ kind: 'ssl-request' });
    expect(encodeSslRequest()).toEqual(packet);
  });

  it('startup - decodes a GSSENCRequest', () => {
    const packet = encodeGssEncRequest();
    expect(packet.toString('hex')).toBe('0000000804d21630');
    expect(decodeStartupPacket(packet)).toEqual({ kind: 'gssenc-request' });
  });

  it('startup - decodes the 4-byte-key CancelRequest pg sends', () => {
    const packet = Buffer.from(serialize.cancel(4242, -123456789));
    const decoded = decodeStartupPacket(packet);
    expect(decoded.kind).toBe('cancel-request');
    if (decoded.kind !== 'cancel-request') return;
    expect(decoded.processId).toBe(4242);
    expect(decoded.secretKey.readInt32BE(0)).toBe(-123456789);
    expect(encodeCancelRequest(4242, decoded.secretKey)).toEqual(packet);
  });

  it('startup - decodes a protocol 3.2 CancelRequest with a 256-byte key', () => {
    const key = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const packet = encodeCancelRequest(7, key);
    expect(packet.readInt32BE(0)).toBe(8 + 4 + 256);
    expect(decodeStartupPacket(packet)).toEqual({ kind: 'cancel-request', processId: 7, secretKey: key });
  });

  it('startup - rejects cancel keys shorter than 4 or longer than 256 bytes', () => {
    const short = rawPacket(StartupRequestCode.CancelRequest, Buffer.from([0, 0, 0, 1, 9, 9, 9]));
    expect(() => decodeStartupPacket(short)).toThrow('cancel key of 3 bytes');
    const long = rawPacket(StartupRequestCode.CancelRequest, Buffer.alloc(4 + 257));
    expect(() => decodeStartupPacket(long)).toThrow(ProtocolViolationError);
    expect(() => encodeCancelRequest(1, Buffer.alloc(257))).toThrow(RangeError);
  });

  it('startup - rejects an SSLRequest with trailing bytes', () => {
    expect(() => decodeStartupPacket(rawPacket(StartupRequestCode.SslRequest, Buffer.from([1])))).toThrow(
      'invalid startup packet message: 1 unexpected trailing byte(s)',
    );
  });

  it('startup - decodes the 3.0 StartupMessage pg sends with its parameters in order', () => {
    const packet = Buffer.from(
      serialize.startup({ user: 'alice', database: 'demo', application_name: 'psql', options: '-c x=1' }),
    );
    const decoded = startup(packet);
    expect(decoded.majorVersion).toBe(3);
    expect(decoded.requestedMinorVersion).toBe(0);
    expect(decoded.minorVersion).toBe(0);
    expect([...decoded.parameters]).toEqual([
      ['user', 'alice'],
      ['database', 'demo'],
      ['application_name', 'psql'],
      ['options', '-c x=1'],
      ['client_encoding', 'UTF8'],
    ]);
    expect(decoded.user).toBe('alice');
    expect(decoded.database).toBe('demo');
    expect(decoded.replication).toBeUndefined();
    expect(decoded.protocolOptions.size).toBe(0);
    expect(decoded.negotiation).toBeUndefined();
    expect(encodeStartupMessage({ parameters: decoded.parameters })).toEqual(packet);
  });

  it('startup - defaults the database to the user name, as PostgreSQL does', () => {
    expect(startup(encodeStartupMessage({ parameters: [['user', 'bob']] })).database).toBe('bob');
    expect(
      startup(
        encodeStartupMessage({
          parameters: [
            ['user', 'bob'],
            ['database', ''],
          ],
        }),
      ).database,
    ).toBe('bob');
  });

  it('startup - accepts 3.2 without negotiation and surfaces replication=database', () => {
    const packet = encodeStartupMessage({
      minorVersion: 2,
      parameters: [
        ['user', 'repl'],
        ['database', 'demo'],
        ['replication', 'database'],
      ],
    });
    expect(packet.readInt32BE(4)).toBe(ProtocolVersion.V3_2);
    const decoded = startup(packet);
    expect(decoded.requestedMinorVersion).toBe(2);
    expect(decoded.minorVersion).toBe(2);
    expect(decoded.replication).toBe('database');
    expect(decoded.negotiation).toBeUndefined();
  });

  it('startup - reports a newer minor version for NegotiateProtocolVersion', () => {
    const decoded = startup(encodeStartupMessage({ minorVersion: 9, parameters: [['user', 'u']] }));
    expect(decoded.requestedMinorVersion).toBe(9);
    expect(decoded.minorVersion).toBe(2);
    expect(decoded.negotiation).toEqual({ minorVersion: 2, unsupportedOptions: [] });
  });

  it('startup - negotiates down to 3.0 when the edge is configured for 3.0 only', () => {
    const decoded = startup(encodeStartupMessage({ minorVersion: 2, parameters: [['user', 'u']] }), {
      newestMinorVersion: 0,
    });
    expect(decoded.minorVersion).toBe(0);
    expect(decoded.negotiation).toEqual({ minorVersion: 0, unsupportedOptions: [] });
  });

  it('startup - collects _pq_ options apart and reports the unsupported ones', () => {
    const decoded = startup(
      encodeStartupMessage({
        parameters: [
          ['_pq_.compression', 'zstd'],
          ['user', 'u'],
          ['_pq_.known', 'on'],
          ['_pq_.other', ''],
        ],
      }),
      { supportedProtocolOptions: new Set(['_pq_.known']) },
    );
    expect([...decoded.parameters]).toEqual([['user', 'u']]);
    expect([...decoded.protocolOptions]).toEqual([
      ['_pq_.compression', 'zstd'],
      ['_pq_.known', 'on'],
      ['_pq_.other', ''],
    ]);
    expect(decoded.minorVersion).toBe(0);
    expect(decoded.negotiation).toEqual({
      minorVersion: 0,
      unsupportedOptions: ['_pq_.compression', '_pq_.other'],
    });
  });

  it('startup - rejects protocol 2.0 and 4.0 with UnsupportedProtocolVersionError', () => {
    for (const [major, minor] of [
      [2, 0],
      [4, 0],
    ] as const) {
      const packet = rawPacket((major << 16) | minor, Buffer.from('user\0u\0\0'));
      expect(() => decodeStartupPacket(packet)).toThrow(UnsupportedProtocolVersionError);
      expect(() => decodeStartupPacket(packet)).toThrow(
        `unsupported frontend protocol ${major}.0: server supports 3.0 to 3.2`,
      );
    }
  });

  it('startup - rejects a missing terminator, a repeated parameter, trailing bytes and a missing user', () => {
    const version = ProtocolVersion.V3_0;
    expect(() => decodeStartupPacket(rawPacket(version, Buffer.from('user\0u\0')))).toThrow(
      'unterminated string',
    );
    expect(() => decodeStartupPacket(rawPacket(version, Buffer.from('user\0a\0user\0b\0\0')))).toThrow(
      'parameter "user" appears twice',
    );
    expect(() => decodeStartupPacket(rawPacket(version, Buffer.from('user\0u\0\0x')))).toThrow('trailing');
    expect(() => decodeStartupPacket(rawPacket(version, Buffer.from('database\0d\0\0')))).toThrow(
      'no PostgreSQL user name specified in startup packet',
    );
  });

  it('startup - rejects a length field that disagrees with the packet', () => {
    const packet = encodeSslRequest();
    packet.writeInt32BE(9, 0);
    expect(() => decodeStartupPacket(packet)).toThrow('length 9 does not match 8 bytes');
  });

  it('startup - refuses to encode a parameter holding a NUL', () => {
    expect(() => encodeStartupMessage({ parameters: [['user', 'a\0database']] })).toThrow(RangeError);
  });
});

describe('StartupFramer', () => {
  it('startup-framer - reassembles an SSLRequest then a StartupMessage split at every position', () => {
    const ssl = encodeSslRequest();
    const start = encodeStartupMessage({
      parameters: [
        ['user', 'u'],
        ['database', 'd'],
      ],
    });
    const both = Buffer.concat([ssl, start]);
    for (let split = 0; split <= both.length; split++) {
      const framer = new StartupFramer();
      const packets: Buffer[] = [];
      for (const chunk of [both.subarray(0, split), both.subarray(split)]) {
        framer.push(chunk);
        for (let packet = framer.next(); packet !== null; packet = framer.next()) packets.push(packet);
      }
      expect(packets, `split at ${split}`).toEqual([ssl, start]);
      expect(framer.bufferedBytes).toBe(0);
    }
  });

  it('startup-framer - keeps bytes after the packet for the caller (tagged messages, or a TLS smuggling check)', () => {
    const framer = new StartupFramer();
    const query = Buffer.from('Q\0\0\0\x0dselect 1\0', 'latin1');
    framer.push(Buffer.concat([encodeSslRequest(), query]));
    expect(framer.next()).toEqual(encodeSslRequest());
    expect(framer.bufferedBytes).toBe(query.length);
    expect(framer.takeBuffered()).toEqual(query);
    expect(framer.bufferedBytes).toBe(0);
  });

  it('startup-framer - rejects a packet longer than 10 000 bytes as soon as its length is read', () => {
    expect(MAX_STARTUP_PACKET_LENGTH).toBe(10000);
    const framer = new StartupFramer();
    const header = Buffer.alloc(4);
    header.writeInt32BE(10001, 0);
    framer.push(header);
    expect(() => framer.next()).toThrow(MessageTooLargeError);
    expect(() => framer.next()).toThrow('startup packet of 10001 bytes exceeds the 10000-byte limit');
  });

  it('startup-framer - accepts a packet of exactly 10 000 bytes', () => {
    const value = 'v'.repeat(10000 - 8 - 'user\0'.length - 2);
    const packet = encodeStartupMessage({ parameters: [['user', value]] });
    expect(packet.length).toBe(10000);
    const framer = new StartupFramer();
    framer.push(packet);
    expect(framer.next()).toEqual(packet);
  });

  it('startup-framer - rejects lengths below 8, negative included', () => {
    for (const length of [7, 4, 0, -1]) {
      const framer = new StartupFramer();
      const header = Buffer.alloc(8);
      header.writeInt32BE(length, 0);
      framer.push(header);
      expect(() => framer.next()).toThrow(ProtocolViolationError);
    }
  });

  it('startup-framer - waits for 4 length bytes before judging', () => {
    const framer = new StartupFramer();
    framer.push(Buffer.from([0, 0, 0]));
    expect(framer.next()).toBeNull();
  });

  it('startup-framer - recognises a direct TLS ClientHello by its first byte', () => {
    expect(isTlsHandshake(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00]))).toBe(true);
    expect(isTlsHandshake(encodeSslRequest())).toBe(false);
    expect(isTlsHandshake(Buffer.alloc(0))).toBe(false);
  });
});
