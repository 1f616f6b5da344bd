import { ProtocolViolationError } from '@gatehouse/errors';
import type { BackendMessage } from 'pg-protocol/dist/messages.js';
import { Parser } from 'pg-protocol/dist/parser.js';
import { describe, expect, it } from 'vitest';
import {
  decodeAuthenticationRequest,
  encodeAuthenticationCleartextPassword,
  encodeAuthenticationOk,
  encodeAuthenticationSasl,
  encodeAuthenticationSaslContinue,
  encodeAuthenticationSaslFinal,
} from './authentication-request.ts';
import { decodeBackendKeyData, encodeBackendKeyData } from './backend-key-data.ts';
import {
  encodeBindComplete,
  encodeCloseComplete,
  encodeCopyDone,
  encodeEmptyQueryResponse,
  encodeNoData,
  encodeParseComplete,
  encodePortalSuspended,
} from './bodiless-message.ts';
import {
  commandTag,
  decodeCommandComplete,
  encodeCommandComplete,
  parseCommandTag,
} from './command-complete.ts';
import {
  decodeCopyResponse,
  encodeCopyData,
  encodeCopyInResponse,
  encodeCopyOutResponse,
} from './copy-message.ts';
import { encodeDataRow } from './data-row.ts';
import {
  decodeDiagnostic,
  DiagnosticFieldTag,
  encodeErrorResponse,
  encodeNoticeResponse,
  type Diagnostic,
} from './diagnostic-message.ts';
import { EncryptionResponse, encodeEncryptionResponse } from './encryption-response.ts';
import { AuthenticationType, BackendMessageCode } from './message-codes.ts';
import { MessageFramer, MessageSource } from './message-framer.ts';
import {
  decodeNegotiateProtocolVersion,
  encodeNegotiateProtocolVersion,
} from './negotiate-protocol-version.ts';
import { decodeParameterDescription, encodeParameterDescription } from './parameter-description.ts';
import { decodeParameterStatus, encodeParameterStatus } from './parameter-status.ts';
import { decodeReadyForQuery, encodeReadyForQuery } from './ready-for-query.ts';
import { decodeRowDescription, encodeRowDescription, type FieldDescription } from './row-description.ts';

/** Feeds bytes to node-postgres' own backend parser, as a real driver would read them. */
function pgParse(...messages: Buffer[]): (BackendMessage & Record<string, unknown>)[] {
  const parsed: (BackendMessage & Record<string, unknown>)[] = [];
  new Parser().parse(Buffer.concat(messages), (message) => parsed.push(message as never));
  return parsed;
}

/** Frames one backend message and returns its code and payload. */
function framed(message: Buffer): { code: number; payload: Buffer } {
  const framer = new MessageFramer({ source: MessageSource.Backend });
  framer.push(message);
  const frame = framer.next();
  if (frame === null) throw new Error('message did not frame');
  expect(framer.next()).toBeNull();
  return { code: frame.code, payload: frame.payload() };
}

const fields: FieldDescription[] = [
  {
    name: 'id',
    tableOid: 16384,
    columnAttributeNumber: 1,
    typeOid: 23,
    typeSize: 4,
    typeModifier: -1,
    format: 0,
  },
  {
    name: 'émail',
    tableOid: 4294967295,
    columnAttributeNumber: 2,
    typeOid: 1043,
    typeSize: -1,
    typeModifier: 259,
    format: 1,
  },
];

describe('backend encoders produce what node-postgres (pg-protocol) parses', () => {
  it('authentication - Ok, CleartextPassword and the SASL family parse as pg expects', () => {
    const [ok, cleartext, sasl, saslContinue, saslFinal] = pgParse(
      encodeAuthenticationOk(),
      encodeAuthenticationCleartextPassword(),
      encodeAuthenticationSasl(['SCRAM-SHA-256-PLUS', 'SCRAM-SHA-256']),
      encodeAuthenticationSaslContinue(Buffer.from('r=nonce,s=salt,i=4096')),
      encodeAuthenticationSaslFinal(Buffer.from('v=signature')),
    );
    expect(ok).toMatchObject({ name: 'authenticationOk', length: 8 });
    expect(cleartext).toMatchObject({ name: 'authenticationCleartextPassword', length: 8 });
    expect(sasl).toMatchObject({
      name: 'authenticationSASL',
      mechanisms: ['SCRAM-SHA-256-PLUS', 'SCRAM-SHA-256'],
    });
    expect(saslContinue).toMatchObject({ name: 'authenticationSASLContinue', data: 'r=nonce,s=salt,i=4096' });
    expect(saslFinal).toMatchObject({ name: 'authenticationSASLFinal', data: 'v=signature' });
  });

  it('authentication - our decoder reads every request type back', () => {
    expect(decodeAuthenticationRequest(framed(encodeAuthenticationOk()).payload)).toEqual({
      type: AuthenticationType.Ok,
      mechanisms: [],
      data: Buffer.alloc(0),
    });
    expect(decodeAuthenticationRequest(framed(encodeAuthenticationSasl(['SCRAM-SHA-256'])).payload)).toEqual({
      type: AuthenticationType.Sasl,
      mechanisms: ['SCRAM-SHA-256'],
      data: Buffer.alloc(0),
    });
    const final = decodeAuthenticationRequest(
      framed(encodeAuthenticationSaslFinal(Buffer.from('v=x'))).payload,
    );
    expect(final.type).toBe(AuthenticationType.SaslFinal);
    expect(final.data.toString()).toBe('v=x');
  });

  it('parameter-status - parses in pg and round-trips', () => {
    const message = encodeParameterStatus('server_version', '18.1 (gatehouse)');
    expect(pgParse(message)[0]).toMatchObject({
      name: 'parameterStatus',
      parameterName: 'server_version',
      parameterValue: '18.1 (gatehouse)',
    });
    expect(decodeParameterStatus(framed(message).payload)).toEqual({
      name: 'server_version',
      value: '18.1 (gatehouse)',
    });
  });

  it('backend-key-data - a 4-byte key parses in pg; a 32-byte 3.2 key round-trips', () => {
    const key = Buffer.alloc(4);
    key.writeInt32BE(-559038737, 0);
    const message = encodeBackendKeyData(12345, key);
    expect(message.toString('hex')).toBe('4b0000000c00003039deadbeef');
    expect(pgParse(message)[0]).toMatchObject({
      name: 'backendKeyData',
      processID: 12345,
      secretKey: -559038737,
    });
    const longKey = Buffer.from(Array.from({ length: 32 }, (_, i) => 255 - i));
    expect(decodeBackendKeyData(framed(encodeBackendKeyData(7, longKey)).payload)).toEqual({
      processId: 7,
      secretKey: longKey,
    });
  });

  it('backend-key-data - refuses keys outside 4..256 bytes both ways', () => {
    expect(() => encodeBackendKeyData(1, Buffer.alloc(3))).toThrow(RangeError);
    expect(() => encodeBackendKeyData(1, Buffer.alloc(257))).toThrow(RangeError);
    expect(() => decodeBackendKeyData(Buffer.alloc(4 + 257))).toThrow(ProtocolViolationError);
    expect(() => decodeBackendKeyData(Buffer.alloc(4 + 3))).toThrow('secret key of 3 bytes');
  });

  it('ready-for-query - each status parses in pg and round-trips', () => {
    for (const status of ['I', 'T', 'E'] as const) {
      const message = encodeReadyForQuery(status);
      expect(pgParse(message)[0]).toMatchObject({ name: 'readyForQuery', status });
      expect(decodeReadyForQuery(framed(message).payload)).toBe(status);
    }
    expect(() => decodeReadyForQuery(Buffer.from('X'))).toThrow("unknown transaction status 'X'");
    expect(() => decodeReadyForQuery(Buffer.from('II'))).toThrow('trailing');
  });

  it('error-response - every field reaches pg DatabaseError and round-trips', () => {
    const diagnostic: Diagnostic = {
      severity: 'ERROR',
      severityNonLocalized: 'ERROR',
      code: '23505',
      message: 'duplicate key value violates unique constraint "people_email_key"',
      detail: 'Key (email)=(ada@example.com) already exists.',
      hint: 'Use another address.',
      position: '15',
      internalPosition: '3',
      internalQuery: 'select 1',
      where: 'PL/pgSQL function f() line 3',
      schema: 'public',
      table: 'people',
      column: 'email',
      dataType: 'text',
      constraint: 'people_email_key',
      file: 'nbtinsert.c',
      line: '666',
      routine: '_bt_check_unique',
    };
    const message = encodeErrorResponse(diagnostic);
    const parsed = pgParse(message)[0]!;
    expect(parsed).toBeInstanceOf(Error);
    expect(parsed).toMatchObject({
      name: 'error',
      message: diagnostic.message,
      severity: 'ERROR',
      code: '23505',
      detail: diagnostic.detail,
      hint: diagnostic.hint,
      position: '15',
      internalPosition: '3',
      internalQuery: 'select 1',
      where: diagnostic.where,
      schema: 'public',
      table: 'people',
      column: 'email',
      dataType: 'text',
      constraint: 'people_email_key',
      file: 'nbtinsert.c',
      line: '666',
      routine: '_bt_check_unique',
    });
    const { code, payload } = framed(message);
    expect(code).toBe(BackendMessageCode.ErrorResponse);
    expect(decodeDiagnostic(payload)).toEqual(diagnostic);
  });

  it('notice-response - parses in pg as a notice and round-trips', () => {
    const diagnostic: Diagnostic = {
      severity: 'NOTICE',
      code: '00000',
      message: 'statement held for approval',
    };
    const message = encodeNoticeResponse(diagnostic);
    expect(pgParse(message)[0]).toMatchObject({
      name: 'notice',
      severity: 'NOTICE',
      code: '00000',
      message: 'statement held for approval',
    });
    expect(decodeDiagnostic(framed(message).payload)).toEqual(diagnostic);
  });

  it('diagnostic - writes fields in PostgreSQL order: S V C M first', () => {
    const message = encodeErrorResponse({
      message: 'm',
      code: '42501',
      severity: 'FATAL',
      severityNonLocalized: 'FATAL',
    });
    expect(message.subarray(5).toString('latin1')).toBe('SFATAL\0VFATAL\0C42501\0Mm\0\0');
    expect(DiagnosticFieldTag.detail).toBe('D');
  });

  it('diagnostic - skips fields of unknown type, as the protocol requires', () => {
    const payload = Buffer.from('SERROR\0C42P01\0Mgone\0Zfuture\0\0', 'latin1');
    expect(decodeDiagnostic(payload)).toEqual({ severity: 'ERROR', code: '42P01', message: 'gone' });
    expect(() => decodeDiagnostic(Buffer.from('SERROR\0', 'latin1'))).toThrow(ProtocolViolationError);
  });

  it('row-description - parses in pg field by field and round-trips, unsigned OIDs included', () => {
    const message = encodeRowDescription(fields);
    const parsed = pgParse(message)[0]!;
    expect(parsed).toMatchObject({ name: 'rowDescription', fieldCount: 2 });
    expect(parsed['fields']).toEqual([
      expect.objectContaining({
        name: 'id',
        tableID: 16384,
        columnID: 1,
        dataTypeID: 23,
        dataTypeSize: 4,
        dataTypeModifier: -1,
        format: 'text',
      }),
      expect.objectContaining({
        name: 'émail',
        tableID: 4294967295,
        columnID: 2,
        dataTypeID: 1043,
        dataTypeSize: -1,
        dataTypeModifier: 259,
        format: 'binary',
      }),
    ]);
    expect(decodeRowDescription(framed(message).payload)).toEqual(fields);
    expect(decodeRowDescription(framed(encodeRowDescription([])).payload)).toEqual([]);
  });

  it('row-description - rejects a field list shorter than its count', () => {
    const message = encodeRowDescription(fields);
    const payload = Buffer.from(framed(message).payload.subarray(0, 20));
    expect(() => decodeRowDescription(payload)).toThrow('invalid RowDescription message');
  });

  it('data-row - rows with NULL and empty cells parse in pg', () => {
    const parsed = pgParse(encodeDataRow(['1', null, '', 'ünï']))[0]!;
    expect(parsed).toMatchObject({ name: 'dataRow', fields: ['1', null, '', 'ünï'] });
  });

  it('command-complete - parses in pg and decodes into command and row count', () => {
    const message = encodeCommandComplete('INSERT 0 5');
    expect(pgParse(message)[0]).toMatchObject({ name: 'commandComplete', text: 'INSERT 0 5' });
    expect(decodeCommandComplete(framed(message).payload)).toEqual({
      tag: 'INSERT 0 5',
      command: 'INSERT',
      rows: 5,
    });
  });

  it('command-complete - splits every tag shape PostgreSQL documents', () => {
    expect(parseCommandTag('SELECT 3')).toEqual({ tag: 'SELECT 3', command: 'SELECT', rows: 3 });
    expect(parseCommandTag('UPDATE 0')).toEqual({ tag: 'UPDATE 0', command: 'UPDATE', rows: 0 });
    for (const command of ['DELETE', 'MERGE', 'MOVE', 'FETCH', 'COPY']) {
      expect(parseCommandTag(`${command} 12`)).toEqual({ tag: `${command} 12`, command, rows: 12 });
    }
    expect(parseCommandTag('CREATE TABLE')).toEqual({
      tag: 'CREATE TABLE',
      command: 'CREATE TABLE',
      rows: undefined,
    });
    expect(parseCommandTag('BEGIN')).toEqual({ tag: 'BEGIN', command: 'BEGIN', rows: undefined });
    expect(parseCommandTag('INSERT 5')).toEqual({ tag: 'INSERT 5', command: 'INSERT 5', rows: undefined });
    expect(commandTag('INSERT', 2)).toBe('INSERT 0 2');
    expect(commandTag('SELECT', 7)).toBe('SELECT 7');
    expect(commandTag('SET')).toBe('SET');
  });

  it('bodiless - completion messages parse in pg as their own names', () => {
    const parsed = pgParse(
      encodeParseComplete(),
      encodeBindComplete(),
      encodeCloseComplete(),
      encodeNoData(),
      encodeEmptyQueryResponse(),
      encodePortalSuspended(),
      encodeCopyDone(),
    );
    expect(parsed.map((message) => message.name)).toEqual([
      'parseComplete',
      'bindComplete',
      'closeComplete',
      'noData',
      'emptyQuery',
      'portalSuspended',
      'copyDone',
    ]);
  });

  it('parameter-description - parses in pg and round-trips', () => {
    const message = encodeParameterDescription([23, 25, 4294967295]);
    expect(pgParse(message)[0]).toMatchObject({
      name: 'parameterDescription',
      parameterCount: 3,
      dataTypeIDs: [23, 25, 4294967295],
    });
    expect(decodeParameterDescription(framed(message).payload)).toEqual([23, 25, 4294967295]);
  });

  it('copy - CopyIn/CopyOut responses and CopyData parse in pg and round-trip', () => {
    const copyIn = encodeCopyInResponse({ format: 1, columnFormats: [1, 1] });
    const copyOut = encodeCopyOutResponse({ format: 0, columnFormats: [0, 0, 0] });
    const data = encodeCopyData(Buffer.from('1\tAda\n'));
    const [parsedIn, parsedOut, parsedData] = pgParse(copyIn, copyOut, data);
    expect(parsedIn).toMatchObject({ name: 'copyInResponse', binary: true, columnTypes: [1, 1] });
    expect(parsedOut).toMatchObject({ name: 'copyOutResponse', binary: false, columnTypes: [0, 0, 0] });
    expect((parsedData as unknown as { chunk: Buffer }).chunk.toString()).toBe('1\tAda\n');
    expect(decodeCopyResponse(framed(copyIn).payload)).toEqual({ format: 1, columnFormats: [1, 1] });
    expect(decodeCopyResponse(framed(copyOut).payload)).toEqual({ format: 0, columnFormats: [0, 0, 0] });
  });

  it('negotiate-protocol-version - carries the whole version number and the unsupported options', () => {
    const message = encodeNegotiateProtocolVersion({
      minorVersion: 2,
      unsupportedOptions: ['_pq_.a', '_pq_.b'],
    });
    expect(message.subarray(0, 13).toString('hex')).toBe('76' + '0000001a' + '00030002' + '00000002');
    expect(decodeNegotiateProtocolVersion(framed(message).payload)).toEqual({
      majorVersion: 3,
      minorVersion: 2,
      unsupportedOptions: ['_pq_.a', '_pq_.b'],
    });
  });

  it('encryption-response - answers SSLRequest/GSSENCRequest with one unframed byte', () => {
    expect(encodeEncryptionResponse(EncryptionResponse.SslAccepted)).toEqual(Buffer.from('S'));
    expect(encodeEncryptionResponse(EncryptionResponse.GssAccepted)).toEqual(Buffer.from('G'));
    expect(encodeEncryptionResponse(EncryptionResponse.Refused)).toEqual(Buffer.from('N'));
  });
});
