/**
 * Risk classes a classifier reports, least to most risky (the same list as @gatehouse/sql-risk);
 * `unknown` means nothing about the operation's effect could be established.
 */
export const RiskClass = ['read', 'write', 'admin', 'destructive', 'unknown'] as const;

/** One of {@link RiskClass}. */
export type RiskClass = (typeof RiskClass)[number];

/**
 * What a classifier (@gatehouse/sql-risk, @gatehouse/shell-risk) found in one statement or command:
 * the only part of a classification the policy engine looks at. Both classifiers' results satisfy
 * it structurally, so the engine depends on neither.
 */
export interface OperationFacts {
  /** Riskiest class of anything the operation does. */
  readonly riskClass: RiskClass;
  /** Statement or command kinds found (e.g. `select`, `delete`, `rm`). */
  readonly kinds: readonly string[];
  /** Risk flags raised (e.g. `write_without_where`). */
  readonly riskFlags: readonly string[];
  /** Relations read, as the classifier names them. */
  readonly relationsRead: readonly string[];
  /** Relations written, truncated, dropped or altered. */
  readonly relationsWritten: readonly string[];
  /** Functions called. */
  readonly functions: readonly string[];
}
