import type { CaseExpectation, CaseReport } from './policy-cases.ts';
import type { PolicyDecision } from './policy-decision.ts';

const LABELS = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP' } as const;

/**
 * Renders a {@link CaseReport} as a plain-text table (status, case, expected, got) with each
 * failure's reasons under its row and the totals last; for CI logs.
 */
export function formatCaseReport(report: CaseReport): string {
  const rows = report.results.map((result) => [
    LABELS[result.status],
    result.name,
    describeExpected(result.expected),
    result.decision === undefined ? '-' : describeDecision(result.decision),
  ]);
  const header = ['', 'case', 'expected', 'got'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  const lines = [`policy ${report.policyName} ${report.policyVersion}`, line(header)];
  report.results.forEach((result, index) => {
    lines.push(line(rows[index]!));
    for (const problem of result.problems) lines.push(`${' '.repeat(widths[0]! + 2)}- ${problem}`);
  });
  lines.push(
    `${report.total} cases: ${report.passed} passed, ${report.failed} failed` +
      (report.skipped > 0 ? `, ${report.skipped} skipped` : ''),
  );
  return lines.join('\n');
}

function describeExpected(expected: CaseExpectation): string {
  const details = [expected.rule, expected.masking === undefined ? undefined : `masking ${expected.masking}`];
  const shown = details.filter((detail) => detail !== undefined);
  return shown.length === 0 ? expected.effect : `${expected.effect} (${shown.join(', ')})`;
}

function describeDecision(decision: PolicyDecision): string {
  const details = [decision.rule];
  if (decision.maskingProfile !== undefined) details.push(`masking ${decision.maskingProfile}`);
  return `${decision.effect} (${details.join(', ')})`;
}
