import { randomBytes, randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { EvidenceRecord } from '@gatehouse/contracts';
import { DecisionCache, decisionDetails } from '@gatehouse/edge-gate';
import { PolicyDeniedError, ProtocolViolationError } from '@gatehouse/errors';
import type { SessionEvidence } from '@gatehouse/evidence';
import type { Logger } from '@gatehouse/logging';
import {
  BackendMessageCode,
  FrontendMessageCode,
  MessageFramer,
  MessageSource,
  Severity,
  decodeCommandComplete,
  decodeDiagnostic,
  decodeParse,
  decodeQuery,
  encodeErrorResponse,
  encodeNoticeResponse,
  encodeParse,
  encodeQuery,
  encodeTerminate,
  errorResponseFor,
  type Frame,
} from '@gatehouse/pg-wire';
import type { ServiceMetrics } from '@gatehouse/service-host';
import { StatementGate, type GateDecision, type GateSession } from '../gate/statement-gate.ts';
import type { MaskingClient } from '../masking/masking-client.ts';
import type { ResultMasker } from '../masking/result-masker.ts';
import { PreparedStatements } from './prepared-statements.ts';
import { openSyncPoint, type SyncPoint } from './sync-point.ts';

/** What a relay needs besides its two sockets. */
export interface RelayContext {
  gate: StatementGate;
  session: GateSession;
  evidence: SessionEvidence;
  logger: Logger;
  metrics: ServiceMetrics;
  maxMessageBytes: number;
  idleSessionTimeoutMs: number;
  masking: MaskingClient;
}

type StatementMode = 'simple' | 'extended';

/** A Query or Parse waiting for its decision and acknowledged evidence, in client order. */
interface StatementEntry {
  readonly kind: 'statement';
  readonly mode: StatementMode;
  /** The client's message, forwarded unchanged when admitted. */
  readonly message: Buffer;
  state: 'pending' | 'forward' | 'refuse';
  statementId: string | undefined;
  refusal: unknown;
  /** Statement text and the admitting decision's masking profile, for the result masker. */
  readonly text: string;
  maskingProfile: string | undefined;
  /** Prepared statement name of a Parse ('' for unnamed and for a Query). */
  readonly name: string;
  /** DEALLOCATE or DISCARD: prepared statements the session tracks may be dropped. */
  deallocates: boolean;
}

/** Any other message queued behind a pending statement (order is the protocol). */
interface FrameEntry {
  readonly kind: 'frame';
  readonly code: number;
  readonly message: Buffer;
}

type QueueEntry = StatementEntry | FrameEntry;

/** A statement's evidence step, run once its decision is known and every earlier one has run. */
interface EvidenceTurn {
  ready: (() => void) | undefined;
}

/** Statements of one session whose decision or evidence ack is outstanding; more pause reading. */
const MAX_ADMISSIONS_IN_FLIGHT = 128;
/** Bytes of client messages queued behind pending statements; more pause reading. */
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;
/** Refusal markers remembered for rewriting (a marker the upstream discarded never comes back). */
const MAX_MARKERS = 64;
const MARKER_PREFIX = 'GATEHOUSE_REFUSED_';
/** Most results one `result` record lists. */
const MAX_RESULTS_PER_RECORD = 256;
/** Longest a result waits for company before its record is written. */
const RESULT_BATCH_MS = 10;
/** After a fatal error the client gets this long to read it before the socket is destroyed. */
const FATAL_GRACE_MS = 5000;

/**
 * The authenticated phase of a client session. Frontend messages are framed synchronously; only
 * Query and Parse wait for a decision and acknowledged evidence, and they do so concurrently:
 * every statement of a pipeline has its decision and evidence ack in flight at once, while the
 * messages go upstream strictly in client order (each after its own ack and everything before
 * it). Everything else is forwarded as byte slices.
 *
 * A refused statement is replaced upstream by a marker that fails to parse, so the upstream's own
 * error handling (discard until Sync, failed transaction) stays exactly PostgreSQL's, and the
 * marker's error is rewritten into the refusal on the way back. After an extended-protocol
 * refusal the edge discards until Sync as PostgreSQL does
 * (https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY).
 */
export class RelaySession {
  readonly #upstreamFramer: MessageFramer;
  /** Upstream frames pass through it: results that need masking come back masked, in order. */
  readonly #masking: ResultMasker;
  readonly #scope: string;
  /** Messages waiting behind a pending statement, oldest first. */
  readonly #queue: QueueEntry[] = [];
  #queuedBytes = 0;
  #admissions = 0;
  /** Sync points forwarded and not yet answered by a ReadyForQuery, oldest first. */
  readonly #syncPoints: SyncPoint[] = [];
  /** Sync points answered in the chunk being relayed; their result evidence follows the write. */
  readonly #completed: SyncPoint[] = [];
  /** Results not yet written as evidence (see flushResults). */
  readonly #results: Record<string, unknown>[] = [];
  #resultTimer: NodeJS.Timeout | undefined;
  /** The extended-protocol batch being forwarded (messages since the last Sync). */
  #openBatch: SyncPoint | undefined;
  /** After a refused Parse: drop messages until Sync, as PostgreSQL does after an error. */
  #discarding = false;
  readonly #prepared = new PreparedStatements();
  readonly #evidenceTurns: EvidenceTurn[] = [];
  readonly #markers = new Map<string, { errorResponse: Buffer; code: string }>();
  #transactionStatus = 'I';
  #clientPaused = false;
  #draining = false;
  #clientEnded = false;
  #upstreamEnded = false;
  /** The upstream sent its last byte (frames may still be with the masker). */
  #upstreamDone = false;
  #closed = false;
  #pendingResults = 0;
  #resultsSettled: (() => void) | undefined;
  #run: { buffer: Buffer; start: number; end: number } | undefined;
  #idleTimer: NodeJS.Timeout | undefined;
  #reason = 'client closed';
  #finished!: () => void;

  constructor(
    private readonly client: Socket,
    private readonly upstream: Socket,
    private readonly clientFramer: MessageFramer,
    private readonly context: RelayContext,
  ) {
    this.#upstreamFramer = new MessageFramer({
      source: MessageSource.Backend,
      maxMessageSize: 1024 * 1024 * 1024,
    });
    this.#scope = DecisionCache.scope(context.session.actor.groups, context.session.target.name);
    this.#masking = context.masking.openSession(context.session.target.name, context.logger, () =>
      this.drainUpstream(),
    );
  }

  /** Relays until either side closes; resolves after the session's evidence is acknowledged. */
  async run(): Promise<string> {
    const done = new Promise<void>((resolve) => (this.#finished = resolve));
    this.client.on('data', (chunk: Buffer) => this.onClientData(chunk));
    // Half-close: the client sent everything it will send; finish it, then end the upstream.
    this.client.on('end', () => {
      this.#clientEnded = true;
      this.drainClientFrames();
    });
    this.client.on('close', () => this.close('client closed'));
    this.client.on('error', () => this.close('client connection error'));
    this.client.on('drain', () => this.upstream.resume());
    this.upstream.on('data', (chunk: Buffer) => this.onUpstreamData(chunk));
    this.upstream.on('end', () => this.onUpstreamEnd());
    this.upstream.on('close', () => this.onUpstreamEnd());
    this.upstream.on('error', () => this.close('upstream connection error'));
    this.upstream.on('drain', () => this.drainClientFrames());
    if (this.context.idleSessionTimeoutMs > 0) {
      this.#idleTimer = setTimeout(() => this.onIdle(), this.context.idleSessionTimeoutMs);
    }
    // Startup paused both sockets so nothing was lost before these listeners existed.
    this.client.resume();
    this.upstream.resume();
    // Frames that arrived together with the password message.
    this.drainClientFrames();
    await done;
    await this.settleEvidence();
    return this.#reason;
  }

  private onClientData(chunk: Buffer): void {
    if (this.#closed) return; // a client still sending after the end is read and dropped
    this.#idleTimer?.refresh();
    try {
      this.clientFramer.push(chunk);
      this.drainClientFrames();
    } catch (error) {
      this.fatal(error);
    }
  }

  private inputBlocked(): boolean {
    return (
      this.#admissions >= MAX_ADMISSIONS_IN_FLIGHT ||
      this.#queuedBytes >= MAX_QUEUED_BYTES ||
      this.upstream.writableNeedDrain
    );
  }

  private drainClientFrames(): void {
    // Re-entered from a callback that completed synchronously: the running loop carries on.
    if (this.#closed || this.#draining) return;
    this.#draining = true;
    let exhausted = false;
    this.upstream.cork();
    try {
      while (!this.#closed && !this.inputBlocked()) {
        const frame = this.clientFramer.next();
        if (frame === null) {
          exhausted = true;
          break;
        }
        this.onClientFrame(frame);
      }
    } catch (error) {
      this.fatal(error);
    } finally {
      this.upstream.uncork();
      this.#draining = false;
    }
    if (this.#closed) return;
    const blocked = this.inputBlocked();
    if (blocked !== this.#clientPaused) {
      this.#clientPaused = blocked;
      if (blocked) this.client.pause();
      else this.client.resume();
    }
    if (exhausted) this.maybeEndUpstream();
  }

  private onClientFrame(frame: Frame): void {
    switch (frame.code) {
      case FrontendMessageCode.Query:
        this.admit('simple', frame.message(), decodeQuery(frame.payload()).sql, undefined);
        return;
      case FrontendMessageCode.Parse: {
        const parse = decodeParse(frame.payload());
        this.admit('extended', frame.message(), parse.query, parse.parameterTypes, parse.statement);
        return;
      }
      case FrontendMessageCode.Sync:
      case FrontendMessageCode.Bind:
      case FrontendMessageCode.Execute:
      case FrontendMessageCode.Describe:
      case FrontendMessageCode.Close:
      case FrontendMessageCode.Flush:
      case FrontendMessageCode.CopyData:
      case FrontendMessageCode.CopyDone:
      case FrontendMessageCode.CopyFail:
      case FrontendMessageCode.Terminate:
        if (this.#queue.length === 0) this.forwardFrame(frame.code, frame.message());
        else this.enqueue({ kind: 'frame', code: frame.code, message: frame.message() });
        return;
      case FrontendMessageCode.FunctionCall: {
        // The fast-path function call interface bypasses SQL, so no policy can judge it.
        const entry: StatementEntry = {
          kind: 'statement',
          mode: 'simple',
          message: frame.message(),
          state: 'refuse',
          statementId: undefined,
          refusal: new PolicyDeniedError('FunctionCall messages are not allowed through Gatehouse'),
          text: '',
          maskingProfile: undefined,
          name: '',
          deallocates: false,
        };
        if (this.#queue.length === 0) this.forwardStatement(entry);
        else this.enqueue(entry);
        return;
      }
      default:
        throw new ProtocolViolationError(
          `invalid frontend message type ${JSON.stringify(String.fromCharCode(frame.code))}`,
        );
    }
  }

  private enqueue(entry: QueueEntry): void {
    this.#queue.push(entry);
    this.#queuedBytes += entry.message.length;
  }

  /** Starts deciding one statement; it goes upstream (or is refused) in client order. */
  private admit(
    mode: StatementMode,
    message: Buffer,
    text: string,
    parameterTypes: readonly number[] | undefined,
    name = '',
  ): void {
    const entry: StatementEntry = {
      kind: 'statement',
      mode,
      message,
      state: 'pending',
      statementId: undefined,
      refusal: undefined,
      text,
      maskingProfile: undefined,
      name,
      deallocates: false,
    };
    this.enqueue(entry);
    this.#admissions++;
    const started = performance.now();
    const { metrics, logger, gate, session } = this.context;
    const finish = (outcome: string): void => {
      this.#admissions--;
      metrics.observe('statement', outcome, (performance.now() - started) / 1000);
      this.pump();
      this.drainClientFrames();
    };
    const fail = (error: unknown): void => {
      // Fail closed: authz, approval or JetStream could not answer, so the statement does not run.
      logger.warn({ err: error }, 'statement refused: a dependency could not answer');
      entry.state = 'refuse';
      entry.refusal = error;
      finish('unavailable');
    };
    // Decisions are asked for concurrently, but evidence records are written in client order
    // (the session's chain reads like the statements were sent), each as soon as the statements
    // before it have theirs; their acknowledgements are then in flight together.
    const turn: EvidenceTurn = { ready: undefined };
    this.#evidenceTurns.push(turn);
    const cached = gate.cachedDecision(this.#scope, text);
    if (cached) {
      turn.ready = () =>
        this.decided(entry, { decision: cached, cached: true }, parameterTypes, finish, fail);
      this.takeEvidenceTurns();
      return;
    }
    gate.decide(session, text, this.#scope).then(
      (decided) => {
        turn.ready = () => this.decided(entry, decided, parameterTypes, finish, fail);
        this.takeEvidenceTurns();
      },
      (error: unknown) => {
        turn.ready = () => fail(error);
        this.takeEvidenceTurns();
      },
    );
  }

  /** Runs the evidence step of every statement whose turn has come, in client order. */
  private takeEvidenceTurns(): void {
    let turn: EvidenceTurn | undefined;
    while ((turn = this.#evidenceTurns[0]) !== undefined && turn.ready !== undefined) {
      this.#evidenceTurns.shift();
      try {
        turn.ready();
      } catch (error) {
        // Runs from authz replies and acks: a failure ends this session, never the process.
        this.fatal(error);
        return;
      }
    }
  }

  /**
   * Records the evidence of a decided statement (acknowledged before anything runs) and marks it
   * for forwarding or refusal; a review is held for approval first.
   */
  private decided(
    entry: StatementEntry,
    { decision, cached }: GateDecision,
    parameterTypes: readonly number[] | undefined,
    finish: (outcome: string) => void,
    fail: (error: unknown) => void,
  ): void {
    const { gate, evidence } = this.context;
    const facts = decision.classification;
    this.flushResults();
    entry.maskingProfile = decision.maskingProfile;
    entry.deallocates = facts.kinds.includes('deallocate') || facts.kinds.includes('discard');
    const records: EvidenceRecord[] = [evidence.next('decision', decisionDetails(decision, cached))];
    if (decision.effect === 'deny') {
      gate.recordThen(records, (error) => {
        if (error) return fail(error);
        entry.state = 'refuse';
        entry.refusal = StatementGate.denial(decision);
        finish('denied');
      });
      return;
    }
    if (decision.effect === 'review') {
      this.review(entry, decision, records, parameterTypes).then(finish, fail);
      return;
    }
    const statement = this.statementRecord(entry.mode, decision, parameterTypes);
    records.push(statement);
    gate.recordThen(records, (error) => {
      if (error) return fail(error);
      entry.state = 'forward';
      entry.statementId = statement.id;
      finish('allowed');
    });
  }

  private statementRecord(
    mode: StatementMode,
    { classification: facts }: GateDecision['decision'],
    parameterTypes: readonly number[] | undefined,
  ): EvidenceRecord {
    return this.context.evidence.next('statement', {
      protocol: mode,
      normalized: facts.normalized,
      fingerprint: facts.fingerprint,
      kinds: facts.kinds,
      statementCount: facts.statementCount,
      relationsRead: facts.relationsRead,
      relationsWritten: facts.relationsWritten,
      ...(parameterTypes ? { parameterCount: parameterTypes.length, parameterTypes } : {}),
    });
  }

  /** Holds a statement until approvers decide (or the hold times out); returns the outcome label. */
  private async review(
    entry: StatementEntry,
    decision: GateDecision['decision'],
    records: EvidenceRecord[],
    parameterTypes: readonly number[] | undefined,
  ): Promise<string> {
    const { gate, session, evidence } = this.context;
    const facts = decision.classification;
    const requestId = randomUUID();
    records.push(
      evidence.next('approval_requested', {
        requestId,
        rule: decision.rule,
        approverGroups: decision.approval?.groups ?? [],
        quorum: decision.approval?.quorum ?? 0,
        fingerprint: facts.fingerprint,
      }),
    );
    await gate.record(records);
    this.notice(
      `Gatehouse: this statement needs approval by ${decision.approval?.groups.join(', ') ?? 'approvers'} ` +
        `(request ${requestId}); holding it for up to ${decision.approval?.holdTimeoutSeconds ?? 0} s`,
    );
    const { outcome, approvers } = await gate.awaitApproval(session, decision, requestId);
    const decided = evidence.next('approval_decided', { requestId, outcome, approvers });
    if (outcome !== 'approved') {
      await gate.record([decided]);
      entry.state = 'refuse';
      entry.refusal = new PolicyDeniedError(`approval request ${requestId} was ${outcome}`, decision.rule);
      return 'denied';
    }
    const statement = this.statementRecord(entry.mode, decision, parameterTypes);
    await gate.record([decided, statement]);
    entry.state = 'forward';
    entry.statementId = statement.id;
    return 'approved';
  }

  /** Forwards every queued message whose turn has come. */
  private pump(): void {
    if (this.#closed) return;
    this.upstream.cork();
    try {
      while (this.#queue.length > 0) {
        const head = this.#queue[0]!;
        if (head.kind === 'statement' && head.state === 'pending') break;
        this.#queue.shift();
        this.#queuedBytes -= head.message.length;
        if (head.kind === 'statement') this.forwardStatement(head);
        else this.forwardFrame(head.code, head.message);
        if (this.#closed) return;
      }
    } catch (error) {
      // Runs from evidence acknowledgements: a malformed message must end this session only.
      this.fatal(error);
    } finally {
      this.upstream.uncork();
    }
  }

  private forwardFrame(code: number, message: Buffer): void {
    if (code === FrontendMessageCode.Terminate) {
      this.#reason = 'client terminated';
      this.#clientEnded = true;
      this.upstream.end(message);
      return;
    }
    // After an error PostgreSQL ignores everything but Sync; so does the edge after a refusal.
    if (this.#discarding && code !== FrontendMessageCode.Sync) return;
    switch (code) {
      case FrontendMessageCode.Sync: {
        this.#discarding = false;
        const point = this.batch();
        point.closed = true;
        this.#openBatch = undefined;
        break;
      }
      case FrontendMessageCode.CopyData:
      case FrontendMessageCode.CopyDone:
      case FrontendMessageCode.CopyFail:
        break;
      case FrontendMessageCode.Bind:
        this.batch();
        this.#prepared.bound(message);
        break;
      case FrontendMessageCode.Execute: {
        // A portal of a statement admitted earlier (a prepared statement run again, the next page
        // of a cursor): its result is that statement's, and masked with that decision's profile.
        const point = this.batch();
        const statement = this.#prepared.executed(message);
        if (statement && !point.statementIds.includes(statement.statementId)) {
          point.statementIds.push(statement.statementId);
          this.#masking.admitted(point, statement.maskingProfile, statement.text);
        }
        break;
      }
      case FrontendMessageCode.Close:
        this.batch();
        this.#prepared.closed(message);
        break;
      default:
        this.batch();
    }
    this.upstream.write(this.#masking.forwarded(message));
  }

  private forwardStatement(entry: StatementEntry): void {
    if (this.#discarding) return;
    const point = entry.mode === 'simple' ? this.closeBatchForQuery() : this.batch();
    if (entry.state === 'forward') {
      if (entry.statementId) {
        point.statementIds.push(entry.statementId);
        if (entry.mode === 'extended') {
          this.#prepared.parsed(entry.name, {
            statementId: entry.statementId,
            maskingProfile: entry.maskingProfile,
            text: entry.text,
          });
        }
      }
      if (entry.mode === 'simple') this.#prepared.query();
      if (entry.deallocates) this.#prepared.deallocated(entry.text);
      this.#masking.admitted(point, entry.maskingProfile, entry.text);
      this.upstream.write(this.#masking.forwarded(entry.message));
      return;
    }
    // Refused: send a marker that fails to parse, so the upstream reports an error in the right
    // place of its response stream, and rewrite that error into the refusal on the way back.
    const nonce = randomBytes(8).toString('hex');
    const diagnostic = errorResponseFor(entry.refusal);
    this.#markers.set(nonce, { errorResponse: encodeErrorResponse(diagnostic), code: diagnostic.code });
    if (this.#markers.size > MAX_MARKERS) this.#markers.delete(this.#markers.keys().next().value!);
    const markerText = `${MARKER_PREFIX}${nonce}`;
    if (entry.mode === 'simple') {
      this.#prepared.query();
      this.upstream.write(this.#masking.forwarded(encodeQuery(markerText)));
    } else {
      this.#discarding = true;
      this.#prepared.refused('');
      this.upstream.write(
        this.#masking.forwarded(encodeParse({ statement: '', query: markerText, parameterTypes: [] })),
      );
    }
  }

  /** A Query ends any open extended batch: one ReadyForQuery answers both. */
  private closeBatchForQuery(): SyncPoint {
    const point = this.batch();
    point.closed = true;
    this.#openBatch = undefined;
    return point;
  }

  private batch(): SyncPoint {
    if (!this.#openBatch) {
      this.#openBatch = openSyncPoint();
      this.#syncPoints.push(this.#openBatch);
    }
    return this.#openBatch;
  }

  /** An asynchronous NoticeResponse; clients show it while a statement is held. */
  private notice(message: string): void {
    if (this.#closed) return;
    this.client.write(
      encodeNoticeResponse({
        severity: Severity.Notice,
        severityNonLocalized: Severity.Notice,
        code: '00000',
        message,
      }),
    );
  }

  private onUpstreamData(chunk: Buffer): void {
    try {
      this.#upstreamFramer.push(chunk);
    } catch (error) {
      this.fatal(error);
      return;
    }
    this.drainUpstream();
  }

  /**
   * Masking hook: upstream frames are pulled through the result masker (../masking/result-masker.ts),
   * which holds a result that needs masking while the masking service works on a batch and gives
   * it back masked, in order. Meanwhile the upstream is paused; the masker calls this again when
   * masking answered.
   */
  private drainUpstream(): void {
    if (this.#closed) return;
    try {
      this.client.cork();
      let frame: Frame | null;
      while ((frame = this.#masking.next(this.#upstreamFramer, this.#syncPoints[0])) !== null)
        this.onUpstreamFrame(frame);
      this.flushRun();
      // Uncorking writes the answers to the client now; their evidence is built after that.
      this.client.uncork();
      if (this.client.writableNeedDrain || this.#masking.waiting) this.upstream.pause();
      else this.upstream.resume();
    } catch (error) {
      this.fatal(error);
      return;
    } finally {
      this.publishResults();
    }
    // The upstream closed: end the client once everything it sent has left the masker.
    if (this.#upstreamDone && !this.#masking.holding) this.finishAfterUpstream();
  }

  private onUpstreamFrame(frame: Frame): void {
    const head = this.#syncPoints[0];
    switch (frame.code) {
      case BackendMessageCode.DataRow:
        if (head) head.bytes += frame.length;
        break;
      case BackendMessageCode.CommandComplete:
        if (head) {
          const complete = decodeCommandComplete(frame.payload());
          head.rows += complete.rows ?? 0;
          head.commands.push(complete.command);
        }
        break;
      case BackendMessageCode.ErrorResponse: {
        const diagnostic = decodeDiagnostic(frame.payload());
        const at = diagnostic.message.indexOf(MARKER_PREFIX);
        const marker =
          at < 0
            ? undefined
            : this.#markers.get(
                diagnostic.message.slice(at + MARKER_PREFIX.length, at + MARKER_PREFIX.length + 16),
              );
        if (marker) {
          this.#markers.delete(
            diagnostic.message.slice(at + MARKER_PREFIX.length, at + MARKER_PREFIX.length + 16),
          );
          if (head) head.sqlstate ??= marker.code;
          this.flushRun();
          this.client.write(marker.errorResponse);
          return;
        }
        if (head) head.sqlstate ??= diagnostic.code;
        break;
      }
      case BackendMessageCode.ReadyForQuery:
        this.#transactionStatus = String.fromCharCode(frame.buffer[frame.payloadStart] ?? 0x49);
        if (head && head.closed) {
          this.#syncPoints.shift();
          head.finishedAt = performance.now();
          this.#completed.push(head);
        }
        break;
      default:
        break;
    }
    this.appendToRun(frame);
  }

  // Consecutive frames of one chunk are written as one slice: no copy, one write.
  private appendToRun(frame: Frame): void {
    const run = this.#run;
    if (run && run.buffer === frame.buffer && run.end === frame.start) {
      run.end = frame.end;
      return;
    }
    this.flushRun();
    this.#run = { buffer: frame.buffer, start: frame.start, end: frame.end };
  }

  private flushRun(): void {
    const run = this.#run;
    if (!run) return;
    this.#run = undefined;
    this.client.write(run.buffer.subarray(run.start, run.end));
  }

  /** Result evidence of the sync points answered since the last call. */
  private publishResults(): void {
    if (this.#completed.length === 0) return;
    for (const point of this.#completed.splice(0)) this.completeSyncPoint(point);
  }

  private completeSyncPoint(point: SyncPoint): void {
    if (point.statementIds.length === 0) return;
    this.#results.push({
      statements: point.statementIds,
      rows: point.rows,
      bytes: point.bytes,
      durationMs: Math.round((point.finishedAt - point.startedAt) * 1000) / 1000,
      commands: point.commands,
      sqlstate: point.sqlstate ?? '00000',
      ...this.#masking.evidenceFor(point),
    });
    if (this.#results.length >= MAX_RESULTS_PER_RECORD) this.flushResults();
    else this.#resultTimer ??= setTimeout(() => this.flushResults(), RESULT_BATCH_MS);
  }

  /**
   * Writes the results gathered since the last call as one `result` record, one entry per
   * ReadyForQuery. A session running prepared statements back to back gets one record per batch of
   * executions rather than one per execution (each is still listed with its rows, bytes, duration
   * and SQLSTATE); a statement's own evidence first writes the results before it, so the session's
   * chain keeps the order of what happened.
   */
  private flushResults(): void {
    clearTimeout(this.#resultTimer);
    this.#resultTimer = undefined;
    if (this.#results.length === 0) return;
    const record = this.context.evidence.next('result', { results: this.#results.splice(0) });
    // Result evidence does not hold the client; the session waits for it at close.
    this.#pendingResults++;
    this.context.gate.recordSoon([record], (error) => {
      if (error) {
        this.context.logger.error({ err: error }, 'result evidence was not acknowledged');
        this.context.metrics.requests.inc({ operation: 'result_evidence', outcome: 'failed' });
      }
      if (--this.#pendingResults === 0) this.#resultsSettled?.();
    });
  }

  private async settleEvidence(): Promise<void> {
    this.flushResults();
    if (this.#pendingResults === 0) return;
    await new Promise<void>((resolve) => (this.#resultsSettled = resolve));
  }

  /** After the client's half-close, ends the upstream once every message has been forwarded. */
  private maybeEndUpstream(): void {
    if (!this.#clientEnded || this.#closed || this.#upstreamEnded) return;
    if (this.#queue.length > 0 || this.#admissions > 0) return;
    this.#upstreamEnded = true;
    if (!this.upstream.writableEnded) this.upstream.end();
  }

  private onUpstreamEnd(): void {
    if (this.#closed || this.#upstreamDone) return;
    this.#upstreamDone = true;
    this.drainUpstream();
  }

  private finishAfterUpstream(): void {
    if (this.#closed) return;
    this.flushRun();
    if (this.#reason === 'client closed' && !this.#clientEnded) this.#reason = 'upstream closed';
    if (!this.client.writableEnded) this.client.end();
    this.close(this.#reason);
  }

  /** idle_session_timeout semantics: only a session waiting for a query outside a transaction. */
  private onIdle(): void {
    const idle =
      this.#queue.length === 0 &&
      this.#admissions === 0 &&
      this.#syncPoints.length === 0 &&
      this.#transactionStatus === 'I';
    if (!idle) {
      this.#idleTimer?.refresh();
      return;
    }
    this.#reason = 'idle session timeout';
    this.client.end(
      encodeErrorResponse({
        severity: Severity.Fatal,
        severityNonLocalized: Severity.Fatal,
        code: '57P05',
        message: 'terminating connection due to idle-session timeout',
      }),
    );
    this.close(this.#reason);
  }

  private fatal(error: unknown): void {
    if (this.#closed) return;
    this.context.logger.warn({ err: error }, 'closing session after a protocol error');
    this.client.end(encodeErrorResponse(errorResponseFor(error, { severity: Severity.Fatal })));
    // Keep reading (and dropping) what the client still sends, so it sees the error rather than
    // a reset; a client that never stops is cut off after a grace period.
    this.client.resume();
    this.close('protocol error');
  }

  private close(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#reason = reason;
    clearTimeout(this.#idleTimer);
    this.#masking.close();
    if (!this.upstream.writableEnded) this.upstream.end(encodeTerminate());
    this.upstream.destroySoon?.();
    if (!this.client.writableEnded) this.client.end();
    // A client that never closes its side is cut off after a grace period.
    setTimeout(() => this.client.destroy(), FATAL_GRACE_MS).unref();
    this.#finished();
  }
}
