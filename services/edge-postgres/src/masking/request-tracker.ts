import {
  BackendMessageCode,
  FrontendMessageCode,
  MESSAGE_HEADER_LENGTH,
  TargetKind,
  decodeBind,
  decodeClose,
  decodeCommandComplete,
  decodeDescribe,
  decodeExecute,
  decodeParse,
  decodeRowDescription,
  encodeRowDescription,
  formatCodeAt,
  type FieldDescription,
  type Frame,
} from '@gatehouse/pg-wire';

/** The columns rows of one result have, and the key their masking plan is cached under. */
export interface RowShape {
  readonly fields: readonly FieldDescription[];
  /** The RowDescription body as latin1: equal bytes, equal plan. */
  readonly key: string;
}

/** Which forwarded client request an upstream message answers. */
export const Answering = {
  /** No request is open (asynchronous messages, or an upstream out of step with the client). */
  Nothing: 0,
  /** A simple Query: its results each begin with their own RowDescription. */
  Query: 1,
  /** An Execute of a portal: its rows have the portal's shape ({@link RequestTracker.executing}). */
  Execute: 2,
  /** A Describe of a statement or portal: a RowDescription here is metadata, no rows follow it. */
  Describe: 3,
  /** A refusal marker the relay sent in place of a refused statement: its answer holds only edge-made text. */
  Marker: 4,
  /** Parse, Bind, Close or Sync. */
  Other: 5,
} as const;

/** One of {@link Answering}. */
export type Answering = (typeof Answering)[keyof typeof Answering];

/** A request forwarded upstream that the upstream has not finished answering. */
interface Pending {
  readonly code: number;
  /** Parse: statement; Bind, Execute: portal; Describe, Close: the target's name. */
  readonly name: string;
  /** Describe and Close: statement or portal. */
  readonly kind: TargetKind | undefined;
  /** Bind: the source statement and the result format codes. */
  readonly statement: string | undefined;
  readonly formats: readonly number[] | undefined;
  /** A Query or Parse the relay sent in place of a refused statement. */
  readonly marker: boolean;
}

interface PortalState {
  /** Undefined: not bound through this session's Bind (a cursor opened by SQL). */
  readonly statement: string | undefined;
  readonly formats: readonly number[];
  /** From a Describe of the portal: exact, with the formats. Null: NoData. */
  shape: RowShape | null | undefined;
}

/** Statements kept with their shapes; past this, the oldest are forgotten (their rows are then refused). */
const MAX_STATEMENTS = 4096;

/**
 * Commands after which the portals this tracker knows still are what it recorded. Any other
 * command (DECLARE, CLOSE, ROLLBACK [TO], COMMIT, DISCARD, ...) may have closed a portal and let a
 * new one take its name, so every recorded portal is forgotten: a later Execute of it without a
 * fresh Describe is refused rather than masked with a stale plan.
 */
const PORTAL_PRESERVING: ReadonlySet<string> = new Set([
  'SELECT',
  'INSERT',
  'UPDATE',
  'DELETE',
  'MERGE',
  'COPY',
  'FETCH',
  'MOVE',
  'BEGIN',
  'START TRANSACTION',
  'SAVEPOINT',
  'RELEASE',
  'SET',
  'SHOW',
  'LISTEN',
  'UNLISTEN',
  'NOTIFY',
  'EXPLAIN',
]);

/** Commands that create or remove prepared statements by SQL (they share the protocol's namespace). */
const STATEMENT_CHANGING: ReadonlySet<string> = new Set([
  'PREPARE',
  'DEALLOCATE',
  'DEALLOCATE ALL',
  'DISCARD ALL',
]);

/**
 * Pairs upstream responses with the client requests the relay forwarded, in order, as the
 * extended query protocol defines them
 * (https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY), and keeps
 * what each prepared statement and portal returns. That is what lets the result masker tell which
 * rows belong to which result: a RowDescription answering a Describe is not followed by rows,
 * and the rows of an Execute have the shape of *its* portal, whatever was described last.
 *
 * A portal's shape comes from a Describe of that portal, or from the Describe of its statement
 * with the result formats of its Bind. The tracker forgets what may have changed behind its back:
 * the unnamed statement at every Query, every portal at the end of a transaction, at every Query
 * and after any command that may close or open cursors, every statement after PREPARE/DEALLOCATE.
 */
export class RequestTracker {
  readonly #pending: Pending[] = [];
  /** Index of the oldest pending request (the queue is compacted now and then, not shifted per answer). */
  #head = 0;
  /** After an extended-protocol error with no Sync forwarded yet: the upstream ignores everything up to Sync. */
  #skipUntilSync = false;
  readonly #statements = new Map<string, RowShape | null | undefined>();
  readonly #portals = new Map<string, PortalState>();

  /** A client message the relay wrote upstream; `admitted` is false for the relay's refusal markers. */
  forwarded(message: Buffer, admitted: boolean): void {
    const code = message[0]!;
    if (this.#skipUntilSync && code !== FrontendMessageCode.Sync) return;
    const payload = message.subarray(MESSAGE_HEADER_LENGTH);
    switch (code) {
      case FrontendMessageCode.Sync:
        this.#skipUntilSync = false;
        return this.#push(code, '', { marker: false });
      case FrontendMessageCode.Query:
        return this.#push(code, '', { marker: !admitted });
      case FrontendMessageCode.Parse:
        return this.#push(code, decodeParse(payload).statement, { marker: !admitted });
      case FrontendMessageCode.Bind: {
        const bind = decodeBind(payload);
        return this.#push(code, bind.portal, { statement: bind.statement, formats: [...bind.resultFormats] });
      }
      case FrontendMessageCode.Describe: {
        const target = decodeDescribe(payload);
        return this.#push(code, target.name, { kind: target.kind });
      }
      case FrontendMessageCode.Close: {
        const target = decodeClose(payload);
        return this.#push(code, target.name, { kind: target.kind });
      }
      case FrontendMessageCode.Execute:
        return this.#push(code, decodeExecute(payload).portal, {});
      default:
        // Flush, CopyData, CopyDone, CopyFail, Terminate: no response of their own.
        return;
    }
  }

  /**
   * Takes one upstream message (in order) and returns which request it answers, updating what is
   * known about statements and portals. DataRows are answered without any work.
   */
  observe(frame: Frame): Answering {
    const code = frame.code;
    if (code === BackendMessageCode.DataRow) return this.#answering(this.#pending[this.#head]);
    const head = this.#pending[this.#head];
    const answering = this.#answering(head);
    switch (code) {
      case BackendMessageCode.ParseComplete:
        if (head?.code === FrontendMessageCode.Parse) {
          this.#setStatement(head.name, undefined);
          this.#shift();
        }
        break;
      case BackendMessageCode.BindComplete:
        if (head?.code === FrontendMessageCode.Bind) {
          this.#portals.set(head.name, {
            statement: head.statement,
            formats: head.formats ?? [],
            shape: undefined,
          });
          this.#shift();
        }
        break;
      case BackendMessageCode.RowDescription:
      case BackendMessageCode.NoData:
        if (head?.code === FrontendMessageCode.Describe) {
          const shape = code === BackendMessageCode.NoData ? null : shapeOf(frame.payload());
          if (head.kind === TargetKind.Statement) this.#setStatement(head.name, shape);
          else this.#portal(head.name).shape = shape;
          this.#shift();
        }
        break;
      case BackendMessageCode.CloseComplete:
        if (head?.code === FrontendMessageCode.Close) {
          if (head.kind === TargetKind.Statement) this.#statements.delete(head.name);
          else this.#portals.delete(head.name);
          this.#shift();
        }
        break;
      case BackendMessageCode.CommandComplete: {
        const { command } = decodeCommandComplete(frame.payload());
        if (STATEMENT_CHANGING.has(command)) this.#statements.clear();
        if (!PORTAL_PRESERVING.has(command)) this.#portals.clear();
        if (head?.code === FrontendMessageCode.Execute) this.#shift();
        break;
      }
      case BackendMessageCode.PortalSuspended:
      case BackendMessageCode.EmptyQueryResponse:
        if (head?.code === FrontendMessageCode.Execute) this.#shift();
        break;
      case BackendMessageCode.ErrorResponse:
        // A simple Query goes on to its ReadyForQuery; an extended-protocol error makes the upstream
        // ignore every message up to the next Sync.
        if (
          head !== undefined &&
          head.code !== FrontendMessageCode.Query &&
          head.code !== FrontendMessageCode.Sync
        )
          this.#skipToSync();
        break;
      case BackendMessageCode.ReadyForQuery:
        this.#ready(frame.buffer[frame.payloadStart]);
        break;
      default:
        break;
    }
    return answering;
  }

  /**
   * The shape of the rows the Execute being answered returns: the portal's own Describe, else its
   * statement's Describe with the Bind's result formats. Undefined when it cannot be known (a
   * cursor opened by SQL and never described, a statement never described): refuse those rows.
   */
  executing(): RowShape | undefined {
    const head = this.#pending[this.#head];
    if (head?.code !== FrontendMessageCode.Execute) return undefined;
    const portal = this.#portals.get(head.name);
    if (portal === undefined) return undefined;
    if (portal.shape !== undefined) return portal.shape ?? undefined;
    if (portal.statement === undefined) return undefined;
    const statement = this.#statements.get(portal.statement);
    if (statement === undefined || statement === null) return undefined;
    // A statement's Describe reports format 0 for every column; the Bind chose the real ones.
    const fields = statement.fields.map((field, i) => ({
      ...field,
      format: formatCodeAt(portal.formats, i),
    }));
    portal.shape = {
      fields,
      key: encodeRowDescription(fields).subarray(MESSAGE_HEADER_LENGTH).toString('latin1'),
    };
    return portal.shape;
  }

  #push(
    code: number,
    name: string,
    extra: { kind?: TargetKind; statement?: string; formats?: readonly number[]; marker?: boolean },
  ): void {
    this.#pending.push({
      code,
      name,
      kind: extra.kind,
      statement: extra.statement,
      formats: extra.formats,
      marker: extra.marker ?? false,
    });
  }

  #answering(head: Pending | undefined): Answering {
    if (head === undefined) return Answering.Nothing;
    if (head.marker) return Answering.Marker;
    switch (head.code) {
      case FrontendMessageCode.Query:
        return Answering.Query;
      case FrontendMessageCode.Execute:
        return Answering.Execute;
      case FrontendMessageCode.Describe:
        return Answering.Describe;
      default:
        return Answering.Other;
    }
  }

  #shift(): void {
    this.#head++;
    if (this.#head === this.#pending.length) {
      this.#pending.length = 0;
      this.#head = 0;
    } else if (this.#head >= 1024) {
      this.#pending.splice(0, this.#head);
      this.#head = 0;
    }
  }

  /** Drops the requests the upstream will ignore after an extended-protocol error. */
  #skipToSync(): void {
    while (this.#head < this.#pending.length && this.#pending[this.#head]!.code !== FrontendMessageCode.Sync)
      this.#shift();
    if (this.#pending.length === 0) this.#skipUntilSync = true;
  }

  /** ReadyForQuery ends a Sync or Query (and whatever the upstream skipped before it). */
  #ready(status: number | undefined): void {
    let ended: Pending | undefined;
    while (this.#head < this.#pending.length) {
      const pending = this.#pending[this.#head]!;
      this.#shift();
      if (pending.code === FrontendMessageCode.Sync || pending.code === FrontendMessageCode.Query) {
        ended = pending;
        break;
      }
    }
    // A Query replaces the unnamed statement and may open or close cursors by SQL; outside a
    // transaction block no portal survives (WITH HOLD cursors must be described again).
    if (ended?.code === FrontendMessageCode.Query) this.#statements.delete('');
    if (ended?.code === FrontendMessageCode.Query || status === 0x49 /* 'I' */ || status === 0x45 /* 'E' */)
      this.#portals.clear();
  }

  #portal(name: string): PortalState {
    let portal = this.#portals.get(name);
    if (portal === undefined)
      this.#portals.set(name, (portal = { statement: undefined, formats: [], shape: undefined }));
    return portal;
  }

  #setStatement(name: string, shape: RowShape | null | undefined): void {
    this.#statements.delete(name);
    if (this.#statements.size >= MAX_STATEMENTS)
      this.#statements.delete(this.#statements.keys().next().value!);
    this.#statements.set(name, shape);
  }
}

function shapeOf(payload: Buffer): RowShape {
  return { fields: decodeRowDescription(payload), key: payload.toString('latin1') };
}
