import { ProtocolViolationError } from '@gatehouse/errors';
import { serialize } from 'pg-protocol';
import { describe, expect, it } from 'vitest';
import { decodeBind, encodeBind, formatCodeAt } from './bind-message.ts';
import { encodeCopyDone, encodeFlush, encodeSync, encodeTerminate } from './bodiless-message.ts';
import { decodeCopyFail, encodeCopyData, encodeCopyFail } from './copy-message.ts';
import { decodeClose, decodeDescribe, encodeClose, encodeDescribe } from './describe-close-message.ts';
import { decodeExecute, encodeExecute } from './execute-message.ts';
import { decodeFunctionCall } from './function-call.ts';
import { FrontendMessageCode } from './message-codes.ts';
import { MessageFramer } from './message-framer.ts';
import { decodeParse, encodeParse } from './parse-message.ts';
import {
  decodePasswordMessage,
  decodeSaslInitialResponse,
  decodeSaslResponse,
  encodePasswordMessage,
  encodeSaslInitialResponse,
  encodeSaslResponse,
} from './password-message.ts';
import { decodeQuery, encodeQuery } from './query-message.ts';

/** Frames one message the way the edge does and returns its code and payload view. */
function framed(message: Buffer): { code: number; payload: Buffer } {
  const framer = new MessageFramer();
  framer.push(Buffer.from(message)); // pg-protocol reuses its writer buffer: own the bytes
  const frame = framer.next();
  if (frame === null) throw new Error('message did not frame');
  expect(framer.next()).toBeNull();
  return { code: frame.code, payload: frame.payload() };
}

describe('frontend message decoders read what node-postgres (pg-protocol) sends', () => {
  it('query - decodes pg Query bytes and re-encodes them identically', () => {
    const sql = "select 'é', 1; select 2 -- ünïcode";
    const sent = serialize.query(sql);
    const { code, payload } = framed(sent);
    expect(code).toBe(FrontendMessageCode.Query);
    expect(decodeQuery(payload)).toEqual({ sql });
    expect(encodeQuery(sql)).toEqual(sent);
  });

  it('parse - decodes statement name, query and unsigned parameter type OIDs', () => {
    const sent = Buffer.from(
      serialize.parse({ name: 'stmt_1', text: 'select $1, $2, $3', types: [23, 0, 25] }),
    );
    const { code, payload } = framed(sent);
    expect(code).toBe(FrontendMessageCode.Parse);
    const decoded = decodeParse(payload);
    expect(decoded).toEqual({ statement: 'stmt_1', query: 'select $1, $2, $3', parameterTypes: [23, 0, 25] });
    expect(encodeParse(decoded)).toEqual(sent);
    const big = encodeParse({ statement: '', query: 'select $1', parameterTypes: [4294967295] });
    expect(decodeParse(framed(big).payload).parameterTypes).toEqual([4294967295]);
  });

  it('bind - decodes portal, statement, per-parameter formats, values (NULL, empty, binary) and result formats', () => {
    const sent = Buffer.from(
      serialize.bind({
        portal: 'p1',
        statement: 'stmt_1',
        values: ['42', null, Buffer.from([1, 2, 3]), ''],
        binary: true,
      }),
    );
    const { code, payload } = framed(sent);
    expect(code).toBe(FrontendMessageCode.Bind);
    const decoded = decodeBind(payload);
    expect(decoded.portal).toBe('p1');
    expect(decoded.statement).toBe('stmt_1');
    expect(decoded.parameterFormats).toEqual([0, 0, 1, 0]);
    expect(decoded.parameters).toEqual([Buffer.from('42'), null, Buffer.from([1, 2, 3]), Buffer.alloc(0)]);
    expect(decoded.resultFormats).toEqual([1]);
    expect(encodeBind(decoded)).toEqual(sent);
    expect(formatCodeAt(decoded.parameterFormats, 2)).toBe(1);
    expect(formatCodeAt(decoded.resultFormats, 7)).toBe(1);
    expect(formatCodeAt([], 3)).toBe(0);
  });

  it('bind - parameter values are views of the framed message, not copies', () => {
    const sent = Buffer.from(serialize.bind({ values: ['abc'] }));
    const { payload } = framed(sent);
    const value = decodeBind(payload).parameters[0]!;
    expect(value.toString()).toBe('abc');
    payload[payload.indexOf('abc')] = 0x7a; // writing through the message shows in the value
    expect(value.toString()).toBe('zbc');
  });

  it('bind - rejects a format count that is neither 0, 1 nor the parameter count', () => {
    const bad = encodeBind({
      portal: '',
      statement: '',
      parameterFormats: [0, 0],
      parameters: ['a', 'b', 'c'],
      resultFormats: [],
    });
    expect(() => decodeBind(framed(bad).payload)).toThrow(
      'invalid Bind message: 2 parameter formats for 3 parameters',
    );
  });

  it('bind - rejects a parameter length below -1 and a value running past the end', () => {
    const payload = Buffer.from([0, 0, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xfe, 0, 0]);
    expect(() => decodeBind(payload)).toThrow('parameter 1 has length -2');
    const truncated = Buffer.from([0, 0, 0, 0, 0, 1, 0, 0, 0, 9, 0x61, 0, 0]);
    expect(() => decodeBind(truncated)).toThrow(ProtocolViolationError);
  });

  it('describe/close - decode statement and portal targets as pg sends them', () => {
    const cases = [
      [
        serialize.describe({ type: 'P', name: 'p1' }),
        decodeDescribe,
        { kind: 'P', name: 'p1' },
        encodeDescribe,
      ],
      [serialize.describe({ type: 'S' }), decodeDescribe, { kind: 'S', name: '' }, encodeDescribe],
      [
        serialize.close({ type: 'S', name: 'stmt_1' }),
        decodeClose,
        { kind: 'S', name: 'stmt_1' },
        encodeClose,
      ],
      [serialize.close({ type: 'P' }), decodeClose, { kind: 'P', name: '' }, encodeClose],
    ] as const;
    for (const [sent, decode, want, encode] of cases) {
      const bytes = Buffer.from(sent);
      expect(decode(framed(bytes).payload)).toEqual(want);
      expect(encode(want)).toEqual(bytes);
    }
    expect(() => decodeDescribe(Buffer.from('X\0'))).toThrow(
      'invalid Describe message: unknown target type 0x58',
    );
  });

  it('execute - decodes portal and row limit, including the default unnamed/unlimited form', () => {
    const limited = Buffer.from(serialize.execute({ portal: 'p1', rows: 100 }));
    expect(decodeExecute(framed(limited).payload)).toEqual({ portal: 'p1', maxRows: 100 });
    expect(encodeExecute({ portal: 'p1', maxRows: 100 })).toEqual(limited);
    const plain = Buffer.from(serialize.execute());
    expect(decodeExecute(framed(plain).payload)).toEqual({ portal: '', maxRows: 0 });
  });

  it('password - decodes an 8 KB bearer token sent as a cleartext password', () => {
    const token = `eyJ${'a'.repeat(8 * 1024)}.sig`;
    const sent = Buffer.from(serialize.password(token));
    const { code, payload } = framed(sent);
    expect(code).toBe(FrontendMessageCode.PasswordMessage);
    const { password } = decodePasswordMessage(payload);
    expect(password.toString()).toBe(token);
    expect(encodePasswordMessage(token)).toEqual(sent);
    expect(encodePasswordMessage(Buffer.from(token))).toEqual(sent);
  });

  it('password - a 40 KB token arriving in 16 KiB socket reads frames and decodes intact', () => {
    const token = Buffer.alloc(40 * 1024, 0x41).toString();
    const sent = encodePasswordMessage(token);
    const framer = new MessageFramer();
    const frames = [];
    for (let offset = 0; offset < sent.length; offset += 16 * 1024) {
      framer.push(sent.subarray(offset, offset + 16 * 1024));
      for (let frame = framer.next(); frame !== null; frame = framer.next()) frames.push(frame);
    }
    expect(frames).toHaveLength(1);
    expect(decodePasswordMessage(frames[0]!.payload()).password.toString()).toBe(token);
  });

  it('password - rejects a password without terminator or with bytes after it', () => {
    expect(() => decodePasswordMessage(Buffer.from('secret'))).toThrow('unterminated string');
    expect(() => decodePasswordMessage(Buffer.from('secret\0x'))).toThrow('1 unexpected trailing byte(s)');
  });

  it('sasl - decodes SCRAM initial and final client messages as pg sends them', () => {
    const initial = Buffer.from(serialize.sendSASLInitialResponseMessage('SCRAM-SHA-256', 'n,,n=*,r=nonce'));
    const decoded = decodeSaslInitialResponse(framed(initial).payload);
    expect(decoded.mechanism).toBe('SCRAM-SHA-256');
    expect(decoded.initialResponse?.toString()).toBe('n,,n=*,r=nonce');
    expect(encodeSaslInitialResponse('SCRAM-SHA-256', Buffer.from('n,,n=*,r=nonce'))).toEqual(initial);
    const final = Buffer.from(serialize.sendSCRAMClientFinalMessage('c=biws,r=nonce,p=proof'));
    expect(decodeSaslResponse(framed(final).payload).data.toString()).toBe('c=biws,r=nonce,p=proof');
    expect(encodeSaslResponse(Buffer.from('c=biws,r=nonce,p=proof'))).toEqual(final);
  });

  it('sasl - round-trips an absent initial response (length -1)', () => {
    const message = encodeSaslInitialResponse('OAUTHBEARER', null);
    expect(decodeSaslInitialResponse(framed(message).payload)).toEqual({
      mechanism: 'OAUTHBEARER',
      initialResponse: null,
    });
  });

  it('copy - decodes CopyFail and encodes CopyData, CopyDone like pg', () => {
    const fail = Buffer.from(serialize.copyFail('client aborted'));
    expect(decodeCopyFail(framed(fail).payload)).toEqual({ message: 'client aborted' });
    expect(encodeCopyFail('client aborted')).toEqual(fail);
    const data = Buffer.from('1\tAda\n2\tGrace\n');
    expect(encodeCopyData(data)).toEqual(Buffer.from(serialize.copyData(data)));
    expect(encodeCopyDone()).toEqual(Buffer.from(serialize.copyDone()));
  });

  it('bodiless - Sync, Flush and Terminate match pg byte for byte', () => {
    expect(encodeSync()).toEqual(Buffer.from(serialize.sync()));
    expect(encodeFlush()).toEqual(Buffer.from(serialize.flush()));
    expect(encodeTerminate()).toEqual(Buffer.from(serialize.end()));
    expect(encodeSync().toString('hex')).toBe('5300000004');
  });

  it('function-call - detects a FunctionCall and names the function OID', () => {
    const payload = Buffer.from([0, 0, 0x04, 0x2a, 0, 0, 0, 0, 0, 0]);
    expect(decodeFunctionCall(payload)).toEqual({ functionOid: 1066 });
    expect(() => decodeFunctionCall(Buffer.from([0, 1]))).toThrow(
      'invalid FunctionCall message: Int32 runs past the end of the message (2 byte(s) left)',
    );
  });

  it('parse - rejects a truncated OID list and a negative count', () => {
    const truncated = Buffer.from('s\0select 1\0\0\x02\0\0\0\x17', 'latin1');
    expect(() => decodeParse(truncated)).toThrow(
      'invalid Parse message: Int32 runs past the end of the message',
    );
    const negative = Buffer.from('s\0select 1\0\xff\xff', 'latin1');
    expect(() => decodeParse(negative)).toThrow('negative parameter type count -1');
  });

  it('query - rejects SQL text without terminator', () => {
    expect(() => decodeQuery(Buffer.from('select 1'))).toThrow('invalid Query message: unterminated string');
  });
});
