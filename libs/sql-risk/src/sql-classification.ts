import type { RiskClass } from './risk-class.ts';
import type { RiskFlag } from './risk-flag.ts';
import type { StatementKind } from './statement-kind.ts';

/** What one top-level statement of a SQL string does. */
export interface StatementClassification {
  /** Kind of the top-level statement itself (`explain` for EXPLAIN ANALYZE DELETE). */
  readonly kind: StatementKind;
  /** Every kind found in the statement, the top-level kind first (nested CTEs, EXPLAIN ANALYZE, DO bodies). */
  readonly kinds: readonly StatementKind[];
  /** Relations read, lower-cased, schema-qualified only when written so; sorted. */
  readonly relationsRead: readonly string[];
  /** Relations written, truncated, locked, dropped or altered; same naming as `relationsRead`. */
  readonly relationsWritten: readonly string[];
  /** Every function called (or, under plain EXPLAIN, named), lower-cased, qualified when written so; sorted. */
  readonly functions: readonly string[];
  /** Why the statement got its class, in {@link RiskFlag} list order. */
  readonly riskFlags: readonly RiskFlag[];
  /** The riskiest thing the statement does. */
  readonly riskClass: RiskClass;
}

/** What a whole SQL string (one simple-query message, one Parse) does. */
export interface SqlClassification {
  /** One entry per top-level statement; a single `unknown` entry when the text was not parsed. */
  readonly statements: readonly StatementClassification[];
  /** Deduplicated union of the statements' kinds, in order of first appearance. */
  readonly kinds: readonly StatementKind[];
  /** Union of the statements' relations read; sorted. */
  readonly relationsRead: readonly string[];
  /** Union of the statements' relations written; sorted. */
  readonly relationsWritten: readonly string[];
  /** Union of the statements' functions; sorted. */
  readonly functions: readonly string[];
  /** Union of the statements' flags plus string-level ones (`multi_statement`, `unparsable`, `too_large`). */
  readonly riskFlags: readonly RiskFlag[];
  /** Maximum over the statements; `unknown` for text that was not parsed; `read` for an empty string. */
  readonly riskClass: RiskClass;
  /**
   * Hex digest identifying the statement shape together with its classification: identical for
   * texts that differ only in literal values, whitespace, comments and keyword case (as long as
   * those differences do not change the classification), so it can key a decision cache.
   */
  readonly fingerprint: string;
  /** The text with every literal replaced by a `$n` placeholder and comments removed; `''` when not parsed. */
  readonly normalized: string;
  /** Highest `$n` parameter the client itself used (0 when none). */
  readonly parameterCount: number;
}

/** Extra knowledge a caller may pass to sharpen a classification. */
export interface ClassifyContext {
  /**
   * Text of the session's SQL-level prepared statements by (parser-folded) name, so that
   * `EXECUTE name` is classified as its statement instead of `unknown`.
   */
  readonly preparedStatements?: ReadonlyMap<string, string>;
}

/** Classifies SQL text synchronously; built once by `createSqlClassifier` (which loads the parser). */
export interface SqlClassifier {
  /** Classifies every statement of `sql`; never throws for bad input (see `riskFlags`). */
  classify(sql: string, context?: ClassifyContext): SqlClassification;
}
