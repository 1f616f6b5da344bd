import type { PgParser } from './pg-parser.ts';

/** How PL/pgSQL stored an embedded piece of SQL (PostgreSQL's RawParseMode). */
export const EmbeddedSqlMode = {
  /** A whole statement (`DELETE FROM t WHERE id = v`). */
  Statement: 0,
  /** A type name (declarations); has no effect. */
  TypeName: 1,
  /** An expression, parsed as `SELECT <expr>` (`v > 1`, `pg_sleep(1)`). */
  Expression: 2,
  /** Assignments `target := expr` (three grammar variants). */
  Assign1: 3,
  Assign2: 4,
  Assign3: 5,
} as const;

/** One piece of SQL inside a PL/pgSQL block. */
export interface EmbeddedSql {
  readonly text: string;
  readonly mode: number;
}

/** What a PL/pgSQL block contains, as far as the gateway cares. */
export interface PlPgSqlBlock {
  /** Every statement and expression PL/pgSQL will hand to the SQL executor. */
  readonly embedded: readonly EmbeddedSql[];
  /** Declared variable names (bare references to them are constants, not columns). */
  readonly variables: ReadonlySet<string>;
  /** EXECUTE, FOR ... IN EXECUTE, RETURN QUERY EXECUTE, OPEN ... FOR EXECUTE: text built at run time. */
  readonly dynamic: boolean;
  /** COMMIT or ROLLBACK inside the block. */
  readonly transactionControl: boolean;
}

// PL/pgSQL statement types whose SQL is a run-time string.
const DYNAMIC_STATEMENTS: ReadonlySet<string> = new Set([
  'PLpgSQL_stmt_dynexecute',
  'PLpgSQL_stmt_dynfors',
  'dynquery',
]);
const TRANSACTION_STATEMENTS: ReadonlySet<string> = new Set(['PLpgSQL_stmt_commit', 'PLpgSQL_stmt_rollback']);
const VARIABLE_DATUMS: ReadonlySet<string> = new Set(['PLpgSQL_var', 'PLpgSQL_rec']);

/**
 * Parses the body of a `DO` block with PostgreSQL's PL/pgSQL parser and lists the SQL it embeds.
 * Throws when the body does not parse (the caller classifies it as unknown).
 */
export function readPlPgSqlBlock(parser: PgParser, body: string): PlPgSqlBlock {
  const tree = parser.parsePlPgSql(`DO ${dollarQuote(body)}`);
  const block = {
    embedded: [] as EmbeddedSql[],
    variables: new Set<string>(),
    dynamic: false,
    transactionControl: false,
  };
  collect(tree, block);
  return block;
}

type MutableBlock = {
  embedded: EmbeddedSql[];
  variables: Set<string>;
  dynamic: boolean;
  transactionControl: boolean;
};

function collect(value: unknown, block: MutableBlock): void {
  if (Array.isArray(value)) {
    for (const item of value) collect(item, block);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const record = value as Readonly<Record<string, unknown>>;
  for (const key in record) {
    const child = record[key];
    if (key === 'PLpgSQL_expr') {
      const expr = child as Readonly<Record<string, unknown>>;
      if (typeof expr.query === 'string') {
        block.embedded.push({
          text: expr.query,
          mode: typeof expr.parseMode === 'number' ? expr.parseMode : 0,
        });
      }
      continue;
    }
    if (DYNAMIC_STATEMENTS.has(key)) block.dynamic = true;
    if (TRANSACTION_STATEMENTS.has(key)) block.transactionControl = true;
    if (VARIABLE_DATUMS.has(key)) {
      const refname = (child as Readonly<Record<string, unknown>>).refname;
      if (typeof refname === 'string') block.variables.add(refname);
    }
    collect(child, block);
  }
}

/**
 * `$tag$body$tag$` with a tag whose first occurrence in the quoted text is the closing one (the
 * body may itself use dollar quotes, or end in a prefix of the delimiter).
 */
export function dollarQuote(body: string): string {
  for (let n = 0; ; n += 1) {
    const delimiter = `$gh${n}$`;
    if (`${body}${delimiter}`.indexOf(delimiter) === body.length) return `${delimiter}${body}${delimiter}`;
  }
}

/**
 * The expression of an assignment `target := expr` (or `target = expr`), or undefined when the
 * target itself computes something (a subscript with a call), which is then treated as opaque.
 */
export function assignmentExpression(text: string): string | undefined {
  let split = text.indexOf(':=');
  let width = 2;
  if (split < 0) {
    split = text.indexOf('=');
    width = 1;
  }
  if (split < 0) return undefined;
  const target = text.slice(0, split);
  if (!/^[\s\w."$[\]+\-*/]*$/u.test(target)) return undefined;
  return text.slice(split + width);
}
