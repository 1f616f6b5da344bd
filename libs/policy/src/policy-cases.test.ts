import { describe, expect, it } from 'vitest';
import { formatCaseReport } from './format-case-report.ts';
import { InvalidPolicyError } from './invalid-policy-error.ts';
import { loadPolicy } from './load-policy.ts';
import type { OperationFacts } from './operation-facts.ts';
import { runPolicyCases } from './policy-cases.ts';
import { policyYaml } from './policy-request.fixture.ts';

const policy = loadPolicy(
  policyYaml([
    'id: read, effect: allow, match: { groups: [pipelines], targets: { names: [demo], kinds: [postgres] }, operation: { riskClasses: [read] } }, masking: default',
    'id: shell-read, effect: allow, match: { groups: [pipelines], targets: { names: [box] }, operation: { languages: [shell], riskClasses: [read] } }',
    "id: office-hours, effect: allow, match: { groups: [night], time: { between: ['08:00', '18:00'] } }",
    "id: lan, effect: allow, match: { groups: [lan], session: { tls: true, clientCidrs: ['10.0.0.0/8'] } }",
    'id: prod, effect: allow, match: { groups: [labels], targets: { labels: { env: prod } } }',
    "id: tool, effect: allow, match: { groups: [tools], issuers: ['https://ci.example'] }",
  ]),
);

const read = '{ riskClass: read, kinds: [select] }';
const selectFacts: OperationFacts = {
  riskClass: 'read',
  kinds: ['select'],
  riskFlags: [],
  relationsRead: ['t'],
  relationsWritten: [],
  functions: [],
};

function cases(...rows: string[]): string {
  return `cases:\n${rows.map((row) => `  - { ${row} }`).join('\n')}\n`;
}

describe('runPolicyCases', () => {
  it('runPolicyCases - passes cases whose effect, rule and masking match, and counts them', () => {
    const report = runPolicyCases(
      policy,
      cases(
        `name: reads, actor: { sub: a, groups: [pipelines] }, target: demo, classification: ${read}, expect: allow, rule: read, masking: default`,
        `name: others denied, actor: { sub: b }, target: demo, classification: ${read}, expect: deny, rule: default-deny`,
      ),
    );
    expect(report).toMatchObject({
      policyName: 'test',
      policyVersion: policy.version,
      total: 2,
      passed: 2,
      failed: 0,
      skipped: 0,
    });
    expect(report.results[0]).toMatchObject({
      name: 'reads',
      status: 'pass',
      expected: { effect: 'allow', rule: 'read', masking: 'default' },
      decision: { effect: 'allow', rule: 'read', maskingProfile: 'default' },
      problems: [],
    });
  });

  it('runPolicyCases - fails a case on a wrong effect, rule or masking, saying what differed', () => {
    const report = runPolicyCases(
      policy,
      cases(
        `name: wrong effect, actor: { sub: a }, target: demo, classification: ${read}, expect: allow`,
        `name: wrong rule and masking, actor: { sub: a, groups: [pipelines] }, target: demo, classification: ${read}, expect: allow, rule: other, masking: strict`,
      ),
    );
    expect(report).toMatchObject({ total: 2, passed: 0, failed: 2 });
    expect(report.results.map((result) => result.problems)).toEqual([
      ['expected allow, got deny (no policy rule allows this operation)'],
      ['expected rule other, got read', 'expected masking strict, got default'],
    ]);
  });

  it('runPolicyCases - classifies sql and shell text with the given classifiers', () => {
    const seen: string[] = [];
    const report = runPolicyCases(
      policy,
      cases(
        'name: sql, actor: { sub: a, groups: [pipelines] }, target: demo, sql: SELECT 1, expect: allow, rule: read',
        "name: shell, actor: { sub: a, groups: [pipelines] }, target: box, shell: 'ls -la', expect: allow, rule: shell-read",
      ),
      {
        classifySql: (text) => (seen.push(`sql:${text}`), selectFacts),
        classifyShell: (text) => (seen.push(`shell:${text}`), { ...selectFacts, kinds: ['ls'] }),
      },
    );
    expect(seen).toEqual(['sql:SELECT 1', 'shell:ls -la']);
    expect(report).toMatchObject({ passed: 2, failed: 0 });
  });

  it('runPolicyCases - fails a text case without a classifier, or skips it when asked', () => {
    const file = cases(
      'name: sql, actor: { sub: a }, target: demo, sql: SELECT 1, expect: deny',
      "name: shell, actor: { sub: a }, target: box, shell: 'ls', expect: deny",
    );
    const failed = runPolicyCases(policy, file);
    expect(failed).toMatchObject({ passed: 0, failed: 2, skipped: 0 });
    expect(failed.results.map((result) => result.problems)).toEqual([
      ['a sql case needs options.classifySql to classify its text'],
      ['a shell case needs options.classifyShell to classify its text'],
    ]);
    expect(failed.results[0]).not.toHaveProperty('decision');
    expect(runPolicyCases(policy, file, { unclassified: 'skip' })).toMatchObject({
      passed: 0,
      failed: 0,
      skipped: 2,
    });
  });

  it('runPolicyCases - fails a case whose classifier throws', () => {
    const report = runPolicyCases(
      policy,
      cases('name: boom, actor: { sub: a }, target: demo, sql: x, expect: deny'),
      {
        classifySql: () => {
          throw new Error('parser not loaded');
        },
      },
    );
    expect(report.results[0]).toMatchObject({
      status: 'fail',
      problems: ['the sql classifier threw: parser not loaded'],
    });
  });

  it('runPolicyCases - infers the target kind from the policy, else from the language', () => {
    const report = runPolicyCases(
      policy,
      cases(
        // demo is postgres in the policy; a read by pipelines on it is allowed.
        `name: demo, actor: { sub: a, groups: [pipelines] }, target: demo, classification: ${read}, expect: allow, rule: read`,
        // box names no kind: a shell case makes it ssh and language shell.
        'name: box, actor: { sub: a, groups: [pipelines] }, target: box, shell: ls, expect: allow, rule: shell-read',
        // an explicit kind wins over the policy.
        `name: explicit, actor: { sub: a, groups: [pipelines] }, target: { name: demo, kind: ssh }, classification: ${read}, expect: deny`,
        // a classification case with language shell on a target of unknown kind.
        `name: language, actor: { sub: a, groups: [pipelines] }, target: box, language: shell, classification: ${read}, expect: allow, rule: shell-read`,
      ),
      { classifyShell: () => selectFacts },
    );
    expect(report.results.map((result) => [result.name, result.status])).toEqual([
      ['demo', 'pass'],
      ['box', 'pass'],
      ['explicit', 'pass'],
      ['language', 'pass'],
    ]);
  });

  it('runPolicyCases - applies context, labels, issuer and the runner clock', () => {
    const report = runPolicyCases(
      policy,
      cases(
        `name: day, actor: { sub: a, groups: [night] }, target: demo, classification: ${read}, context: { time: '2025-01-15T09:00:00Z' }, expect: allow`,
        `name: night, actor: { sub: a, groups: [night] }, target: demo, classification: ${read}, context: { time: '2025-01-15T22:00:00+02:00' }, expect: deny`,
        `name: runner clock, actor: { sub: a, groups: [night] }, target: demo, classification: ${read}, expect: deny`,
        `name: lan default context, actor: { sub: a, groups: [lan] }, target: demo, classification: ${read}, expect: deny`,
        `name: lan, actor: { sub: a, groups: [lan] }, target: demo, classification: ${read}, context: { clientAddress: 10.0.0.5 }, expect: allow`,
        `name: lan plaintext, actor: { sub: a, groups: [lan] }, target: demo, classification: ${read}, context: { clientAddress: 10.0.0.5, tls: false }, expect: deny`,
        `name: labels, actor: { sub: a, groups: [labels] }, target: { name: x, labels: { env: prod } }, classification: ${read}, expect: allow`,
        `name: default issuer, actor: { sub: a, groups: [tools] }, target: demo, classification: ${read}, expect: deny`,
        `name: issuer, actor: { sub: a, groups: [tools], issuer: 'https://ci.example' }, target: demo, classification: ${read}, expect: allow`,
      ),
      { now: new Date('2025-01-15T20:00:00Z') },
    );
    expect(report.results.filter((result) => result.status !== 'pass')).toEqual([]);
    expect(report.passed).toBe(9);
  });

  it('runPolicyCases - rejects an invalid cases file listing every problem', () => {
    let error: unknown;
    try {
      runPolicyCases(
        policy,
        cases(
          `name: two operations, actor: { sub: a }, target: demo, sql: x, classification: ${read}, expect: deny`,
          'name: no operation, actor: { sub: a }, target: demo, expect: deny',
          `name: bad, actor: { groups: [x] }, target: demo, classification: { riskClass: fine }, expect: maybe, context: { time: yesterday }`,
        ),
      );
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidPolicyError);
    expect((error as InvalidPolicyError).problems).toEqual([
      '/cases/2/actor: missing required key "sub"',
      '/cases/2/classification/riskClass: must be one of read, write, admin, destructive, unknown',
      '/cases/2/context/time: must be an RFC 3339 date-time like 2025-01-15T09:00:00Z',
      '/cases/2/expect: must be one of allow, deny, review',
    ]);
  });

  it('runPolicyCases - requires exactly one of sql, shell or classification', () => {
    expect(() =>
      runPolicyCases(
        policy,
        cases(
          `name: two, actor: { sub: a }, target: demo, sql: x, classification: ${read}, expect: deny`,
          'name: none, actor: { sub: a }, target: demo, expect: deny',
        ),
      ),
    ).toThrow(
      'invalid policy cases (2 problems): /cases/0: needs exactly one of sql, shell or classification (got 2); /cases/1: needs exactly one of sql, shell or classification (got 0)',
    );
  });

  it('runPolicyCases - rejects an impossible date', () => {
    expect(() =>
      runPolicyCases(
        policy,
        cases(
          `name: t, actor: { sub: a }, target: demo, classification: ${read}, context: { time: '2025-13-45T99:00:00Z' }, expect: deny`,
        ),
      ),
    ).toThrow('/cases/0/context/time: not a valid date');
  });
});

describe('formatCaseReport', () => {
  it('formatCaseReport - prints a table with failures explained and totals', () => {
    const report = runPolicyCases(
      policy,
      cases(
        `name: reads, actor: { sub: a, groups: [pipelines] }, target: demo, classification: ${read}, expect: allow, rule: read, masking: default`,
        `name: wrong, actor: { sub: b }, target: demo, classification: ${read}, expect: allow`,
        'name: needs sql, actor: { sub: b }, target: demo, sql: SELECT 1, expect: deny',
      ),
      { unclassified: 'skip' },
    );
    expect(formatCaseReport(report)).toBe(
      [
        `policy test ${policy.version}`,
        '      case       expected                       got',
        'PASS  reads      allow (read, masking default)  allow (read, masking default)',
        'FAIL  wrong      allow                          deny (default-deny)',
        '      - expected allow, got deny (no policy rule allows this operation)',
        'SKIP  needs sql  deny                           -',
        '      - a sql case needs options.classifySql to classify its text',
        '3 cases: 1 passed, 1 failed, 1 skipped',
      ].join('\n'),
    );
  });
});
