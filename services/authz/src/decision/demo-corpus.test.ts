import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { demoPolicyPath, loadPolicy } from '@gatehouse/policy';
import { createSqlClassifier, type SqlClassifier } from '@gatehouse/sql-risk';
import { readSqlCorpus } from '@gatehouse/sql-risk/corpus';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { decideRequest } from './decision-request.fixture.ts';
import { DecisionService, replyProblems } from './decision-service.ts';
import { OperationClassifier } from './operation-classifier.ts';

// Small tier: every row of @gatehouse/sql-risk's and @gatehouse/shell-risk's corpora through the
// real classifiers and the real demo policy, as authz decides it for a `pipelines` identity on
// `demo` and `demo-ssh`. The corpora's own tests check the classification; this one checks the
// effect: the SQL rows' `demoEffect`, and for shell rows (which carry only a class) the effect the
// demo policy gives that class: read -> allow, write -> review, destructive and unknown -> deny.
const demo = loadPolicy(readFileSync(demoPolicyPath, 'utf8'));
const corpus = readSqlCorpus();
let sqlClassifier: SqlClassifier;
let decisions: DecisionService;

/** The rule the demo policy names for each effect a pipelines statement on demo can get. */
const RULES_BY_EFFECT = {
  allow: ['pipelines-read-demo'],
  review: ['pipelines-write-demo'],
  deny: [
    'deny-write-without-where-demo',
    'deny-drop-demo',
    'deny-truncate-demo',
    'deny-destructive-demo',
    'deny-unknown-demo',
    'deny-admin-pipelines-demo',
    'unclassifiable',
  ],
} as const;

/** One row of libs/shell-risk/src/corpus/shell-corpus.yaml (the fields this test reads). */
interface ShellCorpusRow {
  readonly command: string;
  readonly class: 'read' | 'write' | 'destructive' | 'unknown';
}

// The shell corpus is not exported; it lives beside the package's entry point.
const shellCorpusUrl = new URL(
  './corpus/shell-corpus.yaml',
  pathToFileURL(createRequire(import.meta.url).resolve('@gatehouse/shell-risk')),
);
const shellCorpus = parse(readFileSync(shellCorpusUrl, 'utf8')) as ShellCorpusRow[];

/** The demo policy's effect and rule for a pipelines command of each class on demo-ssh. */
const SHELL_EXPECTATIONS = {
  read: { effect: 'allow', rules: ['pipelines-read-demo-ssh'] },
  write: { effect: 'review', rules: ['pipelines-write-demo-ssh'] },
  destructive: { effect: 'deny', rules: ['deny-destructive-demo-ssh'] },
  unknown: { effect: 'deny', rules: ['deny-unknown-demo-ssh', 'unclassifiable'] },
} as const;

beforeAll(async () => {
  sqlClassifier = await createSqlClassifier();
  decisions = new DecisionService(
    new OperationClassifier(sqlClassifier, { cacheSize: 0, maxTextBytes: 1_048_576 }),
    () => demo,
  );
});

describe('the SQL corpus under the demo policy', () => {
  it('demo corpus - holds at least the 300 rows issue #3 asks for', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(300);
  });

  it('demo corpus - every row without session context gets exactly its demoEffect from authz', () => {
    const wrong = corpus
      .filter((row) => row.prepared === undefined)
      .map((row) => ({
        sql: row.sql,
        expected: row.demoEffect,
        decision: decisions.decide(decideRequest('sql', row.sql)),
      }))
      .filter(
        ({ expected, decision }) =>
          decision.effect !== expected ||
          !(RULES_BY_EFFECT[expected] as readonly string[]).includes(decision.rule) ||
          replyProblems(decision).length > 0,
      )
      .map(
        ({ sql, expected, decision }) =>
          `${expected} expected, got ${decision.effect} by ${decision.rule}: ${sql}`,
      );
    expect(wrong).toEqual([]);
  });

  it('demo corpus - rows naming prepared statements get their demoEffect when the session context is known', () => {
    const rows = corpus.filter((row) => row.prepared !== undefined);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const classification = sqlClassifier.classify(row.sql, {
        preparedStatements: new Map(Object.entries(row.prepared ?? {})),
      });
      const decision = demo.evaluate({
        actor: { sub: 'ci-bot', groups: ['pipelines'], issuer: 'http://127.0.0.1:8090' },
        target: { name: 'demo', kind: 'postgres' },
        operation: { language: 'sql', classification },
        context: { tls: true, clientAddress: '10.1.2.3', time: new Date() },
      });
      expect({ sql: row.sql, effect: decision.effect }).toEqual({ sql: row.sql, effect: row.demoEffect });
    }
  });

  it('demo corpus - authz, which never sees session context, denies every EXECUTE of a prepared statement', () => {
    for (const row of corpus.filter((candidate) => candidate.prepared !== undefined)) {
      expect({ sql: row.sql, decision: decisions.decide(decideRequest('sql', row.sql)) }).toMatchObject({
        sql: row.sql,
        decision: { effect: 'deny', rule: 'deny-unknown-demo' },
      });
    }
  });
});

describe('the shell corpus under the demo policy', () => {
  it('demo corpus - holds at least the 150 shell command lines issue #3 asks for', () => {
    expect(shellCorpus.length).toBeGreaterThanOrEqual(150);
  });

  it('demo corpus - every shell row gets the effect of its class for pipelines on demo-ssh', () => {
    const wrong = shellCorpus
      .map((row) => ({ row, decision: decisions.decide(decideRequest('shell', row.command)) }))
      .filter(({ row, decision }) => {
        const expected = SHELL_EXPECTATIONS[row.class];
        return (
          decision.classification.riskClass !== row.class ||
          decision.effect !== expected.effect ||
          !(expected.rules as readonly string[]).includes(decision.rule) ||
          replyProblems(decision).length > 0
        );
      })
      .map(
        ({ row, decision }) =>
          `${row.class} -> ${SHELL_EXPECTATIONS[row.class].effect} expected, got ${decision.classification.riskClass} -> ${decision.effect} by ${decision.rule}: ${row.command}`,
      );
    expect(wrong).toEqual([]);
  });

  it('demo corpus - the shell corpus exercises every effect', () => {
    const effects = new Set(shellCorpus.map((row) => SHELL_EXPECTATIONS[row.class].effect));
    expect([...effects].sort()).toEqual(['allow', 'deny', 'review']);
  });
});
