import { UnclassifiableStatementError } from '@gatehouse/errors';
import { classificationFingerprint, refusalFingerprint } from './classification-fingerprint.ts';
import { normalizedText, scrubLiterals } from './normalized-text.ts';
import { loadPgParser, type PgNode, type PgParser, type PgRawStmt } from './pg-parser.ts';
import { compareRiskClass, type RiskClass } from './risk-class.ts';
import { sortRiskFlags, type RiskFlag } from './risk-flag.ts';
import type {
  ClassifyContext,
  SqlClassification,
  SqlClassifier,
  StatementClassification,
} from './sql-classification.ts';
import type { StatementFacts } from './statement-facts.ts';
import type { StatementKind } from './statement-kind.ts';
import { walkTopLevelStatement, type WalkEnvironment } from './statement-walker.ts';

/** Options of {@link createSqlClassifier}. */
export interface SqlClassifierOptions {
  /** Texts longer than this many UTF-8 bytes are not parsed (class `unknown`, flag `too_large`). Default 1 MiB. */
  readonly maxStatementBytes?: number;
}

/** Default cap on the UTF-8 size of one classified text. */
export const DEFAULT_MAX_STATEMENT_BYTES = 1024 * 1024;

// A NUL ends the string for the C parser (`SELECT 1\0; DROP TABLE t` would parse as `SELECT 1`),
// and a lone surrogate has no UTF-8 encoding: neither can be what the server receives.
const UNREPRESENTABLE = /\0|\p{Surrogate}/u;

const REFUSAL_FLAGS: ReadonlySet<RiskFlag> = new Set(['unparsable', 'too_large', 'too_complex']);

/**
 * Loads the PostgreSQL parser (WASM, once per process) and returns a classifier whose
 * `classify` is synchronous.
 */
export async function createSqlClassifier(options: SqlClassifierOptions = {}): Promise<SqlClassifier> {
  const maxStatementBytes = options.maxStatementBytes ?? DEFAULT_MAX_STATEMENT_BYTES;
  if (!Number.isSafeInteger(maxStatementBytes) || maxStatementBytes < 1) {
    throw new RangeError(`maxStatementBytes must be a positive integer, got ${maxStatementBytes}`);
  }
  return new ParserBackedClassifier(await loadPgParser(), maxStatementBytes);
}

/**
 * Classifies `sql`, throwing {@link UnclassifiableStatementError} when it could not be classified
 * (too large, unparsable, too deeply nested) instead of returning class `unknown`. The error
 * message never contains the SQL text.
 */
export function classifyOrThrow(
  classifier: SqlClassifier,
  sql: string,
  context?: ClassifyContext,
): SqlClassification {
  const classification = classifier.classify(sql, context);
  const reasons = classification.riskFlags.filter((flag) => REFUSAL_FLAGS.has(flag));
  if (reasons.length > 0) {
    throw new UnclassifiableStatementError(`SQL text could not be classified: ${reasons.join(', ')}`);
  }
  return classification;
}

class ParserBackedClassifier implements SqlClassifier {
  constructor(
    private readonly parser: PgParser,
    private readonly maxStatementBytes: number,
  ) {}

  classify(sql: string, context?: ClassifyContext): SqlClassification {
    // Each UTF-16 unit is at most 3 UTF-8 bytes: the exact count is only needed near the cap.
    if (sql.length * 3 > this.maxStatementBytes && Buffer.byteLength(sql, 'utf8') > this.maxStatementBytes) {
      return refused('too_large', '', refusalFingerprint('too_large', ''));
    }
    if (UNREPRESENTABLE.test(sql)) {
      return refused('unparsable', '', refusalFingerprint('unrepresentable', ''));
    }
    // libpg-query refuses the empty string; PostgreSQL answers it with EmptyQueryResponse.
    const blank = sql.length === 0;
    let statements;
    try {
      statements = blank ? [] : (this.parser.parse(sql).stmts ?? []);
    } catch {
      const rendering = scrubLiterals(this.parser, sql);
      return refused('unparsable', rendering, refusalFingerprint('unparsable', rendering.toLowerCase()));
    }
    const env = { parser: this.parser, preparedStatements: context?.preparedStatements };
    const facts = statements.map((raw) =>
      raw.stmt === undefined ? undefined : classifyStatement(raw.stmt, env),
    );
    const classified = facts.map((fact) => fact?.toClassification() ?? UNKNOWN_STATEMENT);
    const parameterCount = facts.reduce((max, fact) => Math.max(max, fact?.maxParam ?? 0), 0);
    let shape: string;
    try {
      shape = blank ? '' : this.parser.fingerprint(sql);
    } catch {
      shape = scrubLiterals(this.parser, sql).toLowerCase();
    }
    return {
      ...aggregate(classified),
      fingerprint: classificationFingerprint(shape, classified),
      normalized: blank ? '' : normalizedText(this.parser, sql, statements.some(isSetStatement)),
      parameterCount,
    };
  }
}

function isSetStatement(raw: PgRawStmt): boolean {
  return raw.stmt?.VariableSetStmt !== undefined;
}

function classifyStatement(statement: PgNode, env: WalkEnvironment): StatementFacts | undefined {
  try {
    return walkTopLevelStatement(statement, env);
  } catch {
    // A tree too deep for the walker's stack (or any walker failure) fails closed.
    return undefined;
  }
}

const UNKNOWN_STATEMENT: StatementClassification = {
  kind: 'unknown',
  kinds: ['unknown'],
  relationsRead: [],
  relationsWritten: [],
  functions: [],
  riskFlags: ['too_complex'],
  riskClass: 'unknown',
};

type Aggregate = Pick<
  SqlClassification,
  'statements' | 'kinds' | 'relationsRead' | 'relationsWritten' | 'functions' | 'riskFlags' | 'riskClass'
>;

function aggregate(statements: readonly StatementClassification[]): Aggregate {
  const kinds = new Set<StatementKind>();
  const flags = new Set<RiskFlag>();
  const read = new Set<string>();
  const written = new Set<string>();
  const functions = new Set<string>();
  let riskClass: RiskClass = 'read';
  for (const statement of statements) {
    for (const kind of statement.kinds) kinds.add(kind);
    for (const flag of statement.riskFlags) flags.add(flag);
    for (const relation of statement.relationsRead) read.add(relation);
    for (const relation of statement.relationsWritten) written.add(relation);
    for (const name of statement.functions) functions.add(name);
    if (compareRiskClass(statement.riskClass, riskClass) > 0) riskClass = statement.riskClass;
  }
  if (statements.length > 1) flags.add('multi_statement');
  return {
    statements,
    kinds: [...kinds],
    relationsRead: [...read].sort(),
    relationsWritten: [...written].sort(),
    functions: [...functions].sort(),
    riskFlags: sortRiskFlags(flags),
    riskClass,
  };
}

function refused(flag: RiskFlag, normalized: string, fingerprint: string): SqlClassification {
  const statement: StatementClassification = { ...UNKNOWN_STATEMENT, riskFlags: [flag] };
  return { ...aggregate([statement]), fingerprint, normalized, parameterCount: 0 };
}
