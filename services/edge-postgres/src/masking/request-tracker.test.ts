import { describe, expect, it } from 'vitest';
import {
  encodeBind,
  encodeBindComplete,
  encodeCommandComplete,
  encodeDescribe,
  encodeErrorResponse,
  encodeExecute,
  encodeFlush,
  encodeParameterDescription,
  encodeParse,
  encodeParseComplete,
  encodeReadyForQuery,
  encodeRowDescription,
  encodeSync,
  MessageFramer,
  MessageSource,
  Severity,
  TargetKind,
  TransactionStatus,
  type Frame,
} from '@gatehouse/pg-wire';
import { Answering, RequestTracker } from './request-tracker.ts';
import { emailField, field, INT4 } from './result-masker.fixture.ts';

// Real: wire messages from @gatehouse/pg-wire in the order PostgreSQL exchanges them.

function upstream(...messages: Buffer[]): Frame[] {
  const framer = new MessageFramer({ source: MessageSource.Backend });
  framer.push(Buffer.concat(messages));
  const out: Frame[] = [];
  let frame: Frame | null;
  while ((frame = framer.next()) !== null) out.push(frame);
  return out;
}

const parse = (statement: string) => encodeParse({ statement, query: 'SELECT 1', parameterTypes: [] });
const bind = (portal: string, statement: string, resultFormats: number[]) =>
  encodeBind({ portal, statement, parameterFormats: [], parameters: [], resultFormats });
const error = encodeErrorResponse({ severity: Severity.Error, code: '42P01', message: 'no such table' });

describe('RequestTracker', () => {
  it('request tracker - after an error with no Sync forwarded yet, requests up to the Sync are not paired', () => {
    const tracker = new RequestTracker();
    tracker.forwarded(parse('bad'), true);
    tracker.forwarded(encodeFlush(), false);
    expect(tracker.observe(upstream(error)[0]!)).toBe(Answering.Other);
    // Sent after the error: the server skips them up to the Sync.
    tracker.forwarded(bind('', 'bad', []), false);
    tracker.forwarded(encodeExecute({ portal: '', maxRows: 0 }), false);
    tracker.forwarded(encodeSync(), false);
    const [ready] = upstream(encodeReadyForQuery(TransactionStatus.Idle));
    expect(tracker.observe(ready!)).toBe(Answering.Other); // answers the Sync
    tracker.forwarded(encodeDescribe({ kind: TargetKind.Statement, name: 'x' }), false);
    const [parameters] = upstream(encodeParameterDescription([]));
    expect(tracker.observe(parameters!)).toBe(Answering.Describe);
  });

  it('request tracker - an Execute gets its statement shape with the Bind result formats (one code for all, or one each)', () => {
    const tracker = new RequestTracker();
    tracker.forwarded(parse('s'), true);
    tracker.forwarded(encodeDescribe({ kind: TargetKind.Statement, name: 's' }), false);
    tracker.forwarded(bind('all', 's', [1]), false);
    tracker.forwarded(bind('each', 's', [0, 1]), false);
    tracker.forwarded(encodeExecute({ portal: 'each', maxRows: 0 }), false);
    const fields = [field('id', INT4), emailField()];
    for (const frame of upstream(
      encodeParseComplete(),
      encodeParameterDescription([]),
      encodeRowDescription(fields),
      encodeBindComplete(),
      encodeBindComplete(),
    ))
      tracker.observe(frame);
    expect(tracker.executing()?.fields.map((f) => f.format)).toEqual([0, 1]);
    tracker.forwarded(encodeExecute({ portal: 'all', maxRows: 0 }), false);
    tracker.observe(upstream(encodeCommandComplete('SELECT 0'))[0]!); // `each` is done
    expect(tracker.executing()?.fields.map((f) => f.format)).toEqual([1, 1]);
  });
});
