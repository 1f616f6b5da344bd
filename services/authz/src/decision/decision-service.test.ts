import { readFileSync } from 'node:fs';
import { demoPolicyPath, loadPolicy, type CompiledPolicy } from '@gatehouse/policy';
import { createSqlClassifier, type SqlClassifier } from '@gatehouse/sql-risk';
import { beforeAll, describe, expect, it } from 'vitest';
import { decideRequest } from './decision-request.fixture.ts';
import { DecisionService, RefusalRule, replyProblems } from './decision-service.ts';
import { OperationClassifier } from './operation-classifier.ts';

// Small tier: the real PostgreSQL parser (libpg-query), the real shell classifier and the real
// demo policy (libs/policy/policies/demo.yaml); no bus.
const demo = loadPolicy(readFileSync(demoPolicyPath, 'utf8'));
let sqlClassifier: SqlClassifier;

function service(policy: CompiledPolicy = demo, classifier: SqlClassifier = sqlClassifier): DecisionService {
  return new DecisionService(
    new OperationClassifier(classifier, { cacheSize: 100, maxTextBytes: 1_048_576 }),
    () => policy,
  );
}

beforeAll(async () => {
  sqlClassifier = await createSqlClassifier();
});

describe('DecisionService with the demo policy (SQL on demo)', () => {
  it('decision-service - allows a SELECT for pipelines with the default masking profile and a 60 s cache lifetime', () => {
    const decision = service().decide(decideRequest('sql', 'SELECT id, email FROM customers WHERE id = 42'));
    expect(decision).toEqual({
      effect: 'allow',
      rule: 'pipelines-read-demo',
      reason: 'reads are allowed for pipelines, with masking',
      policyVersion: demo.version,
      maskingProfile: 'default',
      cacheTtlMs: 60_000,
      classification: {
        riskClass: 'read',
        kinds: ['select'],
        riskFlags: [],
        relationsRead: ['customers'],
        relationsWritten: [],
        fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/u) as string,
        normalized: 'SELECT id, email FROM customers WHERE id = $1',
        statementCount: 1,
      },
    });
    expect(replyProblems(decision)).toEqual([]);
  });

  it('decision-service - sends an UPDATE with WHERE to review by one approver from approvers', () => {
    const decision = service().decide(
      decideRequest('sql', "UPDATE customers SET email = 'new@example.com' WHERE id = 42"),
    );
    expect(decision.effect).toBe('review');
    expect(decision.rule).toBe('pipelines-write-demo');
    expect(decision.maskingProfile).toBe('default');
    expect(decision.approval).toEqual({ groups: ['approvers'], quorum: 1, holdTimeoutSeconds: 600 });
    expect(decision.classification.relationsWritten).toEqual(['customers']);
    expect(replyProblems(decision)).toEqual([]);
  });

  it.each([
    ['DELETE FROM customers', 'deny-write-without-where-demo'],
    ['UPDATE customers SET email = NULL', 'deny-write-without-where-demo'],
    ['DELETE FROM customers WHERE 1 = 1', 'deny-write-without-where-demo'],
    ['DROP TABLE customers', 'deny-drop-demo'],
    ['TRUNCATE orders', 'deny-truncate-demo'],
    ["DO $$BEGIN EXECUTE 'DROP TABLE t'; END$$", 'deny-unknown-demo'],
    ['CREATE TABLE scratch (id int)', 'deny-admin-pipelines-demo'],
  ])('decision-service - denies %s for pipelines by %s', (sql, rule) => {
    const decision = service().decide(decideRequest('sql', sql));
    expect(decision.effect).toBe('deny');
    expect(decision.rule).toBe(rule);
    expect(decision.maskingProfile).toBeUndefined();
    expect(decision.approval).toBeUndefined();
  });

  it('decision-service - the policy denies what sql-risk rates unknown without a refusal flag (dynamic SQL in DO)', () => {
    const decision = service().decide(decideRequest('sql', "DO $$BEGIN EXECUTE 'DELETE FROM t'; END$$"));
    expect(decision.classification.riskClass).toBe('unknown');
    expect(decision.classification.riskFlags).toContain('dynamic_sql');
    expect(decision).toMatchObject({
      effect: 'deny',
      rule: 'deny-unknown-demo',
      reason: 'statements whose effect cannot be determined are denied',
    });
  });

  it('decision-service - denies a SELECT for an identity outside pipelines by default-deny', () => {
    const decision = service().decide(
      decideRequest('sql', 'SELECT * FROM customers', { actor: { groups: ['builders', 'approvers'] } }),
    );
    expect(decision).toMatchObject({ effect: 'deny', rule: 'default-deny', cacheTtlMs: 60_000 });
  });

  it('decision-service - denies a SELECT for pipelines on a target the policy does not name', () => {
    const decision = service().decide(decideRequest('sql', 'SELECT 1', { target: { name: 'prod' } }));
    expect(decision).toMatchObject({ effect: 'deny', rule: 'default-deny' });
  });
});

describe('DecisionService with the demo policy (shell commands on demo-ssh)', () => {
  it('decision-service - allows a read-only pipeline of commands for pipelines, masked', () => {
    const decision = service().decide(
      decideRequest('shell', "grep -n 'timeout' /var/log/app.log | tail -n 20"),
    );
    expect(decision).toMatchObject({
      effect: 'allow',
      rule: 'pipelines-read-demo-ssh',
      maskingProfile: 'default',
      cacheTtlMs: 60_000,
      classification: {
        riskClass: 'read',
        kinds: ['grep', 'tail'],
        riskFlags: [],
        relationsRead: [],
        relationsWritten: [],
        normalized: 'grep -n timeout ? | tail -n ?',
        statementCount: 2,
      },
    });
    expect(decision.classification.fingerprint).toMatch(/^[0-9a-f]{64}$/u);
    expect(replyProblems(decision)).toEqual([]);
  });

  it('decision-service - sends a command that writes a file to review by approvers', () => {
    const decision = service().decide(decideRequest('shell', 'echo ready > /tmp/flag'));
    expect(decision).toMatchObject({
      effect: 'review',
      rule: 'pipelines-write-demo-ssh',
      approval: { groups: ['approvers'], quorum: 1, holdTimeoutSeconds: 600 },
      classification: { riskClass: 'write', riskFlags: ['redirect_write'] },
    });
  });

  it.each([
    ['rm -rf /', 'deny-destructive-demo-ssh'],
    ['curl -fsSL https://get.example.com | sh', 'deny-destructive-demo-ssh'],
    ['kill -9 1', 'deny-destructive-demo-ssh'],
    ['frobnicate --now', 'deny-unknown-demo-ssh'],
  ])('decision-service - denies the command %s by %s', (command, rule) => {
    expect(service().decide(decideRequest('shell', command))).toMatchObject({ effect: 'deny', rule });
  });

  it('decision-service - refuses an unparsable command line as unclassifiable', () => {
    const decision = service().decide(decideRequest('shell', 'echo "unterminated'));
    expect(decision).toMatchObject({
      effect: 'deny',
      rule: RefusalRule.Unclassifiable,
      reason: 'the operation could not be classified (unparsable) and is refused',
      classification: { riskClass: 'unknown', riskFlags: ['unparsable'], statementCount: 0 },
    });
  });

  it('decision-service - refuses a command line over 64 KiB as too_large', () => {
    const decision = service().decide(decideRequest('shell', `echo ${'a'.repeat(70_000)}`));
    expect(decision).toMatchObject({ effect: 'deny', rule: RefusalRule.Unclassifiable });
    expect(decision.classification.riskFlags).toEqual(['too_large']);
  });

  it('decision-service - denies a read-only command for an identity outside pipelines', () => {
    const decision = service().decide(decideRequest('shell', 'ls -la', { actor: { groups: ['auditors'] } }));
    expect(decision).toMatchObject({ effect: 'deny', rule: 'default-deny' });
  });
});

describe('DecisionService fails closed', () => {
  it('decision-service - refuses unparsable SQL as unclassifiable whatever the policy says, keeping the classification', () => {
    const allowAll = loadPolicy(
      'version: 1\nname: open\nrules:\n  - { id: everything, effect: allow, match: { groups: [pipelines] } }\n',
    );
    const decision = service(allowAll).decide(decideRequest('sql', 'SELEC * FORM customers'));
    expect(decision).toMatchObject({
      effect: 'deny',
      rule: RefusalRule.Unclassifiable,
      reason: 'the operation could not be classified (unparsable) and is refused',
      policyVersion: allowAll.version,
      cacheTtlMs: 0,
    });
    expect(decision.classification.riskClass).toBe('unknown');
    expect(decision.classification.fingerprint).toMatch(/^[0-9a-f]{64}$/u);
  });

  it('decision-service - refuses a statement larger than the classifier cap as too_large', async () => {
    const small = await createSqlClassifier({ maxStatementBytes: 1024 });
    const text = `SELECT '${'x'.repeat(2000)}'`;
    const decision = service(demo, small).decide(decideRequest('sql', text));
    expect(decision).toMatchObject({
      effect: 'deny',
      rule: RefusalRule.Unclassifiable,
      reason: 'the operation could not be classified (too_large) and is refused',
    });
    expect(decision.classification.riskFlags).toEqual(['too_large']);
  });

  it('decision-service - refuses when the classifier throws', () => {
    const broken: SqlClassifier = {
      classify: () => {
        throw new Error('parser crashed');
      },
    };
    const decision = service(demo, broken).decide(decideRequest('sql', 'SELECT 1'));
    expect(decision).toMatchObject({
      effect: 'deny',
      rule: RefusalRule.Unclassifiable,
      reason: 'the operation could not be classified',
      cacheTtlMs: 0,
    });
    expect(decision.classification).toMatchObject({ riskClass: 'unknown', kinds: [], fingerprint: '' });
  });

  it('decision-service - refuses when the policy cannot be evaluated (a time window and an invalid clock)', () => {
    const windowed = loadPolicy(
      "version: 1\nname: hours\nrules:\n  - { id: office, effect: allow, match: { groups: [pipelines], time: { between: ['08:00', '18:00'] } } }\n",
    );
    const decision = service(windowed).decide(decideRequest('sql', 'SELECT 1'), new Date(Number.NaN));
    expect(decision).toMatchObject({
      effect: 'deny',
      rule: RefusalRule.DecisionFailed,
      reason: 'the policy could not be evaluated',
      policyVersion: windowed.version,
    });
    expect(decision.classification.kinds).toEqual(['select']);
  });

  it('decision-service - refuses a SQL text sent for an ssh target and a command sent for a postgres target', () => {
    const sqlOnSsh = service().decide(
      decideRequest('sql', 'SELECT 1', { target: { name: 'demo-ssh', kind: 'ssh' } }),
    );
    expect(sqlOnSsh).toMatchObject({
      effect: 'deny',
      rule: RefusalRule.InvalidRequest,
      reason: 'a sql operation cannot address ssh target demo-ssh',
    });
    const shellOnPostgres = service().decide(
      decideRequest('shell', 'ls', { target: { name: 'demo', kind: 'postgres' } }),
    );
    expect(shellOnPostgres).toMatchObject({ effect: 'deny', rule: RefusalRule.InvalidRequest });
  });

  it('decision-service - denies a decision whose reply would break the contract (normalized text over 64 KiB)', () => {
    const columns = Array.from({ length: 6_000 }, (_, i) => `column_${i}`).join(', ');
    const decision = service().decide(decideRequest('sql', `SELECT ${columns} FROM customers`));
    expect(decision.effect).toBe('deny');
    expect(decision.rule).toBe(RefusalRule.DecisionFailed);
    expect(decision.reason).toBe(
      'the decision could not be expressed as a valid reply (/body/classification/normalized: must NOT have more than 65536 characters)',
    );
    expect(decision.classification).toMatchObject({ riskClass: 'read', normalized: '', kinds: [] });
    expect(decision.classification.fingerprint).toMatch(/^[0-9a-f]{64}$/u);
    expect(replyProblems(decision)).toEqual([]);
  });

  it('decision-service - caps a refusal reason at the 1024 characters the reply allows', () => {
    const decision = service().refusal('x'.repeat(5000));
    expect(decision.reason).toHaveLength(1024);
    expect(decision.reason.endsWith('…')).toBe(true);
    expect(replyProblems(decision)).toEqual([]);
  });
});

describe('DecisionService classification cache', () => {
  it('decision-service - reuses the classification of a repeated text and classifies a new literal afresh', () => {
    let calls = 0;
    const counting: SqlClassifier = {
      classify: (sql, context) => {
        calls += 1;
        return sqlClassifier.classify(sql, context);
      },
    };
    const decisions = service(demo, counting);
    const first = decisions.decide(decideRequest('sql', 'SELECT * FROM orders WHERE id = 1'));
    const second = decisions.decide(decideRequest('sql', 'SELECT * FROM orders WHERE id = 1'));
    const other = decisions.decide(decideRequest('sql', 'SELECT * FROM orders WHERE id = 2'));
    expect(calls).toBe(2);
    expect(second.classification).toBe(first.classification);
    expect(other.classification.fingerprint).toBe(first.classification.fingerprint);
    expect(Object.isFrozen(first.classification.kinds)).toBe(true);
  });

  it('decision-service - a cached classification is evaluated against the policy in force now', () => {
    let policy = demo;
    const decisions = new DecisionService(
      new OperationClassifier(sqlClassifier, { cacheSize: 100, maxTextBytes: 1_048_576 }),
      () => policy,
    );
    expect(decisions.decide(decideRequest('sql', 'SELECT 1')).effect).toBe('allow');
    policy = loadPolicy(
      'version: 1\nname: closed\nrules:\n  - { id: nobody, effect: deny, match: { groups: [pipelines] } }\n',
    );
    expect(decisions.decide(decideRequest('sql', 'SELECT 1'))).toMatchObject({
      effect: 'deny',
      rule: 'nobody',
      policyVersion: policy.version,
    });
  });
});
