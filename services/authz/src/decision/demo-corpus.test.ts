import { readFileSync } from 'node:fs';
import { demoPolicyPath, loadPolicy } from '@gatehouse/policy';
import { createSqlClassifier, type SqlClassifier } from '@gatehouse/sql-risk';
import { readSqlCorpus } from '@gatehouse/sql-risk/corpus';
import { beforeAll, describe, expect, it } from 'vitest';
import { decideRequest } from './decision-request.fixture.ts';
import { DecisionService, replyProblems } from './decision-service.ts';
import { OperationClassifier } from './operation-classifier.ts';

// Small tier: every row of @gatehouse/sql-risk's corpus through the real classifier and the real
// demo policy, as authz decides it for a `pipelines` identity on target `demo`. The corpus's own
// test checks the classification; this one checks the effect each row promises (`demoEffect`).
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
