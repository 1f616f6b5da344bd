import { describe, expect, it } from 'vitest';
import { DependencyUnavailableError } from '@gatehouse/errors';
import {
  BackendMessageCode,
  decodeCommandComplete,
  decodeDiagnostic,
  encodeBindComplete,
  encodeParseComplete,
  encodeRowDescription,
  encodeSync,
  TargetKind,
  type Frame,
} from '@gatehouse/pg-wire';
import {
  bind,
  complete,
  describeMessage,
  emailField,
  execute,
  harness,
  ready,
  row,
  syncPoint,
  WITHHELD,
} from './result-masker.fixture.ts';

// Real: the result masker and wire bytes as PostgreSQL sends them. The relay's own accounting is
// played by `relayCounts`: it counts the CommandCompletes that reach it, as relay-session.ts does.

/** What the relay counts from the frames it gets (rows and commands of CommandComplete). */
function relayCounts(frames: readonly Frame[]): { rows: number; commands: string[] } {
  const counted = { rows: 0, commands: [] as string[] };
  for (const frame of frames) {
    if (frame.code !== BackendMessageCode.CommandComplete) continue;
    const done = decodeCommandComplete(frame.payload());
    counted.rows += done.rows ?? 0;
    counted.commands.push(done.command);
  }
  return counted;
}

const down = () => new DependencyUnavailableError('masking cannot answer: no instance is serving', 'masking');

describe('ResultMasker evidence after a refusal', () => {
  it('edge masking - commands the upstream completed after a refusal still count in the sync point evidence', async () => {
    const h = harness({ batchRows: 2 });
    const point = syncPoint();
    h.query(point, 'default', 'SELECT email FROM customers; DELETE FROM orders WHERE id = 1');
    // Planned (masks email) while masking is still up.
    h.framer.push(encodeRowDescription([emailField()]));
    const frames = await h.drain(point);
    h.backend.failWith = down();
    h.framer.push(
      Buffer.concat([
        row('a@example.com'),
        row('b@example.com'),
        row('c@example.com'),
        complete('SELECT 3'),
        complete('DELETE 1'),
        ready(),
      ]),
    );
    frames.push(...(await h.drain(point)));
    expect(frames.map((frame) => String.fromCharCode(frame.code))).toEqual(['T', 'E', 'Z']);
    const refusal = decodeDiagnostic(frames[1]!.payload());
    expect(refusal.message).toBe(
      'Gatehouse could not mask this result (masking cannot answer: no instance is serving); refused (fail closed)',
    );
    expect(refusal.detail).toBe(WITHHELD);
    // The relay saw no CommandComplete; the upstream ran both statements.
    const counted = Object.assign(point, relayCounts(frames));
    expect(counted).toEqual({ rows: 0, commands: [] });
    expect(h.masker.evidenceFor(counted)).toMatchObject({ rows: 4, commands: ['SELECT', 'DELETE'] });
  });

  it('edge masking - in an extended batch, results before the refusal count once and later Executes are added', async () => {
    const h = harness();
    const point = syncPoint();
    h.parse(point, 'default', 'ids', 'SELECT id FROM customers');
    h.parse(point, 'default', 'emails', 'SELECT email FROM customers');
    h.client(
      bind('', 'ids'),
      execute(),
      bind('', 'emails'),
      describeMessage(TargetKind.Portal, ''),
      execute(),
      bind('', 'ids'),
      execute(),
      encodeSync(),
    );
    h.backend.failWith = down();
    h.framer.push(
      Buffer.concat([
        encodeParseComplete(),
        encodeParseComplete(),
        encodeBindComplete(),
        complete('SELECT 0'), // no rows: nothing to plan, the relay counts it

        encodeBindComplete(),
        encodeRowDescription([emailField()]),
        row('a@example.com'),
        complete('SELECT 1'),
        encodeBindComplete(),
        complete('SELECT 0'),
        ready(),
      ]),
    );
    const frames = await h.drain(point);
    expect(frames.map((frame) => String.fromCharCode(frame.code))).toEqual([
      '1',
      '1',
      '2',
      'C',
      '2',
      'T',
      'E',
      'Z',
    ]);
    const counted = Object.assign(point, relayCounts(frames));
    expect(counted).toEqual({ rows: 0, commands: ['SELECT'] });
    expect(h.masker.evidenceFor(counted)).toMatchObject({
      rows: 1,
      commands: ['SELECT', 'SELECT', 'SELECT'],
    });
  });

  it('edge masking - without a refusal the evidence keeps the relay counts as they are', async () => {
    const h = harness();
    const point = syncPoint();
    h.query(point, 'default', 'SELECT email FROM customers');
    h.framer.push(
      Buffer.concat([
        encodeRowDescription([emailField()]),
        row('a@example.com'),
        complete('SELECT 1'),
        ready(),
      ]),
    );
    const frames = await h.drain(point);
    const evidence = h.masker.evidenceFor(Object.assign(point, relayCounts(frames)));
    expect(evidence).not.toHaveProperty('rows');
    expect(evidence).not.toHaveProperty('commands');
    expect(evidence).toHaveProperty('masked');
  });
});
