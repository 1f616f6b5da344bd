import { readFileSync } from 'node:fs';
import { createSqlClassifier } from '@gatehouse/sql-risk';
import { describe, expect, it } from 'vitest';
import { demoCasesPath, demoPolicyPath } from './demo-policy.ts';
import { formatCaseReport } from './format-case-report.ts';
import { loadPolicy } from './load-policy.ts';
import { runPolicyCases } from './policy-cases.ts';

// Runs the demo cases in full, classifying the `sql:` rows with the real PostgreSQL parser
// (@gatehouse/sql-risk): the policy's rules name the kinds and flags that classifier reports.
describe('demo policy with @gatehouse/sql-risk', () => {
  it('demo policy - every case, sql text included, passes with the real SQL classifier', async () => {
    const classifier = await createSqlClassifier();
    const policy = loadPolicy(readFileSync(demoPolicyPath, 'utf8'));
    const report = runPolicyCases(policy, readFileSync(demoCasesPath, 'utf8'), {
      classifySql: (text) => classifier.classify(text),
    });
    expect(
      report.results.filter((result) => result.status !== 'pass'),
      formatCaseReport(report),
    ).toEqual([]);
    expect(report.results.filter((result) => result.name.startsWith('sql - '))).toHaveLength(9);
    expect(report.passed).toBe(report.total);
  });
});
