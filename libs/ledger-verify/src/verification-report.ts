import { firstBadIndex, sortProblems, type Problem } from './problem.ts';
import type { ChainSummary } from './session-chains.ts';

/** The outcome of verifying a ledger or an export bundle. */
export interface VerificationReport {
  /** True when nothing is wrong. */
  readonly ok: boolean;
  /** Origin of the verified checkpoint; null when no checkpoint could be trusted. */
  readonly origin: string | null;
  /** Tree size of the verified checkpoint. */
  readonly size: number | null;
  /** Root hash of the verified checkpoint, hex. */
  readonly root: string | null;
  /** Entries whose bytes were hashed. */
  readonly entries: number;
  /** For an export bundle: the time range it claims to cover and its log indices `[start, end)`. */
  readonly range?: BundleRange;
  /** Sessions whose chains were checked, and how many of them were closed. */
  readonly sessions: ChainSummary;
  /** Everything found wrong, ordered by index (whole-log findings first). */
  readonly problems: readonly Problem[];
  /** The lowest log index any problem names: where the log was first changed. */
  readonly firstBadIndex: number | null;
}

/** What an export bundle covers. */
export interface BundleRange {
  readonly from: string;
  readonly to: string;
  readonly start: number;
  readonly end: number;
}

/** Assembles a report from what a verification found. */
export function buildReport(parts: {
  checkpoint: { origin: string; size: number; root: Uint8Array } | null;
  entries: number;
  chains: ChainSummary | null;
  problems: readonly Problem[];
  range?: BundleRange;
}): VerificationReport {
  const problems = sortProblems(parts.problems);
  return {
    ...(parts.range ? { range: parts.range } : {}),
    ok: problems.length === 0,
    origin: parts.checkpoint?.origin ?? null,
    size: parts.checkpoint?.size ?? null,
    root: parts.checkpoint ? Buffer.from(parts.checkpoint.root).toString('hex') : null,
    entries: parts.entries,
    sessions: parts.chains ?? { sessions: 0, closed: 0 },
    problems,
    firstBadIndex: firstBadIndex(problems),
  };
}

/** A few lines a person can read: the verdict, the first bad index, and each problem. */
export function formatReport(report: VerificationReport): string {
  const lines: string[] = [];
  const where = report.origin === null ? 'no trusted checkpoint' : `${report.origin} at size ${report.size}`;
  lines.push(`${report.ok ? 'OK' : 'FAILED'}: ${where}, root ${report.root ?? '-'}`);
  lines.push(
    `${report.entries} entries hashed, ${report.sessions.sessions} session chains checked (${report.sessions.closed} closed)`,
  );
  if (report.range) {
    const { from, to, start, end } = report.range;
    lines.push(`bundle covers ${from} to ${to}: entries ${start} to ${end - 1}`);
  }
  if (report.firstBadIndex !== null) lines.push(`first bad index: ${report.firstBadIndex}`);
  for (const problem of report.problems) {
    lines.push(
      `  [${problem.kind}]${problem.index === null ? '' : ` index ${problem.index}:`} ${problem.message}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
