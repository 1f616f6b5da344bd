import {
  fingerprintSync,
  loadModule,
  normalizeSync,
  parsePlPgSQLSync,
  parseSync,
  scanSync,
} from 'libpg-query';

/**
 * A parse-tree node as libpg-query's JSON shows it: either a wrapper `{ SelectStmt: {...} }` whose
 * single key is the node type, or a bare field object where the type is implied by its parent
 * field (`DeleteStmt.relation` is a bare RangeVar).
 */
export type PgNode = Readonly<Record<string, unknown>>;

/** One top-level statement of a parse result. */
export interface PgRawStmt {
  readonly stmt?: PgNode;
}

/** The part of libpg-query's parse result this library reads. */
export interface PgParseResult {
  readonly stmts?: readonly PgRawStmt[];
}

/** One lexer token; offsets are UTF-8 byte offsets into the scanned text. */
export interface PgScanToken {
  readonly start: number;
  readonly end: number;
  readonly tokenType: number;
}

/** The structural subset of libpg-query used here (all synchronous once the WASM is loaded). */
export interface PgParser {
  /** Raw parse tree; throws on a syntax error. */
  parse(sql: string): PgParseResult;
  /** PL/pgSQL tree of a `DO` or `CREATE FUNCTION ... LANGUAGE plpgsql` statement; throws on error. */
  parsePlPgSql(sql: string): unknown;
  /** pg_query fingerprint (16 hex digits): ignores literal values, whitespace, comments, case. */
  fingerprint(sql: string): string;
  /** pg_stat_statements-style normalization: constants of DML become `$n`. */
  normalize(sql: string): string;
  /** The PostgreSQL lexer's tokens, comments included. */
  scan(sql: string): readonly PgScanToken[];
}

/** Loads the libpg-query WASM module (once per process) and returns its synchronous API. */
export async function loadPgParser(): Promise<PgParser> {
  await loadModule();
  return {
    parse: (sql) => parseSync(sql) as PgParseResult,
    parsePlPgSql: (sql) => parsePlPgSQLSync(sql),
    fingerprint: (sql) => fingerprintSync(sql),
    normalize: (sql) => normalizeSync(sql),
    scan: (sql) => scanSync(sql).tokens,
  };
}
