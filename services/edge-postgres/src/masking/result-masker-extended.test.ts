import { describe, expect, it } from 'vitest';
import {
  encodeBindComplete,
  encodeClose,
  encodeCloseComplete,
  encodeFlush,
  encodeNoData,
  encodeParameterDescription,
  encodeParseComplete,
  encodePortalSuspended,
  encodeErrorResponse,
  encodeReadyForQuery,
  encodeRowDescription,
  encodeSync,
  TargetKind,
  TransactionStatus,
} from '@gatehouse/pg-wire';
import {
  bind,
  complete,
  CUSTOMERS,
  describeMessage,
  diagnostic,
  emailField,
  execute,
  field,
  harness,
  INT4,
  NO_DESCRIPTION,
  ready,
  row,
  sent,
  show,
  syncPoint,
} from './result-masker.fixture.ts';

// Real: the result masker, the @gatehouse/pii masking code (in process) and wire messages encoded
// by @gatehouse/pg-wire, in the order PostgreSQL sends them for each client message sequence
// (https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY).

const xField = field('x', INT4, 0);
const idField = field('id', INT4);

describe('ResultMasker with the extended query protocol', () => {
  it('edge masking - a RowDescription answering Describe of another statement does not let the next Execute pass (fail closed)', async () => {
    // Parse s1 "SELECT 1 AS x"; Describe S s1; Parse s2 "SELECT email ..."; Bind; Execute; Sync
    const h = harness();
    const point = syncPoint();
    h.parse(point, 'default', 's1', 'SELECT 1 AS x');
    h.client(describeMessage(TargetKind.Statement, 's1'));
    h.parse(point, 'default', 's2', 'SELECT email FROM customers');
    h.client(bind('', 's2'), execute(), encodeSync());
    h.framer.push(
      Buffer.concat([
        encodeParseComplete(),
        encodeParameterDescription([]),
        encodeRowDescription([xField]),
        encodeParseComplete(),
        encodeBindComplete(),
        row('jane.doe@example.com'),
        complete('SELECT 1'),
        ready(),
      ]),
    );
    const frames = await h.drain(point);
    expect(show(frames)).toEqual(['1', 't', 'T', '1', '2', NO_DESCRIPTION, 'Z']);
    expect(sent(frames)).not.toContain('example.com');
  });

  it('edge masking - an Execute of a statement described before is masked with its shape', async () => {
    const h = harness();
    const point = syncPoint();
    h.parse(point, 'default', 's1', 'SELECT 1 AS x');
    h.client(describeMessage(TargetKind.Statement, 's1'));
    h.parse(point, 'default', 's2', 'SELECT email FROM customers');
    h.client(describeMessage(TargetKind.Statement, 's2'), bind('', 's2'), execute(), encodeSync());
    h.framer.push(
      Buffer.concat([
        encodeParseComplete(),
        encodeParameterDescription([]),
        encodeRowDescription([xField]),
        encodeParseComplete(),
        encodeParameterDescription([]),
        encodeRowDescription([emailField()]),
        encodeBindComplete(),
        row('jane.doe@example.com'),
        complete('SELECT 1'),
        ready(),
      ]),
    );
    expect(show(await h.drain(point))).toEqual([
      '1',
      't',
      'T',
      '1',
      't',
      'T',
      '2',
      'D ****@example.com',
      'C',
      'Z',
    ]);
  });

  it('edge masking - a statement described in one sync point and executed in a later one uses the Bind formats (binary)', async () => {
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
    const later = syncPoint();
    h.client(bind('', 'q', [1]), execute(), encodeSync());
    h.framer.push(
      Buffer.concat([
        encodeBindComplete(),
        row(Buffer.from('jane.doe@example.com')),
        complete('SELECT 1'),
        ready(),
      ]),
    );
    expect(show(await h.drain(later))).toEqual(['2', 'D ****@example.com', 'C', 'Z']);
    // The binary result was planned as binary (its own plan request, not the text plan of the Describe).
    expect(h.backend.calls.filter((call) => call.kind === 'planResult')).toHaveLength(1);
  });

  it('edge masking - with two portals described, each Execute is masked with its own portal shape', async () => {
    // Bind p1 (id), Bind p2 (email), Describe p2, Describe p1, Execute p2: the last RowDescription
    // (p1, nothing to mask) must not decide about p2's rows.
    const h = harness();
    const point = syncPoint();
    h.parse(point, 'default', 'ids', 'SELECT id FROM customers');
    h.parse(point, 'default', 'emails', 'SELECT email FROM customers');
    h.client(
      bind('p1', 'ids'),
      bind('p2', 'emails'),
      describeMessage(TargetKind.Portal, 'p2'),
      describeMessage(TargetKind.Portal, 'p1'),
      execute('p2'),
      execute('p1'),
      encodeSync(),
    );
    h.framer.push(
      Buffer.concat([
        encodeParseComplete(),
        encodeParseComplete(),
        encodeBindComplete(),
        encodeBindComplete(),
        encodeRowDescription([emailField()]),
        encodeRowDescription([idField]),
        row('jane.doe@example.com'),
        complete('SELECT 1'),
        row('7'),
        complete('SELECT 1'),
        ready(),
      ]),
    );
    expect(show(await h.drain(point))).toEqual([
      '1',
      '1',
      '2',
      '2',
      'T',
      'T',
      'D ****@example.com',
      'C',
      'D 7',
      'C',
      'Z',
    ]);
  });

  it('edge masking - after PortalSuspended an Execute of another, undescribed portal is refused, not masked with the plan of the first', async () => {
    const h = harness();
    const point = syncPoint();
    h.parse(point, 'default', '', 'SELECT id FROM customers');
    h.client(bind('p1', ''), describeMessage(TargetKind.Portal, 'p1'), execute('p1', 1), encodeFlush());
    h.framer.push(
      Buffer.concat([
        encodeParseComplete(),
        encodeBindComplete(),
        encodeRowDescription([idField]),
        row('1'),
        encodePortalSuspended(),
      ]),
    );
    const frames = await h.drain(point);
    // `c` is a cursor a DECLARE opened earlier by SQL: this session never saw it described.
    h.client(execute('c'), encodeSync());
    h.framer.push(Buffer.concat([row('jane.doe@example.com'), complete('FETCH 1'), ready()]));
    frames.push(...(await h.drain(point)));
    expect(show(frames)).toEqual(['1', '2', 'T', 'D 1', 's', NO_DESCRIPTION, 'Z']);
    expect(sent(frames)).not.toContain('example.com');
  });

  it('edge masking - NoData, CloseComplete and ParameterDescription end a result: rows after them need their own shape', async () => {
    const h = harness();
    const point = syncPoint();
    // A Query result that needs no masking is open when extended responses follow in the same batch.
    h.parse(point, 'default', 'u', 'SELECT 1 AS x');
    h.client(
      describeMessage(TargetKind.Statement, 'u'),
      encodeClose({ kind: TargetKind.Statement, name: 'u' }),
      describeMessage(TargetKind.Portal, 'gone'),
      execute('gone'),
      encodeSync(),
    );
    h.framer.push(
      Buffer.concat([
        encodeParseComplete(),
        encodeParameterDescription([]),
        encodeRowDescription([xField]),
        encodeCloseComplete(),
        encodeNoData(),
        row('jane.doe@example.com'),
        complete('SELECT 1'),
        ready(),
      ]),
    );
    const frames = await h.drain(point);
    expect(show(frames)).toEqual(['1', 't', 'T', '3', 'n', NO_DESCRIPTION, 'Z']);
  });

  it('edge masking - a row whose cell count differs from its portal shape is refused', async () => {
    const h = harness();
    const point = syncPoint();
    h.parse(point, 'default', '', 'SELECT 1 AS x');
    h.client(bind('', ''), describeMessage(TargetKind.Portal, ''), execute(), encodeSync());
    h.framer.push(
      Buffer.concat([
        encodeParseComplete(),
        encodeBindComplete(),
        encodeRowDescription([xField]),
        row('1', 'jane.doe@example.com'),
        complete('SELECT 1'),
        ready(),
      ]),
    );
    expect(show(await h.drain(point))).toEqual([
      '1',
      '2',
      'T',
      'E 0A000 Gatehouse refused this result: a row has 2 cells where its description has 1 columns',
      'Z',
    ]);
  });

  it('edge masking - a statement re-created by SQL (DEALLOCATE, PREPARE) is not executed with its old shape', async () => {
    const h = harness();
    const first = syncPoint();
    h.parse(first, 'default', 's', 'SELECT 1 AS x');
    h.client(describeMessage(TargetKind.Statement, 's'), encodeSync());
    h.framer.push(
      Buffer.concat([
        encodeParseComplete(),
        encodeParameterDescription([]),
        encodeRowDescription([xField]),
        ready(),
      ]),
    );
    await h.drain(first);
    const second = syncPoint();
    h.query(second, 'default', 'DEALLOCATE s; PREPARE s AS SELECT email FROM customers');
    h.framer.push(Buffer.concat([complete('DEALLOCATE'), complete('PREPARE'), ready()]));
    await h.drain(second);
    const third = syncPoint();
    h.client(bind('', 's'), execute(), encodeSync());
    h.framer.push(
      Buffer.concat([encodeBindComplete(), row('jane.doe@example.com'), complete('SELECT 1'), ready()]),
    );
    const frames = await h.drain(third);
    expect(show(frames)).toEqual(['2', NO_DESCRIPTION, 'Z']);
  });

  it('edge masking - portals are forgotten at the end of the transaction and after a simple Query', async () => {
    const h = harness();
    const point = syncPoint();
    h.parse(point, 'default', '', 'SELECT id FROM customers');
    h.client(bind('p', ''), describeMessage(TargetKind.Portal, 'p'), encodeSync());
    h.framer.push(
      Buffer.concat([
        encodeParseComplete(),
        encodeBindComplete(),
        encodeRowDescription([idField]),
        encodeReadyForQuery(TransactionStatus.InTransaction),
      ]),
    );
    await h.drain(point);
    // In the transaction a Query closes `p` and opens a cursor of the same name on other columns.
    const query = syncPoint();
    h.query(query, 'default', 'CLOSE p; DECLARE p CURSOR FOR SELECT email FROM customers');
    h.framer.push(
      Buffer.concat([
        complete('CLOSE CURSOR'),
        complete('DECLARE CURSOR'),
        encodeReadyForQuery(TransactionStatus.InTransaction),
      ]),
    );
    await h.drain(query);
    const fetch = syncPoint();
    h.client(execute('p'), encodeSync());
    h.framer.push(
      Buffer.concat([
        row('jane.doe@example.com'),
        complete('FETCH 1'),
        encodeReadyForQuery(TransactionStatus.InTransaction),
      ]),
    );
    expect(show(await h.drain(fetch))).toEqual([NO_DESCRIPTION, 'Z']);
  });

  it('edge masking - a simple Query after an extended batch still masks by its own RowDescription', async () => {
    const h = harness();
    const point = syncPoint();
    h.parse(point, 'default', '', 'SELECT 1 AS x');
    h.client(describeMessage(TargetKind.Statement, ''));
    h.query(point, 'default', 'SELECT email FROM customers');
    h.framer.push(
      Buffer.concat([
        encodeParseComplete(),
        encodeParameterDescription([]),
        encodeRowDescription([xField]),
        encodeRowDescription([field('email', 25, CUSTOMERS)]),
        row('jane.doe@example.com'),
        complete('SELECT 1'),
        ready(),
      ]),
    );
    expect(show(await h.drain(point))).toEqual(['1', 't', 'T', 'T', 'D ****@example.com', 'C', 'Z']);
  });

  it('edge masking - after an extended-protocol error the skipped requests are not paired with later responses', async () => {
    const h = harness();
    const point = syncPoint();
    h.parse(point, 'default', 'bad', 'SELECT nope');
    h.client(describeMessage(TargetKind.Statement, 'bad'), encodeSync());
    // Parse failed: the server skips the Describe up to the Sync.
    h.framer.push(
      Buffer.concat([
        encodeErrorResponse(diagnostic({ code: '42703', message: 'column "nope" does not exist' })),
        ready(),
      ]),
    );
    const frames = await h.drain(point);
    expect(show(frames)).toEqual(['E 42703 column "nope" does not exist', 'Z']);
    const next = syncPoint();
    h.parse(next, 'default', '', 'SELECT email FROM customers');
    h.client(bind('', ''), describeMessage(TargetKind.Portal, ''), execute(), encodeSync());
    h.framer.push(
      Buffer.concat([
        encodeParseComplete(),
        encodeBindComplete(),
        encodeRowDescription([emailField()]),
        row('jane.doe@example.com'),
        complete('SELECT 1'),
        ready(),
      ]),
    );
    expect(show(await h.drain(next))).toEqual(['1', '2', 'T', 'D ****@example.com', 'C', 'Z']);
  });
});
