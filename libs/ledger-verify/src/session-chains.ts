import type { ChainFieldScanner } from './chain-field-scanner.ts';
import type { ChainFields } from './chain-fields.ts';
import type { Problem } from './problem.ts';

/**
 * How much of each session the checker sees: `complete` when verifying the whole log from index
 * 0 (every session starts at seq 0), `partial` for a slice such as an export bundle (a session
 * may start or end outside it, so each chain is checked from the first record present).
 */
export type ChainCoverage = 'complete' | 'partial';

/** Counts a chain check reports besides its problems. */
export interface ChainSummary {
  /** Sessions seen. */
  readonly sessions: number;
  /** Sessions whose session_closed record was seen. */
  readonly closed: number;
}

interface Link {
  readonly index: number;
  readonly seq: number;
  readonly prev: string | null;
  readonly hash: string;
  readonly close: ChainFields['close'];
}

// A loop, not Math.min(...keys): a partial slice may buffer more seqs than a call takes arguments.
function lowestSeq(pending: ReadonlyMap<number, Link>): number {
  let lowest = Number.POSITIVE_INFINITY;
  for (const seq of pending.keys()) if (seq < lowest) lowest = seq;
  return lowest;
}

interface SessionState {
  readonly id: string;
  /** Next seq to check; undefined in partial coverage until `finish` picks the first present. */
  next: number | undefined;
  /** Chain hash and log index of the last record checked; undefined before the first. */
  lastHash: string | undefined;
  lastIndex: number;
  closedAt: number | undefined;
  readonly pending: Map<number, Link>;
}

/**
 * Checks every session's hash chain (DESIGN.md section 6): seq numbers run 0, 1, 2, ... without
 * gaps or repeats; each record's `prev` is the SHA-256 of the session's previous record's
 * canonical bytes; a session_closed record's `chainHead` and `recordCount` match its chain; no
 * record follows it.
 *
 * Records are checked in seq order, not log order: the audit service forwards a batch
 * concurrently, so a session's records may be appended slightly out of order, which is not
 * tampering. Out-of-order records wait in a per-session buffer until their predecessor arrives,
 * so memory stays proportional to open sessions plus reordering.
 *
 * A problem is reported at the log index of the record whose link does not hold (the successor
 * of a changed record); removal of a record is reported at its successor.
 */
export class SessionChainChecker {
  readonly #coverage: ChainCoverage;
  readonly #sessions = new Map<string, SessionState>();
  /** Sessions by `ChainFieldScanner.sessionKey`, the first session of each key only. */
  readonly #byKey = new Map<number, SessionState>();
  readonly #problems: Problem[] = [];
  #closed = 0;

  constructor(coverage: ChainCoverage) {
    this.#coverage = coverage;
  }

  /** Adds the record at log `index` with its chain fields and chain hash (see `chainHash`). */
  add(index: number, fields: ChainFields, hash: string): void {
    const state = this.#session(fields.sessionId);
    const link: Link = { index, seq: fields.seq, prev: fields.prev, hash, close: fields.close };
    // The common case, a session's next record in order: check it without buffering.
    if (link.seq === state.next && state.pending.size === 0) {
      this.#check(state, link);
      state.next = link.seq + 1;
      return;
    }
    const other = state.pending.get(link.seq);
    if ((state.next !== undefined && link.seq < state.next) || other !== undefined) {
      this.#problems.push({
        kind: 'chain-duplicate',
        index,
        message: `session ${state.id}: seq ${link.seq} appears twice${other ? ` (also at index ${other.index})` : ''}`,
      });
      return;
    }
    state.pending.set(link.seq, link);
    if (state.next !== undefined) this.#drain(state);
  }

  /**
   * Adds the record at log `index` that `scanner` has just scanned, with its chain hash: the
   * replay's hot path. A session's next record in order whose link holds (the common case) is
   * checked in place, comparing `prev` in the record bytes with the last chain hash; any other
   * record goes through {@link add} with its full fields, so every problem is found and worded
   * as there.
   */
  addScanned(index: number, scanner: ChainFieldScanner, hash: string): void {
    const key = scanner.sessionKey;
    let state = this.#byKey.get(key);
    if (state === undefined || !scanner.sessionIdIs(state.id)) {
      state = this.#session(scanner.sessionId());
      if (!this.#byKey.has(key)) this.#byKey.set(key, state);
    }
    const { seq } = scanner;
    const linked =
      seq === 0 ? scanner.prevIsNull() : state.lastHash === undefined || scanner.prevEquals(state.lastHash);
    const plain = seq === state.next && state.pending.size === 0 && state.closedAt === undefined;
    if (plain && linked && !scanner.closing) {
      state.lastHash = hash;
      state.lastIndex = index;
      state.next = seq + 1;
      return;
    }
    this.add(index, scanner.fields(), hash);
  }

  /** Ends the check: reports gaps left in any chain and returns every chain problem found. */
  finish(): { problems: Problem[]; summary: ChainSummary } {
    for (const state of this.#sessions.values()) {
      if (state.next === undefined) {
        state.next = lowestSeq(state.pending);
        this.#drain(state);
      }
      while (state.pending.size > 0) {
        const resume = lowestSeq(state.pending);
        const link = state.pending.get(resume) as Link;
        const missing =
          resume - 1 === state.next ? `seq ${state.next}` : `seq ${state.next} to ${resume - 1}`;
        this.#problems.push({
          kind: 'chain-gap',
          index: link.index,
          message: `session ${state.id}: ${missing} missing before seq ${resume}`,
        });
        state.next = resume;
        state.lastHash = undefined;
        this.#drain(state);
      }
    }
    return { problems: this.#problems, summary: { sessions: this.#sessions.size, closed: this.#closed } };
  }

  #session(id: string): SessionState {
    let state = this.#sessions.get(id);
    if (state === undefined) {
      state = {
        id,
        next: this.#coverage === 'complete' ? 0 : undefined,
        lastHash: undefined,
        lastIndex: -1,
        closedAt: undefined,
        pending: new Map(),
      };
      this.#sessions.set(id, state);
    }
    return state;
  }

  #drain(state: SessionState): void {
    let next = state.next as number;
    for (let link = state.pending.get(next); link !== undefined; link = state.pending.get(next)) {
      state.pending.delete(next);
      this.#check(state, link);
      next += 1;
    }
    state.next = next;
  }

  #check(state: SessionState, link: Link): void {
    const { id } = state;
    if (state.closedAt !== undefined) {
      this.#problems.push({
        kind: 'record-after-close',
        index: link.index,
        message: `session ${id}: seq ${link.seq} follows the session_closed record at index ${state.closedAt}`,
      });
    }
    if (link.seq === 0 && link.prev !== null) {
      this.#problems.push({
        kind: 'chain-break',
        index: link.index,
        message: `session ${id}: seq 0 must have prev null`,
      });
    } else if (state.lastHash !== undefined && link.prev !== state.lastHash) {
      this.#problems.push({
        kind: 'chain-break',
        index: link.index,
        message: `session ${id}: seq ${link.seq} names prev ${String(link.prev)} but seq ${link.seq - 1} (index ${state.lastIndex}) hashes to ${state.lastHash}`,
      });
    }
    if (link.close !== undefined) {
      const { chainHead, recordCount } = link.close;
      if (chainHead !== undefined && chainHead !== link.prev) {
        this.#problems.push({
          kind: 'session-close-mismatch',
          index: link.index,
          message: `session ${id}: session_closed names chain head ${String(chainHead)}, its chain ends at ${String(link.prev)}`,
        });
      }
      if (recordCount !== undefined && recordCount !== link.seq + 1) {
        this.#problems.push({
          kind: 'session-close-mismatch',
          index: link.index,
          message: `session ${id}: session_closed counts ${String(recordCount)} records, its seq ${link.seq} makes ${link.seq + 1}`,
        });
      }
      if (state.closedAt === undefined) {
        state.closedAt = link.index;
        this.#closed += 1;
      }
    }
    state.lastHash = link.hash;
    state.lastIndex = link.index;
  }
}
