import { describe, expect, it } from 'vitest';
import type { EvidenceRecord } from '@gatehouse/contracts';
import { canonicalBytes } from '@gatehouse/evidence';
import { chainHash, readChainFields, type ChainFields } from './chain-fields.ts';
import { SessionChainChecker } from './session-chains.ts';
import { syntheticLedger } from './synthetic-ledger.fixture.ts';

function feed(
  checker: SessionChainChecker,
  canonical: readonly Uint8Array[],
  order: readonly number[],
): void {
  for (const index of order) {
    const bytes = canonical[index] as Uint8Array;
    checker.add(index, readChainFields(bytes) as ChainFields, chainHash(bytes));
  }
}

const inOrder = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('session chains', () => {
  it('ledger-verify - intact sessions pass, closed ones are counted', () => {
    const ledger = syntheticLedger(3, 5);
    const checker = new SessionChainChecker('complete');
    feed(checker, ledger.canonical, inOrder(15));
    expect(checker.finish()).toEqual({ problems: [], summary: { sessions: 3, closed: 3 } });
  });

  it('ledger-verify - records of a session appended out of seq order are not a problem', () => {
    const ledger = syntheticLedger(2, 4);
    const checker = new SessionChainChecker('complete');
    feed(checker, ledger.canonical, [2, 0, 1, 3, 6, 4, 5, 7]);
    expect(checker.finish().problems).toEqual([]);
  });

  it('ledger-verify - a changed record breaks the link at its successor', () => {
    const ledger = syntheticLedger(2, 4);
    const canonical = [...ledger.canonical];
    const changed = { ...ledger.records[2]!, details: { normalized: 'drop table x', fingerprint: 'f' } };
    canonical[2] = canonicalBytes(changed);
    const checker = new SessionChainChecker('complete');
    feed(checker, canonical, inOrder(8));
    const { problems } = checker.finish();
    expect(problems.map((p) => [p.kind, p.index])).toEqual([['chain-break', 4]]);
  });

  it('ledger-verify - a removed record leaves a gap reported at its successor', () => {
    const ledger = syntheticLedger(2, 4);
    const checker = new SessionChainChecker('complete');
    feed(checker, ledger.canonical, [0, 1, 2, 3, 5, 6, 7]);
    const { problems } = checker.finish();
    expect(problems.map((p) => [p.kind, p.index, p.message])).toEqual([
      ['chain-gap', 6, 'session session-0: seq 2 missing before seq 3'],
    ]);
  });

  it('ledger-verify - a repeated seq, a record after close and a false close claim are reported', () => {
    const ledger = syntheticLedger(1, 3);
    const [opened, statement, closed] = ledger.records as [EvidenceRecord, EvidenceRecord, EvidenceRecord];
    const lie = canonicalBytes({ ...closed, details: { ...closed.details, recordCount: 7 } });
    const checker = new SessionChainChecker('complete');
    feed(checker, [canonicalBytes(opened), canonicalBytes(statement), lie], [0, 1, 2]);
    const extra = readChainFields(canonicalBytes(statement)) as ChainFields;
    checker.add(3, extra, 'ab'.repeat(32));
    checker.add(4, { ...extra, seq: 3, prev: chainHash(lie) }, 'cd'.repeat(32));
    const { problems } = checker.finish();
    expect(problems.map((p) => [p.kind, p.index])).toEqual([
      ['session-close-mismatch', 2],
      ['chain-duplicate', 3],
      ['record-after-close', 4],
    ]);
  });

  it('ledger-verify - partial coverage checks a session from its first record present', () => {
    const ledger = syntheticLedger(2, 5);
    const partial = new SessionChainChecker('partial');
    feed(partial, ledger.canonical, [4, 5, 6, 7, 8, 9]);
    expect(partial.finish().problems).toEqual([]);
    const complete = new SessionChainChecker('complete');
    feed(complete, ledger.canonical, [4, 5, 6, 7, 8, 9]);
    expect(complete.finish().problems.map((p) => [p.kind, p.index])).toEqual([
      ['chain-gap', 4],
      ['chain-gap', 5],
    ]);
  });
});
