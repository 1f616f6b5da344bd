import { describe, expect, it } from 'vitest';
import { canonicalBytes } from '@gatehouse/evidence';
import { generateNoteKeys, hashLeaf } from '@gatehouse/merkle';
import { verifyBundle } from './verify-bundle.ts';
import { bundleLines, ORIGIN, syntheticLedger, timeAt } from './synthetic-ledger.fixture.ts';

// 4 sessions x 10 records = 40 entries; the bundle covers entries 8 to 27 of a 40-entry checkpoint.
const ledger = syntheticLedger(4, 10);
const START = 8;
const END = 28;
const lines = await bundleLines(ledger, START, END, 40);
const options = { verifierKey: ledger.verifierKey };

/** Position of the line holding entry `index` (header, readme and the fence come first). */
const lineOf = (index: number): number =>
  lines.findIndex((line) => line.includes(`"type":"entry","index":${index},`));

function withEntry(index: number, change: (entry: Record<string, unknown>) => void): string[] {
  const copy = [...lines];
  const entry = JSON.parse(copy[lineOf(index)]!) as Record<string, unknown>;
  change(entry);
  copy[lineOf(index)] = JSON.stringify(entry);
  return copy;
}

describe('verify bundle', () => {
  it('ledger-verify - an untouched bundle verifies', async () => {
    const report = await verifyBundle(lines, options);
    expect(report).toMatchObject({
      ok: true,
      origin: ORIGIN,
      size: 40,
      entries: 20,
      firstBadIndex: null,
      range: { from: timeAt(START), to: timeAt(END), start: START, end: END },
    });
    expect(report.problems).toEqual([]);
  });

  it('ledger-verify - a changed record is named by its index', async () => {
    const tampered = withEntry(13, (entry) => {
      entry['canonical'] = String(entry['canonical']).replace('select', 'delete');
      entry['leafHash'] = Buffer.from(hashLeaf(Buffer.from(String(entry['canonical'])))).toString('hex');
    });
    const report = await verifyBundle(tampered, options);
    expect(report.ok).toBe(false);
    expect(report.firstBadIndex).toBe(13);
    expect(report.problems[0]).toMatchObject({ kind: 'not-in-signed-log', index: 13 });
  });

  it('ledger-verify - a removed line is named by the missing index', async () => {
    const tampered = lines.filter((_, i) => i !== lineOf(20));
    const report = await verifyBundle(tampered, options);
    expect(report.firstBadIndex).toBe(20);
    expect(report.problems.map((p) => [p.kind, p.index])).toEqual([
      ['malformed-bundle', null],
      ['missing-entry', 20],
      ['chain-gap', 24],
    ]);
  });

  it('ledger-verify - an inserted forged record is named by the index it claims', async () => {
    const forged = {
      ...ledger.records[15]!,
      id: 'forged',
      details: { normalized: 'grant all', fingerprint: 'x' },
    };
    const canonical = Buffer.from(canonicalBytes(forged)).toString('utf8');
    const line = JSON.stringify({
      type: 'entry',
      index: 16,
      leafHash: Buffer.from(hashLeaf(Buffer.from(canonical))).toString('hex'),
      canonical,
      proof: JSON.parse(lines[lineOf(16)]!).proof,
    });
    const tampered = [...lines];
    tampered.splice(lineOf(16), 0, line);
    const report = await verifyBundle(tampered, options);
    expect(report.firstBadIndex).toBe(16);
    expect(report.problems.map((p) => p.kind)).toContain('not-in-signed-log');
  });

  it('ledger-verify - two swapped lines are named by the first position', async () => {
    const tampered = [...lines];
    const [a, b] = [lineOf(11), lineOf(18)];
    [tampered[a], tampered[b]] = [tampered[b]!, tampered[a]!];
    const report = await verifyBundle(tampered, options);
    expect(report.firstBadIndex).toBe(11);
  });

  it('ledger-verify - swapping records but keeping the index numbers in order is caught by the proofs', async () => {
    const first = JSON.parse(lines[lineOf(11)]!) as Record<string, unknown>;
    const second = JSON.parse(lines[lineOf(12)]!) as Record<string, unknown>;
    const tampered = [...lines];
    tampered[lineOf(11)] = JSON.stringify({ ...second, index: 11 });
    tampered[lineOf(12)] = JSON.stringify({ ...first, index: 12 });
    const report = await verifyBundle(tampered, options);
    expect(report.firstBadIndex).toBe(11);
    expect(report.problems[0]).toMatchObject({ kind: 'not-in-signed-log', index: 11 });
  });

  it('ledger-verify - dropping the first entry and its fence is caught at the range start', async () => {
    const tampered = lines.filter(
      (line) => !line.includes('"side":"before"') && !line.includes(`"index":${START},`),
    );
    const report = await verifyBundle(tampered, options);
    expect(report.firstBadIndex).toBe(START);
  });

  it('ledger-verify - cutting entries off the end (moving the fence inward) is caught', async () => {
    const fence = JSON.parse(lines[lineOf(END - 1)]!) as Record<string, unknown>;
    const tampered = lines.filter(
      (line) => !line.includes('"side":"after"') && !line.includes(`"index":${END - 1},`),
    );
    const header = JSON.parse(tampered[0]!) as { range: { end: number } };
    header.range.end = END - 1;
    tampered[0] = JSON.stringify(header);
    const endLine = tampered.findIndex((line) => line.includes('"type":"end"'));
    tampered.splice(
      endLine,
      1,
      JSON.stringify({ ...fence, type: 'fence', side: 'after' }),
      JSON.stringify({ type: 'end', entries: 19 }),
    );
    const report = await verifyBundle(tampered, options);
    expect(report.problems).toContainEqual(
      expect.objectContaining({ kind: 'incomplete-range', index: END - 1 }),
    );
  });

  it('ledger-verify - a truncated bundle is reported', async () => {
    const report = await verifyBundle(lines.slice(0, lineOf(25)), options);
    expect(report.problems.map((p) => [p.kind, p.index])).toEqual([
      ['missing-entry', 25],
      ['incomplete-range', 25],
      ['incomplete-range', 28],
    ]);
  });

  it('ledger-verify - a bundle signed by another key fails on the signature', async () => {
    const report = await verifyBundle(lines, { verifierKey: generateNoteKeys(ORIGIN).verifierKey });
    expect(report).toMatchObject({ ok: false, origin: null, firstBadIndex: null });
    expect(report.problems.map((p) => p.kind)).toEqual(['bad-signature']);
  });

  it('ledger-verify - a checkpoint for another origin is refused when the origin is pinned', async () => {
    const report = await verifyBundle(lines, { ...options, origin: 'other.example/log' });
    expect(report.problems.map((p) => p.kind)).toEqual(['bad-signature']);
  });

  it('ledger-verify - an empty file or one without a header is not a bundle', async () => {
    for (const input of [[], ['{"type":"entry"}'], ['not json']]) {
      const report = await verifyBundle(input, options);
      expect(report.ok).toBe(false);
      expect(report.problems.map((p) => p.kind)).toEqual(['malformed-bundle']);
    }
  });

  it('ledger-verify - a whole-log bundle from index 0 needs no fence before', async () => {
    const report = await verifyBundle(await bundleLines(ledger, 0, 40, 40), options);
    expect(report).toMatchObject({ ok: true, entries: 40, sessions: { sessions: 4, closed: 4 } });
  });
});
