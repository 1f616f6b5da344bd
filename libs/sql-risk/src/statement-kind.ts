/**
 * What kind of statement (or nested statement) a string contains. A statement reports every kind
 * it contains: `WITH d AS (DELETE ...) SELECT ...` is both `select` and `delete`.
 */
export const StatementKind = [
  'select',
  'insert',
  'update',
  'delete',
  'merge',
  'copy_to',
  'copy_from',
  'create',
  'alter',
  'drop',
  'truncate',
  'grant',
  'revoke',
  'set',
  'reset',
  'transaction',
  'explain',
  'prepare',
  'execute',
  'deallocate',
  'do',
  'call',
  'listen',
  'unlisten',
  'notify',
  'vacuum',
  'analyze',
  'show',
  'discard',
  'lock',
  'role',
  'alter_system',
  'declare',
  'fetch',
  'close',
  'refresh',
  /** CHECKPOINT, CLUSTER, REINDEX, LOAD. */
  'utility',
  /** Unparsable, too large, or a statement type the walker does not know. */
  'unknown',
] as const;

/** One of {@link StatementKind}. */
export type StatementKind = (typeof StatementKind)[number];

const KINDS: ReadonlySet<string> = new Set(StatementKind);

/** True when `value` is one of the {@link StatementKind} names. */
export function isStatementKind(value: unknown): value is StatementKind {
  return typeof value === 'string' && KINDS.has(value);
}
