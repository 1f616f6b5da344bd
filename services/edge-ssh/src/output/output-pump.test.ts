import { describe, expect, it } from 'vitest';
import { DependencyUnavailableError } from '@gatehouse/errors';
import type { MaskedLines } from './output-masker.ts';
import { OutputPump, type LineMasker, type OutputPumpOptions, type OutputSegment } from './output-pump.ts';

type Event = [string, string, string];

/** A pump whose record and write steps log what they saw, in order. */
function harness(overrides: Partial<OutputPumpOptions> = {}) {
  const events: Event[] = [];
  const pressure: boolean[] = [];
  const failures: unknown[] = [];
  const pump = new OutputPump(
    {
      masking: undefined,
      batchBytes: 1024,
      record: async (segments: readonly OutputSegment[]) => {
        for (const segment of segments) events.push(['record', segment.stream, segment.bytes.toString()]);
      },
      write: async (segment: OutputSegment) => {
        events.push(['write', segment.stream, segment.bytes.toString()]);
      },
      pressure: (paused) => pressure.push(paused),
      ...overrides,
    },
    (error) => failures.push(error),
  );
  return { pump, events, pressure, failures };
}

/** Replaces "secret" in every line and counts one `word` per line containing it. */
const wordMasker: LineMasker = {
  mask: async (_profile: string, _target: string, lines: readonly string[]): Promise<MaskedLines> => ({
    lines: lines.map((line) => line.replaceAll('secret', '******')),
    counts: [{ entity: 'word', count: lines.filter((line) => line.includes('secret')).length }],
  }),
};

describe('OutputPump', () => {
  it('output-pump - passes unmasked output through in order, recording each segment before writing it', async () => {
    const { pump, events } = harness();
    pump.push('stdout', Buffer.from('a'));
    pump.push('stdout', Buffer.from('b'));
    pump.push('stderr', Buffer.from('oops'));
    pump.push('stdout', Buffer.from('c'));
    const summary = await pump.finish();
    // The first chunk leaves at once; the rest queue behind its ack and leave as the next batch.
    expect(events).toEqual([
      ['record', 'stdout', 'a'],
      ['write', 'stdout', 'a'],
      ['record', 'stdout', 'b'],
      ['record', 'stderr', 'oops'],
      ['record', 'stdout', 'c'],
      ['write', 'stdout', 'b'],
      ['write', 'stderr', 'oops'],
      ['write', 'stdout', 'c'],
    ]);
    expect(summary).toMatchObject({ stdoutBytes: 3, stderrBytes: 4, maskedCounts: [] });
  });

  it('output-pump - merges queued chunks of one stream into one segment', async () => {
    const writes: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { pump } = harness({
      record: () => gate,
      write: async (segment) => {
        writes.push(`${segment.stream}:${segment.bytes.toString()}`);
      },
    });
    pump.push('stdout', Buffer.from('first'));
    // While the first batch waits for its ack, these queue up and travel as one segment each.
    pump.push('stdout', Buffer.from('x'));
    pump.push('stdout', Buffer.from('y'));
    pump.push('stderr', Buffer.from('e'));
    release();
    const summary = await pump.finish();
    expect(writes).toEqual(['stdout:first', 'stdout:xy', 'stderr:e']);
    expect(summary.chunks).toBe(3);
  });

  it('output-pump - masks whole lines, restores newlines and sums counts per entity', async () => {
    const { pump, events } = harness({
      masking: { masker: wordMasker, profile: 'default', target: 'demo-ssh' },
    });
    pump.push('stdout', Buffer.from('my secret\nno '));
    pump.push('stdout', Buffer.from('secret here\nlast secret'));
    const summary = await pump.finish();
    const written = events
      .filter(([step]) => step === 'write')
      .map(([, , bytes]) => bytes)
      .join('');
    expect(written).toBe('my ******\nno ****** here\nlast ******');
    expect(summary.maskedCounts).toEqual([{ entity: 'word', count: 3 }]);
    expect(summary.stdoutBytes).toBe(Buffer.byteLength(written));
  });

  it('output-pump - a masking failure stops the pump before anything of the batch is written', async () => {
    const failing: LineMasker = {
      mask: async () => {
        throw new DependencyUnavailableError('masking cannot answer: no instance is serving', 'masking');
      },
    };
    const { pump, events, failures } = harness({
      masking: { masker: failing, profile: 'default', target: 'demo-ssh' },
    });
    pump.push('stdout', Buffer.from('alice@example.com\n'));
    await expect(pump.finish()).rejects.toThrow('masking cannot answer');
    expect(events).toEqual([]);
    expect(failures).toHaveLength(1);
    pump.push('stdout', Buffer.from('more\n'));
    expect(events).toEqual([]);
  });

  it('output-pump - an evidence failure stops the pump before the segment is written', async () => {
    const { pump, events, failures } = harness({
      record: async () => {
        throw new DependencyUnavailableError('evidence could not be stored', 'jetstream');
      },
    });
    pump.push('stderr', Buffer.from('anything'));
    await expect(pump.finish()).rejects.toThrow('evidence could not be stored');
    expect(events).toEqual([]);
    expect(failures).toHaveLength(1);
  });

  it('output-pump - pauses the target past two batches held and resumes once drained', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { pump, pressure } = harness({ batchBytes: 1024, record: () => gate });
    // One batch in flight, three queued: 3000 bytes held exceeds two batches.
    for (let index = 0; index < 3; index += 1) pump.push('stdout', Buffer.alloc(1000, 0x61));
    expect(pressure).toEqual([]);
    pump.push('stdout', Buffer.alloc(1000, 0x61));
    expect(pressure).toEqual([true]);
    release();
    const summary = await pump.finish();
    expect(pressure).toEqual([true, false]);
    expect(summary.stdoutBytes).toBe(4000);
  });
});
