/**
 * What a verification can find wrong. One list drives both the union type and the runtime
 * check (CONVENTIONS.md: a single `as const` list).
 */
export const PROBLEM_KINDS = [
  /** The checkpoint is not signed by the pinned key, or names another log. */
  'bad-signature',
  /** An index is absent: the entries jump over it (a deleted row). */
  'missing-entry',
  /** An index arrives below the next expected one: duplicated or reordered entries. */
  'out-of-order',
  /** The leaf hash stored with an entry is not the hash of its record bytes. */
  'leaf-hash-mismatch',
  /** The entry at this index is not the one the signed checkpoint commits to. */
  'not-in-signed-log',
  /** The recomputed root differs from the signed one and no single entry could be blamed. */
  'root-mismatch',
  /** The signed checkpoint is not an extension of the one saved at the last verification. */
  'inconsistent-checkpoint',
  /** The record bytes are not a canonical evidence record (no session, seq or kind). */
  'malformed-record',
  /** A record's `session.prev` is not the hash of the session's previous record. */
  'chain-break',
  /** A session's records skip a sequence number. */
  'chain-gap',
  /** Two records claim the same place in one session. */
  'chain-duplicate',
  /** A session_closed record's chain head or record count does not match its chain. */
  'session-close-mismatch',
  /** A record follows its session's session_closed record. */
  'record-after-close',
  /** An export bundle does not prove it holds every record of its range. */
  'incomplete-range',
  /** An export bundle line is not what the format allows. */
  'malformed-bundle',
] as const;

/** One of {@link PROBLEM_KINDS}. */
export type ProblemKind = (typeof PROBLEM_KINDS)[number];

/** True when `value` is a {@link ProblemKind}. */
export function isProblemKind(value: unknown): value is ProblemKind {
  return (PROBLEM_KINDS as readonly unknown[]).includes(value);
}

/** One finding of a verification. */
export interface Problem {
  readonly kind: ProblemKind;
  /** Log index the finding is about; null when it concerns the whole log (e.g. a bad signature). */
  readonly index: number | null;
  /** What is wrong, in words an auditor can act on. */
  readonly message: string;
}

/** Orders problems by index (whole-log problems first), keeping discovery order for ties. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  return problems
    .map((problem, order) => ({ problem, order }))
    .sort((a, b) => (a.problem.index ?? -1) - (b.problem.index ?? -1) || a.order - b.order)
    .map(({ problem }) => problem);
}

/** The lowest index any problem names, or null when none names one. */
export function firstBadIndex(problems: readonly Problem[]): number | null {
  let first: number | null = null;
  for (const { index } of problems) {
    if (index !== null && (first === null || index < first)) first = index;
  }
  return first;
}
