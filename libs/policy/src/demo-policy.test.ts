import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { demoCasesPath, demoPolicyPath } from './demo-policy.ts';
import { formatCaseReport } from './format-case-report.ts';
import { loadPolicy } from './load-policy.ts';
import { runPolicyCases } from './policy-cases.ts';
import { DEFAULT_DENY_RULE } from './policy-decision.ts';
import { makeRequest } from './policy-request.fixture.ts';

const policy = loadPolicy(readFileSync(demoPolicyPath, 'utf8'));
const casesYaml = readFileSync(demoCasesPath, 'utf8');
const caseRows = (parse(casesYaml) as { cases: { sql?: string; classification?: unknown; rule?: string }[] })
  .cases;

describe('demo policy', () => {
  it('demo policy - every case written with a classification passes', () => {
    const report = runPolicyCases(policy, casesYaml, { unclassified: 'skip' });
    const sqlRows = caseRows.filter((row) => row.sql !== undefined).length;
    expect(
      report.results.filter((result) => result.status === 'fail'),
      formatCaseReport(report),
    ).toEqual([]);
    expect(report.total).toBe(caseRows.length);
    expect(report.skipped).toBe(sqlRows);
    expect(report.passed).toBe(caseRows.length - sqlRows);
    expect(report.passed).toBeGreaterThanOrEqual(25);
  });

  it('demo policy - the classification cases name every rule of the policy and the default deny', () => {
    const covered = new Set(
      caseRows.filter((row) => row.classification !== undefined).map((row) => row.rule),
    );
    const rules = [...policy.document.rules.map((rule) => rule.id), DEFAULT_DENY_RULE];
    expect(rules.filter((rule) => !covered.has(rule))).toEqual([]);
  });

  it('demo policy - a pipelines write waits for one approver for ten minutes, with masking', () => {
    const decision = policy.evaluate(makeRequest({ facts: { riskClass: 'write', kinds: ['update'] } }));
    expect(decision).toEqual({
      effect: 'review',
      rule: 'pipelines-write-demo',
      reason: 'writes need one approval from approvers',
      policyVersion: policy.version,
      maskingProfile: 'default',
      approval: { groups: ['approvers'], quorum: 1, holdTimeoutSeconds: 600 },
      cacheTtlMs: 60_000,
    });
  });

  it('demo policy - explicit denials carry a reason the client can read', () => {
    const reason = (facts: Parameters<typeof makeRequest>[0]) => policy.evaluate(makeRequest(facts)).reason;
    expect(
      reason({ facts: { riskClass: 'destructive', kinds: ['delete'], riskFlags: ['write_without_where'] } }),
    ).toBe('DELETE or UPDATE without WHERE is denied');
    expect(reason({ facts: { riskClass: 'destructive', kinds: ['drop'], riskFlags: ['ddl', 'drop'] } })).toBe(
      'DROP is denied',
    );
    expect(reason({ facts: { riskClass: 'destructive', kinds: ['truncate'] } })).toBe('TRUNCATE is denied');
    expect(reason({ facts: { riskClass: 'unknown', kinds: ['unknown'] } })).toBe(
      'statements whose effect cannot be determined are denied',
    );
    expect(reason({ facts: { riskClass: 'admin', kinds: ['grant'] } })).toBe(
      'administrative statements are denied for pipelines',
    );
  });

  it('demo policy - decisions are cacheable for the default 60 s (no identity, session or time rules)', () => {
    expect(policy.evaluate(makeRequest()).cacheTtlMs).toBe(60_000);
    expect(policy.evaluate(makeRequest({ actor: { groups: [] } })).cacheTtlMs).toBe(60_000);
  });
});
