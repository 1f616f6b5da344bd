/**
 * One unit of upstream work that ends with a ReadyForQuery: a simple Query (or a refusal marker
 * standing in for one), or the extended-protocol messages up to and including a Sync. Upstream
 * answers in order, so the oldest open sync point owns every response until its ReadyForQuery.
 */
export interface SyncPoint {
  /** Statement evidence ids whose results this sync point reports. */
  statementIds: string[];
  startedAt: number;
  /** When its ReadyForQuery arrived (0 until then). */
  finishedAt: number;
  rows: number;
  bytes: number;
  commands: string[];
  sqlstate: string | undefined;
  /** Set when a refused statement was replaced by a marker whose error must be rewritten. */
  marker: { nonce: string; errorResponse: Buffer } | undefined;
  /** True once the Sync (or Query) that ends it has been forwarded. */
  closed: boolean;
}

/** A new, open sync point. */
export function openSyncPoint(): SyncPoint {
  return {
    statementIds: [],
    startedAt: performance.now(),
    finishedAt: 0,
    rows: 0,
    bytes: 0,
    commands: [],
    sqlstate: undefined,
    marker: undefined,
    closed: false,
  };
}
