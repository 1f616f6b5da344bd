import { DependencyUnavailableError } from '@gatehouse/errors';
import type { Logger } from '@gatehouse/logging';
import {
  BackendMessageCode,
  decodeCommandComplete,
  decodeCopyResponse,
  decodeRowDescription,
  encodeCopyData,
  encodeErrorResponse,
  FrontendMessageCode,
  Frame,
  type FieldDescription,
  type MessageFramer,
} from '@gatehouse/pg-wire';
import { MaskedTally, type MaskedEvidence } from './masked-tally.ts';
import type { CopySpec, EdgeColumn, MaskCount, MaskingBackend, ResultPlan } from './masking-backend.ts';
import { maskingDiagnostic, MaskingRefusal, MaskingRefusalCode } from './masking-refusal.ts';
import { messageText } from './message-text.ts';
import { Answering, RequestTracker, type RowShape } from './request-tracker.ts';
import { cutCells, pasteCells, releaseCells, type MaskedColumn } from './row-batch.ts';

/** How one session's result masker batches and reaches masking. */
export interface ResultMaskerOptions {
  backend: MaskingBackend;
  /** The session's target (masking reads its catalog). */
  target: string;
  logger: Logger;
  /** Called (asynchronously) when held frames are ready: the relay pulls again with {@link ResultMasker.next}. */
  onReady: () => void;
  /** Flush a batch at this many rows... */
  batchRows: number;
  /** ...or this many DataRow / CopyData bytes. */
  batchBytes: number;
  /** Batches of one result being masked at once. */
  maxInFlight: number;
}

/** What the relay counted for a sync point; the masker adds what it had to drop. */
export interface CountedPoint {
  readonly rows: number;
  readonly commands: readonly string[];
}

/** Where the current result stands. */
const Mode = {
  /** Between results. */
  Idle: 0,
  /** A result (or COPY) that needs no masking: frames pass as they are. */
  Pass: 1,
  /** A result whose DataRows go to masking. */
  Mask: 2,
  /** A COPY TO STDOUT whose CopyData goes to masking. */
  CopyMask: 3,
} as const;

type Mode = (typeof Mode)[keyof typeof Mode];

/** Frames held for masking, released in order once masking answered (`frames` undefined until then). */
interface Held {
  frames: Frame[] | undefined;
  next: number;
  dropped: boolean;
  /** A notice or notification being masked: it outlives a refusal of the result around it. */
  readonly keep: boolean;
  /** The sync point whose responses it holds. */
  readonly point: object | undefined;
}

/** The result set being masked. */
interface ActiveResult {
  readonly point: object | undefined;
  readonly profile: string;
  readonly tally: MaskedTally;
  /** RowDescription fields (rows) or undefined (COPY). */
  readonly fields: readonly FieldDescription[] | undefined;
  /** The masked columns in order: sent to masking, or masked here with the plan's byte form. */
  readonly columns: readonly MaskedColumn[];
  /** The positions of the columns sent to masking. */
  readonly cellColumns: readonly number[];
  /** The columns masked here, for their counts. */
  readonly edgeColumns: readonly EdgeColumn[];
  readonly copy: CopySpec | undefined;
  /** CopyData payloads sent to masking so far (the first may hold a CSV header). */
  copyOffset: number;
}

/** What the statements of one sync point ask of masking. */
interface PointMasking {
  profile: string | undefined;
  readonly texts: string[];
  copies: number;
  tally: MaskedTally | undefined;
  /** Commands the upstream completed whose CommandComplete was dropped after a refusal. */
  dropped: { rows: number; commands: string[] } | undefined;
}

/** Offset of a DataRow's Int16 cell count: type byte and Int32 length. */
const CELL_COUNT_OFFSET = 5;

/**
 * Masks the results of one client session on their way from the upstream to the client. It sits
 * between the upstream framer and the relay: the relay pulls frames with {@link next} instead of
 * from the framer, and gets them in order, masked. The relay also shows it every client message
 * it writes upstream ({@link forwarded}), so each response is paired with the request it answers.
 *
 * Per result set it decides once, with the plan of the masking service (cached per profile,
 * target and RowDescription bytes): no profile for the statement or nothing to mask → every frame
 * passes untouched, as the same bytes. Otherwise DataRows are held in batches (by count and bytes,
 * flushed at the end of the result) and sent to masking; the masked cells are written back with
 * recomputed lengths, in order. The cells of columns the plan gives a byte form (redaction, last
 * 4 digits, an email's domain) are not sent but masked here while pasting, byte for byte as
 * masking would; the batch still goes to masking, so masking down or too slow fails the
 * statement whatever its columns. While a batch is out the relay pauses the upstream
 * ({@link waiting}), so memory per session stays bounded by the batch size times `maxInFlight`.
 *
 * Which description rows have: in a simple Query, the RowDescription right before them. In the
 * extended protocol a RowDescription answers a Describe and no rows follow it; the rows of an
 * Execute have the shape of the executed portal (its own Describe, or its statement's Describe
 * with the Bind's formats; see {@link RequestTracker}). Every other response (ParseComplete,
 * BindComplete, CloseComplete, NoData, ParameterDescription, PortalSuspended, CommandComplete,
 * ...) ends the current result, so rows never inherit the plan of another result. Rows whose
 * shape cannot be known, or whose cell count differs from it, are refused.
 *
 * The text of errors, notices and notifications can quote values (`invalid input syntax for type
 * integer: "<value>"`, `Key (email)=(<value>) already exists`, RAISE NOTICE, pg_notify). Once a
 * statement of the session was admitted with a masking profile, all of them go through masking
 * (the profile of the sync point being answered, else the session's most recent one): a notice or
 * notification can carry values read by any earlier statement. If masking fails, their text is
 * replaced by a generic one under the same SQLSTATE. Errors answering the relay's refusal markers
 * hold only edge-made text and pass as they are.
 *
 * Fail closed: when masking is down, too slow, refuses, or the rows cannot be planned, the result
 * is replaced by an ErrorResponse and everything up to the next ReadyForQuery is dropped (its
 * CommandCompletes still count in the sync point's evidence); no unmasked row reaches the client.
 */
export class ResultMasker {
  readonly #options: ResultMaskerOptions;
  readonly #points = new WeakMap<object, PointMasking>();
  readonly #tracker = new RequestTracker();
  /** Frames and held batches in output order. */
  readonly #queue: (Frame | Held)[] = [];
  /** ReadyForQuery frames in the queue: frames after one belong to the next sync point. */
  #queuedReady = 0;
  #mode: Mode = Mode.Idle;
  #active: ActiveResult | undefined;
  /** Cells every row of the current result has; -1 when not checked. */
  #columns = -1;
  /** Frames of the batch being filled. */
  #batch: Frame[] = [];
  #batchBytes = 0;
  #inFlight = 0;
  /** Profile of the last sync point that had one: results of statements prepared earlier use it. */
  #sticky: string | undefined;
  /** Profile of the most recent statement admitted with one: message text is masked with it. */
  #sessionProfile: string | undefined;
  /** True between {@link admitted} and the next forwarded message (its Query, Parse or Execute). */
  #admittedNext = false;
  #lastHead: object | undefined;
  /** After a refusal: drop the rest of the sync point's responses, as PostgreSQL does after an error. */
  #discarding = false;
  #closed = false;

  constructor(options: ResultMaskerOptions) {
    this.#options = options;
  }

  /**
   * Hook for the relay: a statement is being forwarded upstream in sync point `point` with the
   * masking profile of the decision that admitted it (undefined: no masking) and its text (for
   * COPY). The relay then passes its Query or Parse to {@link forwarded}.
   */
  admitted(point: object, profile: string | undefined, text: string): void {
    let entry = this.#points.get(point);
    if (entry === undefined) {
      entry = { profile: undefined, texts: [], copies: 0, tally: undefined, dropped: undefined };
      this.#points.set(point, entry);
    }
    entry.profile ??= profile;
    entry.texts.push(text);
    if (profile !== undefined) this.#sessionProfile = profile;
    this.#admittedNext = true;
  }

  /**
   * Hook for the relay: `message` (one whole client message) is being written upstream; returns
   * it. A Query or Parse that does not follow {@link admitted} is the relay's refusal marker.
   */
  forwarded(message: Buffer): Buffer {
    const code = message[0];
    const statement = code === FrontendMessageCode.Query || code === FrontendMessageCode.Parse;
    this.#tracker.forwarded(message, statement && this.#admittedNext);
    this.#admittedNext = false;
    return message;
  }

  /**
   * Evidence details for a completed sync point, spread over the relay's own: `masked` when its
   * results or messages went through masking, and `rows`/`commands` including the commands whose
   * completion was dropped after a refusal (the upstream ran them; the record says so).
   */
  evidenceFor(point: object & CountedPoint): { masked?: MaskedEvidence; rows?: number; commands?: string[] } {
    const entry = this.#points.get(point);
    if (entry === undefined) return {};
    const { tally, dropped } = entry;
    return {
      ...(tally === undefined ? {} : { masked: tally.toEvidence() }),
      ...(dropped === undefined
        ? {}
        : { rows: point.rows + dropped.rows, commands: [...point.commands, ...dropped.commands] }),
    };
  }

  /** True while frames are held or queued here (the relay must not end the client before they leave). */
  get holding(): boolean {
    return this.#queue.length > 0;
  }

  /** True while the next frame waits for masking: the relay pauses the upstream socket. */
  get waiting(): boolean {
    const head = this.#queue[0];
    return head !== undefined && !(head instanceof Frame) && head.frames === undefined && !this.#canPull();
  }

  /**
   * The next frame for the relay, in upstream order: passed through, masked, or an error in place
   * of a refused result. Null when the framer has no complete frame or masking has not answered.
   * `head` is the sync point the upstream is answering now (the relay's oldest open one).
   */
  next(framer: MessageFramer, head: object | undefined): Frame | null {
    for (;;) {
      const slot = this.#queue[0];
      if (slot !== undefined) {
        if (slot instanceof Frame) {
          this.#queue.shift();
          if (slot.code === BackendMessageCode.ReadyForQuery) this.#queuedReady--;
          return slot;
        }
        if (slot.frames !== undefined) {
          if (slot.next < slot.frames.length) return slot.frames[slot.next++]!;
          this.#queue.shift();
          continue;
        }
        if (!this.#canPull()) return null;
      }
      const frame = framer.next();
      if (frame === null) return null;
      if (head !== this.#lastHead) this.#enter(head);
      const out = this.#process(frame, head);
      if (out === null) continue;
      if (this.#queue.length === 0) return out;
      this.#enqueue(out);
    }
  }

  /** The session ended: late answers from masking are ignored. */
  close(): void {
    this.#closed = true;
    for (const slot of this.#queue) if (!(slot instanceof Frame)) slot.dropped = true;
    this.#queue.length = 0;
    this.#batch = [];
  }

  // While a batch is out, more rows of the same result may be read and batched, up to maxInFlight.
  #canPull(): boolean {
    return (
      (this.#mode === Mode.Mask || this.#mode === Mode.CopyMask) &&
      this.#inFlight < this.#options.maxInFlight &&
      this.#queuedReady === 0
    );
  }

  #enqueue(slot: Frame | Held): void {
    if (slot instanceof Frame && slot.code === BackendMessageCode.ReadyForQuery) this.#queuedReady++;
    this.#queue.push(slot);
  }

  /** Decides about one upstream frame: returns it to pass on, or null when it was held or dropped. */
  #process(frame: Frame, head: object | undefined): Frame | null {
    const code = frame.code;
    const answering = this.#tracker.observe(frame);
    if (this.#discarding) {
      switch (code) {
        case BackendMessageCode.ReadyForQuery:
          this.#discarding = false;
          this.#endResult();
          return frame;
        case BackendMessageCode.CommandComplete:
          this.#countDropped(head, frame);
          return null;
        // Asynchronous messages are not part of the refused result.
        case BackendMessageCode.ParameterStatus:
          return frame;
        case BackendMessageCode.NoticeResponse:
        case BackendMessageCode.NotificationResponse:
          return this.#maskText(frame, head, true);
        default:
          return null;
      }
    }
    switch (code) {
      case BackendMessageCode.DataRow:
        return this.#row(frame, head, answering);
      case BackendMessageCode.RowDescription:
        this.#flush();
        this.#endResult();
        // Only a Query's RowDescription is followed by its rows. One answering a Describe is
        // metadata (an Execute's rows have its portal's shape); one answering nothing known is
        // passed, and rows after it are refused.
        return answering === Answering.Query ? this.#rowDescription(frame, head) : frame;
      case BackendMessageCode.CopyOutResponse:
        return this.#copyOut(frame, head);
      case BackendMessageCode.CopyData:
        if (this.#mode === Mode.CopyMask) {
          this.#hold(frame);
          return null;
        }
        if (this.#mode === Mode.Pass || this.#profileFor(head) === undefined) return frame;
        return this.#refuse(
          new MaskingRefusal(MaskingRefusalCode.NoDescription, 'COPY data arrived without a CopyOutResponse'),
          head,
        );
      case BackendMessageCode.CopyDone:
        this.#flush();
        return frame;
      case BackendMessageCode.ErrorResponse:
        this.#flush();
        this.#endResult();
        return answering === Answering.Marker ? frame : this.#maskText(frame, head, false);
      case BackendMessageCode.NoticeResponse:
      case BackendMessageCode.NotificationResponse:
        // Rows read before it are sent to masking first, so they stay before it.
        this.#flush();
        return this.#maskText(frame, head, true);
      case BackendMessageCode.CommandComplete:
      case BackendMessageCode.EmptyQueryResponse:
      case BackendMessageCode.PortalSuspended:
      case BackendMessageCode.ReadyForQuery:
      case BackendMessageCode.ParseComplete:
      case BackendMessageCode.BindComplete:
      case BackendMessageCode.CloseComplete:
      case BackendMessageCode.NoData:
      case BackendMessageCode.ParameterDescription:
        // Every other response ends the result: no row after it inherits its plan. A portal
        // suspended and executed again starts over from the portal's shape.
        this.#flush();
        this.#endResult();
        return frame;
      default:
        return frame;
    }
  }

  /** A DataRow: part of the current result, the first row of an Execute, or refused. */
  #row(frame: Frame, head: object | undefined, answering: Answering): Frame | null {
    const mode = this.#mode;
    if (mode === Mode.Mask || mode === Mode.Pass) {
      const cells = this.#columns < 0 ? -1 : frame.buffer.readInt16BE(frame.start + CELL_COUNT_OFFSET);
      if (cells !== this.#columns) {
        return this.#refuse(
          new MaskingRefusal(
            MaskingRefusalCode.NoDescription,
            `a row has ${cells} cells where its description has ${this.#columns} columns`,
          ),
          head,
        );
      }
      if (mode === Mode.Pass) return frame;
      this.#hold(frame);
      return null;
    }
    const profile = this.#profileFor(head);
    if (mode === Mode.Idle && profile === undefined) return frame;
    if (mode === Mode.Idle && answering === Answering.Execute) {
      const shape = this.#tracker.executing();
      if (shape !== undefined) return this.#executeRows(frame, head, profile!, shape);
    }
    return this.#refuse(
      new MaskingRefusal(
        MaskingRefusalCode.NoDescription,
        'rows arrived without a RowDescription to plan their masking from (Describe the portal or its statement before Execute)',
      ),
      head,
    );
  }

  /** The upstream answers a new sync point; its statements' profile becomes the session's. */
  #enter(head: object | undefined): void {
    this.#lastHead = head;
    const profile = head === undefined ? undefined : this.#points.get(head)?.profile;
    if (profile !== undefined) this.#sticky = profile;
  }

  /** The profile that masks results of `head`: its statements' own, else the session's last. */
  #profileFor(head: object | undefined): string | undefined {
    if (head !== this.#lastHead) this.#enter(head);
    return this.#sticky;
  }

  #rowDescription(frame: Frame, head: object | undefined): Frame | null {
    const profile = this.#profileFor(head);
    if (profile === undefined) {
      this.#mode = Mode.Pass;
      return frame;
    }
    const payload = frame.payload();
    const shape = { fields: decodeRowDescription(payload), key: payload.toString('latin1') };
    return this.#rows(head, profile, shape, () => frame);
  }

  /** The first row of an Execute: its portal's shape is planned (usually cached), then the row goes on. */
  #executeRows(frame: Frame, head: object | undefined, profile: string, shape: RowShape): Frame | null {
    return this.#rows(head, profile, shape, () => this.#row(frame, head, Answering.Execute));
  }

  /** Starts a result of `shape` with its plan; `release` then decides about the frame that triggered it. */
  #rows(
    head: object | undefined,
    profile: string,
    shape: RowShape,
    release: () => Frame | null,
  ): Frame | null {
    // RowDescription bytes identify the result's shape; equal bytes, equal plan.
    const key = `r\u0000${profile}\u0000${this.#options.target}\u0000${shape.key}`;
    const { fields } = shape;
    const start = (plan: ResultPlan): MaskingRefusal | undefined =>
      this.#start(plan, profile, head, {
        fields,
        ...maskedColumnsOf(plan),
        copy: undefined,
      });
    return this.#withPlan(
      head,
      this.#options.backend.cachedPlan(key),
      start,
      () => this.#options.backend.planResult(key, profile, this.#options.target, fields),
      release,
    );
  }

  #copyOut(frame: Frame, head: object | undefined): Frame | null {
    this.#flush();
    this.#endResult();
    const profile = this.#profileFor(head);
    if (profile === undefined) {
      this.#mode = Mode.Pass;
      return frame;
    }
    const response = decodeCopyResponse(frame.payload());
    const entry = head === undefined ? undefined : this.#points.get(head);
    if (entry === undefined || entry.texts.length === 0) {
      return this.#refuse(
        new MaskingRefusal(
          MaskingRefusalCode.NoDescription,
          'COPY output of a statement prepared earlier cannot be masked',
        ),
        head,
      );
    }
    const copy: CopySpec = {
      statement: entry.texts.join(';\n'),
      index: entry.copies++,
      format: response.format === 1 ? 'binary' : 'text',
      columnCount: response.columnFormats.length,
    };
    const key = `c\u0000${profile}\u0000${this.#options.target}\u0000${copy.index}\u0000${copy.format}\u0000${copy.columnCount}\u0000${copy.statement}`;
    const start = (plan: ResultPlan): MaskingRefusal | undefined =>
      this.#start(plan, profile, head, {
        fields: undefined,
        columns: [],
        cellColumns: [],
        edgeColumns: [],
        copy,
      });
    return this.#withPlan(
      head,
      this.#options.backend.cachedPlan(key),
      start,
      () => this.#options.backend.planCopy(key, profile, this.#options.target, copy),
      () => frame,
    );
  }

  /**
   * Starts the result with a cached plan, or holds the triggering frame until masking sent one;
   * then `release` decides about that frame under the plan.
   */
  #withPlan(
    head: object | undefined,
    cached: ResultPlan | undefined,
    start: (plan: ResultPlan) => MaskingRefusal | undefined,
    request: () => Promise<ResultPlan>,
    release: () => Frame | null,
  ): Frame | null {
    if (cached !== undefined) {
      const refusal = start(cached);
      return refusal === undefined ? release() : this.#refuse(refusal, head);
    }
    // Nothing is read past this slot until the plan is here (#canPull is false while Idle).
    const held: Held = { frames: undefined, next: 0, dropped: false, keep: false, point: head };
    this.#enqueue(held);
    request().then(
      (plan) => {
        if (held.dropped || this.#closed) return;
        const refusal = start(plan);
        if (refusal !== undefined) return this.#failed(held, refusal);
        held.frames = [];
        const out = release();
        if (out !== null) held.frames.push(out);
        this.#ready();
      },
      (error: unknown) => this.#failed(held, error),
    );
    return null;
  }

  /** Starts masking (or passing) a result with its plan; a plan that refuses is returned. */
  #start(
    plan: ResultPlan,
    profile: string,
    head: object | undefined,
    shape: Pick<ActiveResult, 'fields' | 'columns' | 'cellColumns' | 'edgeColumns' | 'copy'>,
  ): MaskingRefusal | undefined {
    if (plan.refusal !== undefined) return new MaskingRefusal(MaskingRefusalCode.Unmaskable, plan.refusal);
    this.#columns = shape.fields?.length ?? -1;
    if (plan.maskedColumns.length === 0) {
      this.#mode = Mode.Pass;
      return undefined;
    }
    const columns = shape.fields?.length ?? shape.copy?.columnCount ?? 0;
    if (
      plan.maskedColumns.some(
        (column, i) => column >= columns || (i > 0 && column <= plan.maskedColumns[i - 1]!),
      ) ||
      plan.edgeColumns.some(({ index }) => !plan.maskedColumns.includes(index))
    ) {
      return new MaskingRefusal(MaskingRefusalCode.ServiceError, 'masking sent a plan for other columns');
    }
    this.#active = { point: head, profile, tally: this.#tallyOf(head, profile), ...shape, copyOffset: 0 };
    this.#mode = shape.copy === undefined ? Mode.Mask : Mode.CopyMask;
    return undefined;
  }

  #endResult(): void {
    this.#mode = Mode.Idle;
    this.#active = undefined;
    this.#columns = -1;
  }

  #entry(point: object): PointMasking {
    let entry = this.#points.get(point);
    if (entry === undefined) {
      entry = { profile: undefined, texts: [], copies: 0, tally: undefined, dropped: undefined };
      this.#points.set(point, entry);
    }
    return entry;
  }

  /** The masked counts of `point` (a fresh tally when it has no sync point to report them in). */
  #tallyOf(point: object | undefined, profile: string): MaskedTally {
    if (point === undefined) return new MaskedTally(profile);
    const entry = this.#entry(point);
    return (entry.tally ??= new MaskedTally(profile));
  }

  /** A CommandComplete dropped after a refusal still counts in its sync point's evidence. */
  #countDropped(point: object | undefined, frame: Frame): void {
    if (point === undefined) return;
    const complete = decodeCommandComplete(frame.payload());
    const entry = this.#entry(point);
    const dropped = (entry.dropped ??= { rows: 0, commands: [] });
    dropped.rows += complete.rows ?? 0;
    dropped.commands.push(complete.command);
  }

  #hold(frame: Frame): void {
    this.#batch.push(frame);
    this.#batchBytes += frame.length;
    if (this.#batch.length >= this.#options.batchRows || this.#batchBytes >= this.#options.batchBytes)
      this.#flush();
  }

  /** Sends the batch being filled to masking; its frames come back in its queue slot. */
  #flush(): void {
    const active = this.#active;
    const frames = this.#batch;
    if (frames.length === 0 || active === undefined) return;
    this.#batch = [];
    this.#batchBytes = 0;
    // A malformed DataRow throws here: the relay ends the session, as for any bad upstream frame.
    const sent = active.copy === undefined ? this.#maskRows(active, frames) : this.#maskCopy(active, frames);
    const held: Held = { frames: undefined, next: 0, dropped: false, keep: false, point: active.point };
    this.#enqueue(held);
    this.#inFlight++;
    sent.then(
      ({ frames: masked, counts }) => {
        this.#inFlight--;
        if (held.dropped) return;
        active.tally.add(counts);
        held.frames = masked;
        this.#ready();
      },
      (error: unknown) => {
        this.#inFlight--;
        this.#failed(held, error);
      },
    );
  }

  /**
   * An ErrorResponse, NoticeResponse or NotificationResponse whose text goes through masking
   * (see the class comment for when); held in its place in the output until masking answered.
   */
  #maskText(frame: Frame, head: object | undefined, asynchronous: boolean): Frame | null {
    const profile = this.#profileFor(head) ?? this.#sessionProfile;
    if (profile === undefined) return frame;
    const text = messageText(frame);
    if (text === undefined) return frame;
    const held: Held = { frames: undefined, next: 0, dropped: false, keep: asynchronous, point: head };
    this.#enqueue(held);
    this.#inFlight++;
    const settle = (out: Frame): void => {
      held.frames = [out];
      this.#ready();
    };
    this.#options.backend.maskLines(profile, this.#options.target, text.lines).then(
      ({ lines, counts }) => {
        this.#inFlight--;
        if (held.dropped || this.#closed) return;
        if (head !== undefined) this.#tallyOf(head, profile).add(counts);
        settle(lines.every((line, i) => line === text.lines[i]) ? frame : messageFrame(text.rebuild(lines)));
      },
      (error: unknown) => {
        this.#inFlight--;
        if (held.dropped || this.#closed) return;
        this.#options.logger.warn(
          { err: errorSummary(error), target: this.#options.target },
          'message text withheld: masking could not check it',
        );
        settle(messageFrame(text.withhold(reasonOf(error))));
      },
    );
    return null;
  }

  #maskRows(
    active: ActiveResult,
    frames: Frame[],
  ): Promise<{ frames: Frame[]; counts: readonly MaskCount[] }> {
    const fields = active.fields!;
    const { columns, cellColumns, edgeColumns } = active;
    // Only the cells masking needs leave the edge, as byte ranges; the reply is pasted back the
    // same way, and the columns with a byte form are masked while pasting.
    const cut = cutCells(frames, columns, fields.length);
    const paste = (cells: Buffer, counts: readonly MaskCount[]) => {
      const maskedHere = new Int32Array(columns.length);
      const masked = pasteCells(frames, cut, columns, cells, maskedHere);
      return { frames: masked, counts: [...counts, ...edgeCounts(columns, edgeColumns, maskedHere)] };
    };
    // Even when every masked column is masked here, the batch goes to masking (with no cells):
    // masking down or too slow fails the statement, whatever its columns.
    return this.#options.backend
      .maskCells(active.profile, this.#options.target, fields, cellColumns, frames.length, cut.cells)
      .then(
        (reply) => paste(reply.cells, reply.counts),
        (error: unknown) => {
          releaseCells(cut);
          throw error;
        },
      );
  }

  #maskCopy(
    active: ActiveResult,
    frames: Frame[],
  ): Promise<{ frames: Frame[]; counts: readonly MaskCount[] }> {
    const lines = frames.map((frame) => frame.payload().toString('utf8'));
    const offset = active.copyOffset;
    active.copyOffset += lines.length;
    return this.#options.backend
      .maskCopy(active.profile, this.#options.target, active.copy!, offset, lines)
      .then((reply) => ({
        frames: reply.lines.map((line, i) => {
          if (line === lines[i]) return frames[i]!;
          const message = encodeCopyData(Buffer.from(line, 'utf8'));
          return new Frame(BackendMessageCode.CopyData, message, 0, message.length);
        }),
        counts: reply.counts,
      }));
  }

  /** A held slot failed: the result is refused from there on. */
  #failed(held: Held, error: unknown): void {
    if (held.dropped || this.#closed) return;
    const at = this.#queue.indexOf(held);
    this.#refuse(error, held.point, at < 0 ? this.#queue.length : at);
    this.#ready();
  }

  /**
   * Replaces the result from queue position `at` (default: the end) with an ErrorResponse and drops
   * every response of sync point `point` after it, up to its ReadyForQuery. Returns null (for #process).
   */
  #refuse(error: unknown, point: object | undefined, at = this.#queue.length): null {
    const diagnostic = maskingDiagnostic(error);
    this.#options.logger.warn(
      { err: errorSummary(error), target: this.#options.target },
      'result refused: masking could not mask it',
    );
    const refusal = messageFrame(encodeErrorResponse(diagnostic));
    let end = at;
    while (end < this.#queue.length) {
      const slot = this.#queue[end]!;
      if (slot instanceof Frame && slot.code === BackendMessageCode.ReadyForQuery) break;
      end++;
    }
    const reachedReady = end < this.#queue.length;
    const removed = this.#queue.splice(at, end - at, refusal);
    const kept: (Frame | Held)[] = [];
    for (const slot of removed) {
      if (slot instanceof Frame) {
        // Asynchronous messages are not part of the refused result: they still reach the client.
        if (isAsynchronous(slot.code)) kept.push(slot);
        else if (slot.code === BackendMessageCode.CommandComplete) this.#countDropped(point, slot);
      } else if (slot.keep) {
        kept.push(slot);
      } else {
        slot.dropped = true;
      }
    }
    this.#queue.splice(at + 1, 0, ...kept);
    if (!reachedReady) {
      // The sync point's ReadyForQuery has not been read yet: drop its responses as they arrive.
      this.#discarding = true;
      this.#batch = [];
      this.#batchBytes = 0;
      this.#endResult();
    }
    return null;
  }

  #ready(): void {
    if (!this.#closed) this.#options.onReady();
  }
}

/** How a plan's masked columns come back: those with a byte form are masked here, the others sent. */
function maskedColumnsOf(plan: ResultPlan): Pick<ActiveResult, 'columns' | 'cellColumns' | 'edgeColumns'> {
  const here = new Map(plan.edgeColumns.map((column) => [column.index, column.masker]));
  return {
    columns: plan.maskedColumns.map((index) => ({ index, masker: here.get(index) })),
    cellColumns: plan.maskedColumns.filter((index) => !here.has(index)),
    edgeColumns: plan.edgeColumns,
  };
}

/** The counts of the values masked here, as masking reports counts. */
function edgeCounts(
  columns: readonly MaskedColumn[],
  edgeColumns: readonly EdgeColumn[],
  maskedHere: Int32Array,
): MaskCount[] {
  const byIndex = new Map(edgeColumns.map((column) => [column.index, column]));
  const counts: MaskCount[] = [];
  for (let k = 0; k < columns.length; k++) {
    const column = columns[k]!.masker === undefined ? undefined : byIndex.get(columns[k]!.index);
    if (column !== undefined && maskedHere[k]! > 0)
      counts.push({ entity: column.entity, column: column.name, index: column.index, count: maskedHere[k]! });
  }
  return counts;
}

/** Messages the server may send at any time (https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-ASYNC). */
function isAsynchronous(code: number): boolean {
  return (
    code === BackendMessageCode.ParameterStatus ||
    code === BackendMessageCode.NoticeResponse ||
    code === BackendMessageCode.NotificationResponse
  );
}

function messageFrame(message: Buffer): Frame {
  return new Frame(message[0]!, message, 0, message.length);
}

/** Why masking failed, in words safe to show and log (never a value). */
function reasonOf(error: unknown): string {
  return error instanceof MaskingRefusal || error instanceof DependencyUnavailableError
    ? error.message
    : 'masking failed';
}

function errorSummary(error: unknown): unknown {
  return error instanceof Error ? { name: error.name, message: error.message } : error;
}
