import { randomBytes, randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { EvidenceRecord } from '@gatehouse/contracts';
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
  decodeReadyForQuery,
  encodeErrorResponse,
  encodeNoticeResponse,
  encodeParse,
  encodeQuery,
  errorResponseFor,
  type Frame,
} from '@gatehouse/pg-wire';
import type { ServiceMetrics } from '@gatehouse/service-host';
import { StatementGate, type GateSession } from '../gate/statement-gate.ts';
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
}

type StatementMode = 'simple' | 'extended';

/**
 * The authenticated phase of a client session: frontend messages are framed synchronously and
 * forwarded as byte slices; only Query and Parse wait for a decision and acknowledged evidence.
 * A refused statement is replaced upstream by a marker that fails to parse, so the upstream's
 * own error handling (discard until Sync, failed transaction) stays exactly PostgreSQL's, and the
 * marker's error is rewritten into the refusal on the way back.
 */
export class RelaySession {
  readonly #upstreamFramer: MessageFramer;
  /** Sync points forwarded and not yet answered by a ReadyForQuery, oldest first. */
  readonly #syncPoints: SyncPoint[] = [];
  /** The extended-protocol batch being built (messages since the last Sync). */
  #openBatch: SyncPoint | undefined;
  /** After a refused Parse: drop messages until Sync, as PostgreSQL does after an error. */
  #discarding = false;
  #gating = false;
  #closed = false;
  readonly #pendingEvidence = new Set<Promise<void>>();
  #run: { buffer: Buffer; start: number; end: number } | undefined;
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
  }

  /** Relays until either side closes; resolves after the session's evidence is acknowledged. */
  async run(): Promise<string> {
    const done = new Promise<void>((resolve) => (this.#finished = resolve));
    let reason = 'client closed';
    const end = (why: string) => () => {
      reason = why;
      void this.close();
    };
    this.client.on('data', (chunk: Buffer) => this.onClientData(chunk));
    this.client.on('end', end('client closed'));
    this.client.on('close', end('client closed'));
    this.client.on('error', end('client connection error'));
    this.client.on('drain', () => this.upstream.resume());
    this.upstream.on('data', (chunk: Buffer) => this.onUpstreamData(chunk));
    this.upstream.on('end', end('upstream closed'));
    this.upstream.on('close', end('upstream closed'));
    this.upstream.on('error', end('upstream connection error'));
    this.upstream.on('drain', () => {
      if (!this.#gating) this.client.resume();
    });
    if (this.context.idleSessionTimeoutMs > 0) {
      this.client.setTimeout(this.context.idleSessionTimeoutMs, () => {
        reason = 'idle session timeout';
        this.client.end(
          encodeErrorResponse({
            severity: Severity.Fatal,
            severityNonLocalized: Severity.Fatal,
            code: '57P05',
            message: 'terminating connection due to idle-session timeout',
          }),
        );
        void this.close();
      });
    }
    // Frames that arrived together with the password message.
    this.drainClientFrames();
    await done;
    await this.settleEvidence();
    return reason;
  }

  private onClientData(chunk: Buffer): void {
    try {
      this.clientFramer.push(chunk);
      this.drainClientFrames();
    } catch (error) {
      this.fatal(error);
    }
  }

  private drainClientFrames(): void {
    let frame: Frame | null;
    while (!this.#gating && !this.#closed && (frame = this.clientFramer.next()) !== null) {
      this.onClientFrame(frame);
    }
  }

  private onClientFrame(frame: Frame): void {
    switch (frame.code) {
      case FrontendMessageCode.Query:
        this.gateStatement(frame, decodeQuery(frame.payload()).sql, 'simple');
        return;
      case FrontendMessageCode.Parse:
        if (this.#discarding) return;
        this.gateStatement(frame, decodeParse(frame.payload()).query, 'extended');
        return;
      case FrontendMessageCode.Sync:
        this.#discarding = false;
        this.batch().closed = true;
        this.#openBatch = undefined;
        this.forward(frame.message());
        return;
      case FrontendMessageCode.Bind:
      case FrontendMessageCode.Execute:
      case FrontendMessageCode.Describe:
      case FrontendMessageCode.Close:
      case FrontendMessageCode.Flush:
        if (this.#discarding) return;
        this.batch();
        this.forward(frame.message());
        return;
      case FrontendMessageCode.CopyData:
      case FrontendMessageCode.CopyDone:
      case FrontendMessageCode.CopyFail:
        this.forward(frame.message());
        return;
      case FrontendMessageCode.Terminate:
        this.upstream.end(frame.message());
        void this.close();
        return;
      case FrontendMessageCode.FunctionCall:
        this.refuse(
          new PolicyDeniedError('FunctionCall messages are not allowed through Gatehouse'),
          'simple',
        );
        return;
      default:
        this.fatal(
          new ProtocolViolationError(
            `unexpected message type ${JSON.stringify(String.fromCharCode(frame.code))}`,
          ),
        );
    }
  }

  private gateStatement(frame: Frame, text: string, mode: StatementMode): void {
    this.#gating = true;
    this.client.pause();
    const { metrics } = this.context;
    const started = performance.now();
    metrics.inFlight.inc({ operation: 'statement' });
    void this.admit(frame, text, mode)
      .then((admitted) => {
        metrics.observe('statement', admitted ? 'allowed' : 'denied', (performance.now() - started) / 1000);
      })
      .catch((error: unknown) => {
        // Fail closed: authz, approval or JetStream could not answer, so the statement does not run.
        this.context.logger.warn({ err: error }, 'statement refused: a dependency could not answer');
        metrics.observe('statement', 'unavailable', (performance.now() - started) / 1000);
        this.refuse(error, mode);
      })
      .finally(() => {
        metrics.inFlight.dec({ operation: 'statement' });
        this.#gating = false;
        if (this.#closed) return;
        if (!this.upstream.writableNeedDrain) this.client.resume();
        try {
          this.drainClientFrames();
        } catch (error) {
          this.fatal(error);
        }
      });
  }

  /**
   * Decides one statement, records the evidence (acknowledged before anything runs), holds it
   * for approval when the policy says review, then forwards it or refuses it. Returns whether
   * it was forwarded.
   */
  private async admit(frame: Frame, text: string, mode: StatementMode): Promise<boolean> {
    const { gate, session, evidence } = this.context;
    const { decision, cached } = await gate.decide(session, text);
    const facts = decision.classification;
    const pending: EvidenceRecord[] = [
      evidence.next('decision', {
        effect: decision.effect,
        rule: decision.rule,
        reason: decision.reason,
        policyVersion: decision.policyVersion,
        cached,
        fingerprint: facts.fingerprint,
        riskClass: facts.riskClass,
      }),
    ];
    if (decision.effect === 'deny') {
      await gate.record(pending);
      this.refuse(StatementGate.denial(decision), mode);
      return false;
    }
    if (decision.effect === 'review') {
      const requestId = randomUUID();
      pending.push(
        evidence.next('approval_requested', {
          requestId,
          rule: decision.rule,
          approverGroups: decision.approval?.groups ?? [],
          quorum: decision.approval?.quorum ?? 0,
          fingerprint: facts.fingerprint,
        }),
      );
      await gate.record(pending.splice(0));
      this.notice(
        `Gatehouse: this statement needs approval by ${decision.approval?.groups.join(', ') ?? 'approvers'} ` +
          `(request ${requestId}); holding it for up to ${decision.approval?.holdTimeoutSeconds ?? 0} s`,
      );
      const { outcome, approvers } = await gate.awaitApproval(session, decision, requestId);
      pending.push(evidence.next('approval_decided', { requestId, outcome, approvers }));
      if (outcome !== 'approved') {
        await gate.record(pending);
        this.refuse(
          new PolicyDeniedError(`approval request ${requestId} was ${outcome}`, decision.rule),
          mode,
        );
        return false;
      }
    }
    const statementRecord = evidence.next('statement', {
      protocol: mode,
      normalized: facts.normalized,
      fingerprint: facts.fingerprint,
      kinds: facts.kinds,
      statementCount: facts.statementCount,
      relationsRead: facts.relationsRead,
      relationsWritten: facts.relationsWritten,
      ...(mode === 'extended' ? { parameterTypes: decodeParse(frame.payload()).parameterTypes } : {}),
    });
    pending.push(statementRecord);
    await gate.record(pending);
    if (this.#closed) return false;
    if (mode === 'simple') {
      const point = openSyncPoint();
      point.statementIds.push(statementRecord.id);
      point.closed = true;
      this.#syncPoints.push(point);
    } else {
      this.batch().statementIds.push(statementRecord.id);
    }
    this.forward(frame.message());
    return true;
  }

  /** An asynchronous NoticeResponse; clients show it while a statement is held. */
  private notice(message: string): void {
    this.client.write(
      encodeNoticeResponse({
        severity: Severity.Notice,
        severityNonLocalized: Severity.Notice,
        code: '00000',
        message,
      }),
    );
  }

  /** Sends a marker upstream in place of the refused statement; its error becomes the refusal. */
  private refuse(error: unknown, mode: StatementMode): void {
    if (this.#closed) return;
    const nonce = randomBytes(8).toString('hex');
    const marker = { nonce, errorResponse: encodeErrorResponse(errorResponseFor(error)) };
    const markerText = `GATEHOUSE_REFUSED_${nonce}`;
    if (mode === 'simple') {
      const point = openSyncPoint();
      point.closed = true;
      point.marker = marker;
      this.#syncPoints.push(point);
      this.forward(encodeQuery(markerText));
    } else {
      this.batch().marker = marker;
      this.#discarding = true;
      this.forward(encodeParse({ statement: '', query: markerText, parameterTypes: [] }));
    }
  }

  private batch(): SyncPoint {
    if (!this.#openBatch) {
      this.#openBatch = openSyncPoint();
      this.#syncPoints.push(this.#openBatch);
    }
    return this.#openBatch;
  }

  private forward(bytes: Buffer): void {
    if (!this.upstream.write(bytes)) this.client.pause();
  }

  private onUpstreamData(chunk: Buffer): void {
    try {
      this.#upstreamFramer.push(chunk);
      this.client.cork();
      let frame: Frame | null;
      while ((frame = this.#upstreamFramer.next()) !== null) this.onUpstreamFrame(frame);
      this.flushRun();
      this.client.uncork();
      if (this.client.writableNeedDrain) this.upstream.pause();
    } catch (error) {
      this.fatal(error);
    }
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
      case BackendMessageCode.ErrorResponse:
        if (head) {
          const diagnostic = decodeDiagnostic(frame.payload());
          if (head.marker && diagnostic.message.includes(head.marker.nonce)) {
            head.sqlstate = '42501';
            this.flushRun();
            this.client.write(head.marker.errorResponse);
            return;
          }
          head.sqlstate ??= diagnostic.code;
        }
        break;
      case BackendMessageCode.ReadyForQuery:
        decodeReadyForQuery(frame.payload());
        if (head && head.closed) {
          this.#syncPoints.shift();
          this.completeSyncPoint(head);
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

  private completeSyncPoint(point: SyncPoint): void {
    if (point.statementIds.length === 0) return;
    const record = this.context.evidence.next('result', {
      statements: point.statementIds,
      rows: point.rows,
      bytes: point.bytes,
      durationMs: Math.round((performance.now() - point.startedAt) * 1000) / 1000,
      commands: point.commands,
      sqlstate: point.sqlstate ?? '00000',
    });
    this.publishLater([record]);
  }

  /** Result evidence is published without holding the client; the session waits for it at close. */
  private publishLater(records: EvidenceRecord[]): void {
    const pending = this.context.gate.record(records).catch((error: unknown) => {
      this.context.logger.error({ err: error }, 'result evidence was not acknowledged');
      this.context.metrics.requests.inc({ operation: 'result_evidence', outcome: 'failed' });
    });
    this.#pendingEvidence.add(pending);
    void pending.finally(() => this.#pendingEvidence.delete(pending));
  }

  private async settleEvidence(): Promise<void> {
    await Promise.allSettled([...this.#pendingEvidence]);
  }

  private fatal(error: unknown): void {
    if (this.#closed) return;
    this.context.logger.warn({ err: error }, 'closing session after a protocol error');
    this.client.end(encodeErrorResponse(errorResponseFor(error, { severity: Severity.Fatal })));
    void this.close();
  }

  private async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.upstream.end();
    this.upstream.destroySoon?.();
    if (!this.client.destroyed) this.client.end();
    this.#finished();
  }
}
