/**
 * Why a statement got its class. Callers (the policy engine, evidence) match on these names; the
 * list order is the order flags are reported in.
 */
export const RiskFlag = [
  /** UPDATE/DELETE (or a MERGE action) that can touch every row of its target. */
  'write_without_where',
  /** A WHERE that does not restrict the target's rows (`1=1`, `x = x`, `... OR true`, constants only). */
  'tautological_where',
  /** More than one top-level statement in one string. */
  'multi_statement',
  /** BEGIN/COMMIT/ROLLBACK/SAVEPOINT: COMMIT can end a read-only transaction the gateway opened. */
  'transaction_control',
  /** A setting that changes identity, parsing, read-only mode or search path. */
  'sensitive_set',
  /** SET ROLE / RESET ROLE. */
  'set_role',
  /** SET SESSION AUTHORIZATION / RESET SESSION AUTHORIZATION. */
  'session_authorization',
  /** A function with effects beyond returning a value (termination, config, files, sequences). */
  'side_effect_function',
  /** SQL built at run time (PL/pgSQL EXECUTE, query_to_xml, dblink): its effect is not visible. */
  'dynamic_sql',
  /** Code whose statements are not visible here: CALL, EXECUTE of an unknown prepared statement, DO in another language. */
  'opaque_code',
  /** COPY ... PROGRAM runs a shell command on the database server. */
  'copy_program',
  /** COPY to or from a file on the database server. */
  'copy_file',
  /** INSERT/UPDATE/DELETE/MERGE inside WITH. */
  'writable_cte',
  /** EXPLAIN ANALYZE executes the explained statement. */
  'explain_analyze',
  /** SELECT ... INTO creates and fills a table. */
  'select_into',
  /** CREATE TABLE AS / CREATE MATERIALIZED VIEW creates and fills a table. */
  'create_table_as',
  /** SELECT ... FOR UPDATE/SHARE locks (and marks) rows. */
  'row_lock',
  /** pg_sleep and friends: no data effect, but holds a connection and locks. */
  'long_running',
  /** Schema change (CREATE/ALTER/DROP of objects, COMMENT, SECURITY LABEL). */
  'ddl',
  /** DROP of an object or column, DROP OWNED. */
  'drop',
  /** TRUNCATE. */
  'truncate',
  /** GRANT/REVOKE of privileges or roles. */
  'grant',
  /** ALTER SYSTEM writes postgresql.auto.conf. */
  'alter_system',
  /** CREATE/ALTER/DROP ROLE or USER, role membership, ownership transfer. */
  'role_ddl',
  /** The parser rejected the text (or it holds a NUL / lone surrogate), or text embedded in it: a DO body, a prepared statement. */
  'unparsable',
  /** The text is larger than the classifier's cap and was not parsed. */
  'too_large',
  /** The parse tree was too deep to walk. */
  'too_complex',
  /** A statement type the walker does not know. */
  'unknown_statement',
] as const;

/** One of {@link RiskFlag}. */
export type RiskFlag = (typeof RiskFlag)[number];

const ORDER: ReadonlyMap<string, number> = new Map(RiskFlag.map((flag, index) => [flag, index]));

/** True when `value` is one of the {@link RiskFlag} names. */
export function isRiskFlag(value: unknown): value is RiskFlag {
  return typeof value === 'string' && ORDER.has(value);
}

/** Sorts flags into {@link RiskFlag} list order (stable, canonical output). */
export function sortRiskFlags(flags: Iterable<RiskFlag>): RiskFlag[] {
  return [...flags].sort((a, b) => (ORDER.get(a) ?? 0) - (ORDER.get(b) ?? 0));
}
