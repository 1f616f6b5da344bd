import { describe, expect, it } from 'vitest';
import { DependencyUnavailableError } from '@gatehouse/errors';
import {
  BackendMessageCode,
  decodeDiagnostic,
  encodeErrorResponse,
  encodeNoticeResponse,
  encodeParameterStatus,
  encodeParse,
  encodeRowDescription,
  Severity,
} from '@gatehouse/pg-wire';
import { decodeNotificationResponse, encodeNotificationResponse } from './notification-response.ts';
import {
  complete,
  diagnostic,
  emailField,
  harness,
  ready,
  row,
  sent,
  show,
  syncPoint,
} from './result-masker.fixture.ts';

// Real: the result masker, the @gatehouse/pii text masking (in process, as the masking service's
// `lines` request does it) and ErrorResponse / NoticeResponse / NotificationResponse bytes as
// PostgreSQL sends them.

const castError = diagnostic({
  code: '22P02',
  message: 'invalid input syntax for type integer: "jane.doe@example.com"',
  position: '8',
  file: 'numutils.c',
  line: '617',
  routine: 'pg_strtoint32_safe',
});

const uniqueViolation = diagnostic({
  code: '23505',
  message: 'duplicate key value violates unique constraint "customers_email_key"',
  detail: 'Key (email)=(jane.doe@example.com) already exists.',
  schema: 'public',
  table: 'customers',
  constraint: 'customers_email_key',
});

const raiseNotice = {
  severity: Severity.Notice,
  severityNonLocalized: Severity.Notice,
  code: '00000',
  message: 'customer jane.doe@example.com, phone 415-555-0120',
  where: 'PL/pgSQL function inline_code_block line 1 at RAISE',
};

const notification = (payload: string) =>
  encodeNotificationResponse({ processId: 4242, channel: 'orders', payload });

describe('ResultMasker with errors, notices and notifications', () => {
  it('edge masking - an error quoting a value is masked; SQLSTATE, position and every other field are kept', async () => {
    const h = harness();
    const point = syncPoint();
    h.query(point, 'default', 'SELECT email::int FROM customers WHERE id = 1');
    h.framer.push(Buffer.concat([encodeErrorResponse(castError), ready()]));
    const frames = await h.drain(point);
    expect(show(frames)).toEqual(['E 22P02 invalid input syntax for type integer: "****@example.com"', 'Z']);
    expect(decodeDiagnostic(frames[0]!.payload())).toEqual({
      ...castError,
      message: 'invalid input syntax for type integer: "****@example.com"',
    });
    expect(h.backend.calls.map((call) => call.lines)).toEqual([[castError.message]]);
    expect(h.masker.evidenceFor(point)).toEqual({
      masked: {
        profile: 'default',
        total: 1,
        byEntity: { email: 1 },
        byColumn: [],
        inMessages: { email: 1 },
      },
    });
  });

  it('edge masking - a unique violation DETAIL is masked, the constraint names stay', async () => {
    const h = harness();
    const point = syncPoint();
    h.parse(point, 'default', '', "INSERT INTO customers (email) VALUES ('jane.doe@example.com')");
    h.framer.push(encodeErrorResponse(uniqueViolation));
    const frames = await h.drain(point);
    expect(frames.map((frame) => decodeDiagnostic(frame.payload()))).toEqual([
      { ...uniqueViolation, detail: 'Key (email)=(****@example.com) already exists.' },
    ]);
  });

  it('edge masking - a RAISE NOTICE in a masked statement is masked in place, between the rows', async () => {
    const h = harness();
    const point = syncPoint();
    h.query(point, 'default', 'SELECT email, noisy(id) FROM customers');
    h.framer.push(
      Buffer.concat([
        encodeRowDescription([emailField()]),
        row('a@example.com'),
        encodeNoticeResponse(raiseNotice),
        row('b@example.com'),
        complete('SELECT 2'),
        ready(),
      ]),
    );
    const frames = await h.drain(point);
    expect(show(frames)).toEqual([
      'T',
      'D ****@example.com',
      'N 00000 customer ****@example.com, phone ***-***-0120',
      'D ****@example.com',
      'C',
      'Z',
    ]);
    expect(decodeDiagnostic(frames[2]!.payload()).where).toBe(raiseNotice.where);
  });

  it('edge masking - a notification between statements is masked with the session profile', async () => {
    const h = harness();
    const listen = syncPoint();
    h.query(listen, 'default', 'LISTEN orders');
    h.framer.push(Buffer.concat([complete('LISTEN'), ready()]));
    await h.drain(listen);
    // Idle session: no sync point open when another session's NOTIFY arrives.
    h.framer.push(notification('shipped to jane.doe@example.com'));
    const frames = await h.drain(undefined);
    expect(frames.map((frame) => decodeNotificationResponse(frame.payload()))).toEqual([
      { processId: 4242, channel: 'orders', payload: 'shipped to ****@example.com' },
    ]);
  });

  it('edge masking - without any masking profile in the session, messages pass as the same bytes with no masking call', async () => {
    const h = harness();
    const point = syncPoint();
    h.query(point, undefined, 'SELECT email::int FROM customers');
    const bytes = Buffer.concat([
      encodeNoticeResponse(raiseNotice),
      encodeErrorResponse(castError),
      notification('jane.doe@example.com'),
      ready(),
    ]);
    h.framer.push(bytes);
    const frames = await h.drain(point);
    expect(Buffer.concat(frames.map((frame) => frame.message()))).toEqual(bytes);
    expect(h.backend.calls).toEqual([]);
  });

  it('edge masking - masking down: error text is replaced by a generic message under the same SQLSTATE; notification payloads too', async () => {
    const h = harness();
    h.backend.failWith = new DependencyUnavailableError(
      'masking cannot answer: no instance is serving',
      'masking',
    );
    const point = syncPoint();
    h.query(point, 'default', 'SELECT email::int FROM customers');
    h.framer.push(
      Buffer.concat([notification('jane.doe@example.com'), encodeErrorResponse(uniqueViolation), ready()]),
    );
    const frames = await h.drain(point);
    expect(sent(frames)).not.toContain('jane.doe');
    expect(decodeNotificationResponse(frames[0]!.payload())).toEqual({
      processId: 4242,
      channel: 'orders',
      payload: 'Gatehouse withheld this payload: masking could not check it for personal data',
    });
    expect(decodeDiagnostic(frames[1]!.payload())).toEqual({
      severity: 'ERROR',
      severityNonLocalized: 'ERROR',
      code: '23505',
      message:
        'Gatehouse withheld the text of this error: masking could not check it for personal data (masking cannot answer: no instance is serving)',
      schema: 'public',
      table: 'customers',
      constraint: 'customers_email_key',
    });
    expect(frames[2]!.code).toBe(BackendMessageCode.ReadyForQuery);
  });

  it('edge masking - the error answering a refusal marker passes unmasked (the relay rewrites it)', async () => {
    const h = harness();
    const point = syncPoint();
    h.query(point, 'default', 'SELECT 1'); // the session has a profile
    h.framer.push(Buffer.concat([complete('SELECT 1'), ready()]));
    await h.drain(point);
    const refused = syncPoint();
    // A refused Parse: the relay forwards a marker without admitting anything.
    h.client(encodeParse({ statement: '', query: 'GATEHOUSE_REFUSED_0123456789abcdef', parameterTypes: [] }));
    const marker = encodeErrorResponse(
      diagnostic({ code: '42601', message: 'syntax error at or near "GATEHOUSE_REFUSED_0123456789abcdef"' }),
    );
    h.framer.push(Buffer.concat([marker, ready()]));
    const frames = await h.drain(refused);
    expect(frames[0]!.message()).toEqual(marker);
    expect(h.backend.calls.filter((call) => call.kind === 'maskLines')).toEqual([]);
  });

  it('edge masking - a notice arriving while a refused result is discarded is still masked; ParameterStatus passes', async () => {
    const h = harness();
    const point = syncPoint();
    h.query(point, 'default', 'SELECT email FROM customers');
    h.framer.push(encodeRowDescription([emailField()]));
    await h.drain(point);
    h.backend.failWith = new DependencyUnavailableError(
      'masking cannot answer: no instance is serving',
      'masking',
    );
    h.framer.push(row('a@example.com'));
    h.framer.push(complete('SELECT 1')); // flushes the batch: masking fails, the result is refused
    await h.drain(point);
    h.backend.failWith = undefined;
    h.framer.push(
      Buffer.concat([
        encodeNoticeResponse(raiseNotice),
        encodeParameterStatus('TimeZone', 'UTC'),
        complete('SELECT 1'),
        ready(),
      ]),
    );
    const frames = await h.drain(point);
    expect(show(frames)).toEqual(['N 00000 customer ****@example.com, phone ***-***-0120', 'S', 'Z']);
  });
});
