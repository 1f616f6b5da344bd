import { describe, expect, it } from 'vitest';
import { DeadlineExceededError, DependencyUnavailableError } from '@gatehouse/errors';
import {
  encodeBindComplete,
  encodeCopyData,
  encodeCopyDone,
  encodeCopyOutResponse,
  encodeErrorResponse,
  encodeNoticeResponse,
  encodeParameterDescription,
  encodeParseComplete,
  encodePortalSuspended,
  encodeRowDescription,
  encodeSync,
  Severity,
  TargetKind,
  type Frame,
} from '@gatehouse/pg-wire';
import {
  bind,
  complete,
  customerFields,
  describeMessage,
  emailField,
  execute,
  field,
  harness,
  NO_DESCRIPTION,
  ready,
  row,
  settle,
  show,
  syncPoint,
  TEXT,
  CUSTOMERS,
  INT4,
} from './result-masker.fixture.ts';

describe('ResultMasker', () => {
  it('edge masking - without a masking profile every frame passes as the same bytes, no masking call', () => {
    const h = harness();
    const point = syncPoint();
    h.query(point, undefined, 'SELECT * FROM customers');
    const bytes = Buffer.concat([
      encodeRowDescription(customerFields),
      row('1', 'jane@example.com', null),
      complete('SELECT 1'),
      ready(),
    ]);
    h.framer.push(bytes);
    const frames = h.pull(point);
    expect(Buffer.concat(frames.map((frame) => frame.message()))).toEqual(bytes);
    expect(frames.every((frame) => frame.buffer === bytes)).toBe(true);
    expect(h.backend.calls).toEqual([]);
    expect(h.masker.evidenceFor(point)).toEqual({});
  });

  it('edge masking - a result the plan leaves alone passes untouched; the plan is then cached', async () => {
    const h = harness();
    const point = syncPoint();
    h.query(point, 'default', 'SELECT id FROM customers');
    const bytes = Buffer.concat([
      encodeRowDescription([field('id', INT4)]),
      row('1'),
      row('2'),
      complete('SELECT 2'),
      ready(),
    ]);
    h.framer.push(bytes);
    expect(h.pull(point)).toEqual([]);
    expect(h.masker.waiting).toBe(true);
    await settle();
    expect(h.readyCalls).toBe(1);
    const frames = h.pull(point);
    expect(Buffer.concat(frames.map((frame) => frame.message()))).toEqual(bytes);
    const again = syncPoint();
    h.query(again, 'default', 'SELECT id FROM customers');
    h.framer.push(bytes);
    expect(Buffer.concat(h.pull(again).map((frame) => frame.message()))).toEqual(bytes);
    expect(h.backend.calls.map((call) => call.kind)).toEqual(['planResult']);
  });

  it('edge masking - columns with a byte form in the plan are masked at the edge: their cells never travel, their values still count', async () => {
    const h = harness({ batchRows: 2 });
    const point = syncPoint();
    h.query(point, 'default', 'SELECT id, full_name, email, notes FROM customers');
    h.framer.push(
      Buffer.concat([
        encodeRowDescription([
          field('id', INT4),
          field('full_name', TEXT),
          emailField(),
          field('notes', TEXT),
        ]),
        row('1', 'Jane Doe', 'jane.doe@example.com', 'call 415-555-0120'),
        row('2', '  ', null, null),
        row('3', null, 'bob@example.org', 'nothing'),
        complete('SELECT 3'),
        ready(),
      ]),
    );
    const frames: Frame[] = [];
    for (let i = 0; i < 5 && !show(frames).includes('Z'); i++) {
      frames.push(...h.pull(point));
      await settle();
    }
    expect(show(frames)).toEqual([
      'T',
      'D 1 | [REDACTED:name] | ****@example.com | call ***-***-0120',
      'D 2 |    | NULL | NULL',
      'D 3 | NULL | ****@example.org | nothing',
      'C',
      'Z',
    ]);
    // Only the scanned column travels.
    expect(h.backend.calls.filter((call) => call.kind === 'maskRows').map((call) => call.rows)).toEqual([
      [['call 415-555-0120'], [null]],
      [['nothing']],
    ]);
    expect(h.masker.evidenceFor(point).masked).toMatchObject({
      total: 4,
      byEntity: { email: 2, name: 1, phone: 1 },
      byColumn: [
        { index: 1, column: 'full_name', byEntity: { name: 1 } },
        { index: 2, column: 'email', byEntity: { email: 2 } },
        { index: 3, column: 'notes', byEntity: { phone: 1 } },
      ],
    });
  });

  it('edge masking - a result masked entirely at the edge still asks masking for every batch: masking down fails it', async () => {
    const h = harness();
    const point = syncPoint();
    h.query(point, 'default', 'SELECT id, full_name FROM customers');
    const result = Buffer.concat([
      encodeRowDescription([field('id', INT4), field('full_name', TEXT)]),
      row('1', 'Jane Doe'),
      complete('SELECT 1'),
      ready(),
    ]);
    h.framer.push(result);
    const frames: Frame[] = [];
    for (let i = 0; i < 5 && !show(frames).includes('Z'); i++) {
      frames.push(...h.pull(point));
      await settle();
    }
    expect(show(frames)).toEqual(['T', 'D 1 | [REDACTED:name]', 'C', 'Z']);
    expect(h.backend.calls.map((call) => [call.kind, call.rows])).toEqual([
      ['planResult', undefined],
      ['maskRows', [[]]],
    ]);
    expect(h.masker.evidenceFor(point).masked?.byEntity).toEqual({ name: 1 });
    // With the plan cached and masking down, the next such result is refused, not sent.
    h.backend.failWith = new DependencyUnavailableError(
      'masking cannot answer: no instance is serving',
      'masking',
    );
    const again = syncPoint();
    h.query(again, 'default', 'SELECT id, full_name FROM customers');
    h.framer.push(result);
    const refused: Frame[] = [];
    for (let i = 0; i < 5 && !show(refused).includes('Z'); i++) {
      refused.push(...h.pull(again));
      await settle();
    }
    expect(refused.map((frame) => String.fromCharCode(frame.code))).toEqual(['T', 'E', 'Z']);
  });

  it('edge masking - masks DataRows in batches, in order, with recomputed lengths and untouched other cells', async () => {
    const h = harness({ batchRows: 2 });
    const point = syncPoint();
    h.query(point, 'default', 'SELECT * FROM customers');
    h.framer.push(
      Buffer.concat([
        encodeRowDescription(customerFields),
        row('1', 'jane.doe@example.com', 'call 415-555-0120'),
        row('2', null, 'nothing'),
        row('3', 'bob@example.org', null),
        complete('SELECT 3'),
        ready(),
      ]),
    );
    const frames: Frame[] = [];
    for (let i = 0; i < 5 && !show(frames).includes('Z'); i++) {
      frames.push(...h.pull(point));
      await settle();
    }
    expect(show(frames)).toEqual([
      'T',
      'D 1 | ****@example.com | call ***-***-0120',
      'D 2 | NULL | nothing',
      'D 3 | ****@example.org | NULL',
      'C',
      'Z',
    ]);
    // Only the cells masking must see travel: the id column is not masked, and the email column
    // has a byte form in the plan (its values are masked here, as masking would).
    expect(h.backend.calls.filter((call) => call.kind === 'maskRows').map((call) => call.rows)).toEqual([
      [['call 415-555-0120'], ['nothing']],
      [[null]],
    ]);
    expect(frames[2]!.message()).toEqual(row('2', null, 'nothing'));
    expect(h.masker.evidenceFor(point)).toEqual({
      masked: {
        profile: 'default',
        total: 3,
        byEntity: { email: 2, phone: 1 },
        byColumn: [
          { index: 1, column: 'email', byEntity: { email: 2 } },
          { index: 2, column: 'notes', byEntity: { phone: 1 } },
        ],
      },
    });
  });

  it('edge masking - holds the upstream while batches are out: at most maxInFlight, then waiting', async () => {
    const h = harness({ batchRows: 1, maxInFlight: 2 });
    const point = syncPoint();
    h.query(point, 'default', 'SELECT * FROM customers');
    h.framer.push(encodeRowDescription(customerFields));
    h.pull(point);
    await settle();
    h.backend.holdReplies = true;
    const rows = Array.from({ length: 5 }, (_, i) => row(String(i), `user${i}@example.com`, null));
    h.framer.push(Buffer.concat([...rows, complete('SELECT 5'), ready()]));
    expect(show(h.pull(point))).toEqual(['T']);
    expect(h.backend.pending).toBe(2);
    expect(h.masker.waiting).toBe(true);
    // The rest stays in the framer until masking answers.
    expect(h.framer.bufferedBytes).toBeGreaterThan(0);
    h.backend.release(1);
    await settle();
    expect(h.readyCalls).toBe(2);
    expect(show(h.pull(point))).toEqual(['D 0 | ****@example.com | NULL']);
    expect(h.backend.pending).toBe(2);
    h.backend.holdReplies = false;
    const rest: Frame[] = [];
    for (let i = 0; i < 10 && !show(rest).includes('Z'); i++) {
      h.backend.release();
      await settle();
      rest.push(...h.pull(point));
    }
    expect(show(rest)).toEqual([
      'D 1 | ****@example.com | NULL',
      'D 2 | ****@example.com | NULL',
      'D 3 | ****@example.com | NULL',
      'D 4 | ****@example.com | NULL',
      'C',
      'Z',
    ]);
  });

  it('edge masking - masking down: the result becomes a clear error, no row of it is sent, the session goes on', async () => {
    const h = harness({ batchRows: 2 });
    const point = syncPoint();
    h.query(point, 'default', 'SELECT * FROM customers');
    h.framer.push(encodeRowDescription(customerFields));
    h.pull(point);
    await settle();
    h.backend.failWith = new DependencyUnavailableError(
      'masking cannot answer: no instance is serving',
      'masking',
    );
    h.framer.push(
      Buffer.concat([
        row('1', 'jane.doe@example.com', null),
        row('2', 'bob@example.org', null),
        row('3', 'eve@example.net', null),
        encodeNoticeResponse({
          severity: Severity.Notice,
          severityNonLocalized: Severity.Notice,
          code: '00000',
          message: 'n',
        }),
        complete('SELECT 3'),
        ready(),
      ]),
    );
    const frames = h.pull(point);
    await settle();
    frames.push(...h.pull(point));
    expect(show(frames)).toEqual([
      'T',
      'E 58000 Gatehouse could not mask this result (masking cannot answer: no instance is serving); refused (fail closed)',
      // The notice is not part of the refused result, but its text could not be checked either.
      'N 00000 Gatehouse withheld the text of this notice: masking could not check it for personal data (masking cannot answer: no instance is serving)',
      'Z',
    ]);
    const sent = Buffer.concat(frames.map((frame) => frame.message())).toString('latin1');
    expect(sent).not.toMatch(/example\.(com|org|net)/u);
    // The next statement of the session is masked normally.
    h.backend.failWith = undefined;
    const next = syncPoint();
    h.query(next, 'default', 'SELECT * FROM customers');
    h.framer.push(
      Buffer.concat([
        encodeRowDescription(customerFields),
        row('4', 'amy@example.com', null),
        complete('SELECT 1'),
        ready(),
      ]),
    );
    const after = h.pull(next);
    await settle();
    after.push(...h.pull(next));
    expect(show(after)).toEqual(['T', 'D 4 | ****@example.com | NULL', 'C', 'Z']);
  });

  it('edge masking - a plan that cannot be had (deadline) drops the RowDescription and fails the statement', async () => {
    const h = harness();
    const point = syncPoint();
    h.query(point, 'strict', 'SELECT * FROM customers');
    h.backend.failWith = new DeadlineExceededError('masking did not answer within 2000 ms', 'masking');
    h.framer.push(
      Buffer.concat([
        encodeRowDescription(customerFields),
        row('1', 'jane@example.com', null),
        complete('SELECT 1'),
        ready(),
      ]),
    );
    const frames = h.pull(point);
    await settle();
    frames.push(...h.pull(point));
    expect(show(frames)).toEqual([
      'E 58000 Gatehouse could not mask this result (masking did not answer within 2000 ms); refused (fail closed)',
      'Z',
    ]);
  });

  it('edge masking - a binary column masking cannot rewrite is refused with 0A000', async () => {
    const h = harness();
    const point = syncPoint();
    h.query(point, 'default', 'SELECT created_at AS date_of_birth');
    h.framer.push(
      Buffer.concat([
        encodeRowDescription([field('date_of_birth', 1184, 0, 1)]),
        row(Buffer.alloc(8)),
        complete('SELECT 1'),
        ready(),
      ]),
    );
    h.pull(point);
    await settle();
    const [refusal, ...rest] = show(h.pull(point));
    expect(refusal).toMatch(
      /^E 0A000 Gatehouse refused this result: column "date_of_birth": binary format of type 1184 cannot be masked/u,
    );
    expect(rest).toEqual(['Z']);
  });

  it('edge masking - binary text cells are masked and written back as binary', async () => {
    const h = harness();
    const point = syncPoint();
    h.query(point, 'default', 'SELECT email FROM customers');
    h.framer.push(
      Buffer.concat([
        encodeRowDescription([field('email', TEXT, CUSTOMERS, 1)]),
        row(Buffer.from('jane@example.com')),
        complete('SELECT 1'),
        ready(),
      ]),
    );
    h.pull(point);
    await settle();
    const frames = h.pull(point);
    await settle();
    frames.push(...h.pull(point));
    expect(show(frames)).toEqual(['T', 'D ****@example.com', 'C', 'Z']);
  });

  it('edge masking - rows without a RowDescription cannot be planned and are refused', () => {
    const h = harness();
    const point = syncPoint();
    h.query(point, 'default', 'EXECUTE prepared');
    h.framer.push(
      Buffer.concat([row('jane@example.com'), row('bob@example.com'), complete('SELECT 2'), ready()]),
    );
    expect(show(h.pull(point))).toEqual([NO_DESCRIPTION, 'Z']);
  });

  it('edge masking - a sync point with no statement of its own is masked with the session profile and its statement shape', async () => {
    const h = harness();
    const first = syncPoint();
    h.parse(first, 'default', 'q', 'SELECT email FROM customers');
    h.client(describeMessage(TargetKind.Statement, 'q'), encodeSync());
    h.framer.push(
      Buffer.concat([
        encodeParseComplete(),
        encodeParameterDescription([]),
        encodeRowDescription([emailField()]),
        ready(),
      ]),
    );
    expect(show(await h.drain(first))).toEqual(['1', 't', 'T', 'Z']);
    const later = syncPoint(); // Bind/Execute of the prepared statement: nothing admitted in this sync point
    h.client(bind('', 'q'), execute(), encodeSync());
    h.framer.push(
      Buffer.concat([encodeBindComplete(), row('jane@example.com'), complete('SELECT 1'), ready()]),
    );
    expect(show(await h.drain(later))).toEqual(['2', 'D ****@example.com', 'C', 'Z']);
  });

  it('edge masking - rows before an upstream ErrorResponse are flushed and masked before it', async () => {
    const h = harness();
    const point = syncPoint();
    h.query(point, 'default', 'SELECT email, 1/(id-2) FROM customers');
    h.framer.push(encodeRowDescription([field('email', TEXT)]));
    h.pull(point);
    await settle();
    const error = encodeErrorResponse({
      severity: Severity.Error,
      severityNonLocalized: Severity.Error,
      code: '22012',
      message: 'division by zero',
    });
    h.framer.push(Buffer.concat([row('jane@example.com'), error, ready()]));
    expect(show(await h.drain(point))).toEqual(['T', 'D ****@example.com', 'E 22012 division by zero', 'Z']);
  });

  it('edge masking - rows after PortalSuspended keep the plan of their portal at the next Execute', async () => {
    const h = harness();
    const point = syncPoint();
    h.parse(point, 'default', '', 'SELECT email FROM customers');
    h.client(bind('p', ''), describeMessage(TargetKind.Portal, 'p'), execute('p', 1));
    h.framer.push(
      Buffer.concat([
        encodeParseComplete(),
        encodeBindComplete(),
        encodeRowDescription([emailField()]),
        row('a@example.com'),
        encodePortalSuspended(),
      ]),
    );
    const frames = await h.drain(point);
    h.client(execute('p', 0), encodeSync());
    h.framer.push(Buffer.concat([row('b@example.com'), complete('SELECT 1'), ready()]));
    frames.push(...(await h.drain(point)));
    expect(show(frames)).toEqual(['1', '2', 'T', 'D ****@example.com', 's', 'D ****@example.com', 'C', 'Z']);
  });

  it('edge masking - masks COPY TO STDOUT text rows and refuses a binary COPY that needs masking', async () => {
    const h = harness();
    const point = syncPoint();
    h.query(point, 'default', 'COPY customers (id, email) TO STDOUT');
    h.framer.push(
      Buffer.concat([
        encodeCopyOutResponse({ format: 0, columnFormats: [0, 0] }),
        encodeCopyData(Buffer.from('1\tjane@example.com\n')),
        encodeCopyData(Buffer.from('2\t\\N\n')),
        encodeCopyDone(),
        complete('COPY 2'),
        ready(),
      ]),
    );
    const frames = h.pull(point);
    for (let i = 0; i < 3; i++) {
      await settle();
      frames.push(...h.pull(point));
    }
    expect(show(frames)).toEqual(['H', 'd 1\t****@example.com\n', 'd 2\t\\N\n', 'c', 'C', 'Z']);
    expect(h.backend.calls.find((call) => call.kind === 'maskCopy')).toMatchObject({ offset: 0 });
    expect(h.masker.evidenceFor(point)).toMatchObject({ masked: { total: 1, byEntity: { email: 1 } } });

    const binary = syncPoint();
    h.query(binary, 'default', 'COPY customers (id, email) TO STDOUT (FORMAT binary)');
    h.framer.push(
      Buffer.concat([
        encodeCopyOutResponse({ format: 1, columnFormats: [1, 1] }),
        encodeCopyData(Buffer.from('PGCOPY')),
        encodeCopyDone(),
        complete('COPY 1'),
        ready(),
      ]),
    );
    h.pull(binary);
    await settle();
    expect(show(h.pull(binary))).toEqual([
      'E 0A000 Gatehouse refused this result: COPY in binary format cannot be masked; use FORMAT text or csv',
      'Z',
    ]);
  });

  it('edge masking - a closed session ignores late answers', async () => {
    const h = harness();
    const point = syncPoint();
    h.query(point, 'default', 'SELECT email FROM customers');
    h.backend.holdReplies = true;
    h.framer.push(encodeRowDescription([field('email', TEXT)]));
    h.pull(point);
    h.masker.close();
    h.backend.release();
    await settle();
    expect(h.readyCalls).toBe(0);
    expect(h.masker.waiting).toBe(false);
  });
});
