import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Decision, EvidenceRecord } from '@gatehouse/contracts';
import { decisionDetails, type GateSession, type OperationGate } from '@gatehouse/edge-gate';
import { MessageTooLargeError, PolicyDeniedError } from '@gatehouse/errors';
import type { SessionEvidence } from '@gatehouse/evidence';
import type { Logger } from '@gatehouse/logging';
import type { ServiceMetrics } from '@gatehouse/service-host';
import type { ClientChannel, ServerChannel } from 'ssh2';
import type { OutputMasker } from '../output/output-masker.ts';
import { OutputPump, OutputStream, type OutputSegment, type OutputSummary } from '../output/output-pump.ts';
import type { UpstreamHost } from '../upstream/upstream-host.ts';
import { ExitStatus, outputStopped, refusalFor, type Refusal } from './refusal.ts';

/** What one command needs from its connection and process. */
export interface CommandContext {
  gate: OperationGate;
  masker: OutputMasker;
  session: GateSession;
  evidence: SessionEvidence;
  upstream: UpstreamHost;
  logger: Logger;
  metrics: ServiceMetrics;
  maxCommandBytes: number;
  outputBatchBytes: number;
  /** Publishes records without holding the command; the connection awaits them before closing. */
  recordLater(records: EvidenceRecord[]): void;
  /** Aborted when the client connection closes (its channels may never report their own close). */
  connectionClosed: AbortSignal;
}

/** How the target ended the command. */
interface TargetExit {
  code: number | undefined;
  signal: string | undefined;
  coreDumped: boolean;
  description: string | undefined;
}

/** The client closed its channel or connection while the command was in flight. */
class ClientGoneError extends Error {
  override readonly name = 'ClientGoneError';
}

/**
 * One `exec` request (RFC 4254 section 6.5) from decision to exit status: authz decides the
 * command line; a denial ends it with a stderr line and exit status 126; a review holds it until
 * approvers decide; an allowed command runs on the target only after its statement evidence was
 * acknowledged. Its output is masked when the decision names a profile, recorded as digests, and
 * the target's exit status or signal is forwarded.
 */
export class CommandRun {
  readonly #abort = new AbortController();
  readonly #started = performance.now();
  #upstream: ClientChannel | undefined;

  constructor(
    private readonly channel: ServerChannel,
    private readonly command: string,
    private readonly context: CommandContext,
  ) {
    channel.once('close', () => this.#abort.abort());
    // ssh2 reports a channel's close only once its unread input is consumed, which a command still
    // being decided never does: the connection's close ends the command too.
    if (context.connectionClosed.aborted) this.#abort.abort();
    else context.connectionClosed.addEventListener('abort', () => this.#abort.abort(), { once: true });
    // Writes racing a client that vanished fail here; the abort signal already ends the run.
    channel.on('error', () => undefined);
  }

  /** Runs the command to completion; never throws (failures become the client's exit status). */
  async run(): Promise<void> {
    const { metrics, logger } = this.context;
    metrics.inFlight.inc({ operation: 'command' });
    let outcome = 'allowed';
    try {
      const admitted = await this.admit();
      await this.execute(admitted.statementId, admitted.decision);
    } catch (error) {
      outcome = outcomeOf(error);
      if (outcome === 'unavailable') {
        logger.warn(
          { err: error, detail: (error as { detail?: string }).detail },
          'command refused: a dependency could not answer',
        );
      }
      this.refuse(refusalFor(error));
    } finally {
      metrics.inFlight.dec({ operation: 'command' });
      metrics.observe('command', outcome, (performance.now() - this.#started) / 1000);
    }
  }

  /** Forwards a signal the client sent (RFC 4254 section 6.9) to the running command. */
  signal(name: string): void {
    try {
      this.#upstream?.signal(name);
    } catch {
      // ssh2 refuses names outside RFC 4254's list; an unknown signal is dropped like sshd does.
    }
  }

  /**
   * Decides the command and records the decision; holds it for approval when the policy says
   * review. Resolves with the acknowledged statement record's id, or throws the refusal.
   */
  private async admit(): Promise<{ statementId: string; decision: Decision }> {
    const { gate, session, evidence, maxCommandBytes } = this.context;
    const size = Buffer.byteLength(this.command);
    if (size > maxCommandBytes) {
      throw new MessageTooLargeError(`the command is ${size} bytes; the limit is ${maxCommandBytes}`);
    }
    // Connect to the target while authz decides; nothing is sent to it before the evidence ack.
    void this.context.upstream.connect().catch(() => undefined);
    const { decision, cached } = await gate.decide(session, this.command);
    const facts = decision.classification;
    const pending: EvidenceRecord[] = [evidence.next('decision', decisionDetails(decision, cached))];
    if (decision.effect === 'deny') {
      await gate.record(pending);
      throw new PolicyDeniedError(decision.reason, decision.rule);
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
      this.tell(
        `gatehouse: waiting for approval by ${decision.approval?.groups.join(', ') ?? 'approvers'} ` +
          `(request ${requestId}); holding the command for up to ${decision.approval?.holdTimeoutSeconds ?? 0} s\n`,
      );
      const approval = await gate.awaitApproval(session, decision, requestId, this.#abort.signal);
      // A client that left stops the wait: nobody decided, so the evidence says so.
      const outcome = this.#abort.signal.aborted ? 'client_gone' : approval.outcome;
      const approvers = approval.approvers;
      pending.push(evidence.next('approval_decided', { requestId, outcome, approvers }));
      if (outcome !== 'approved') {
        await gate.record(pending);
        throw new PolicyDeniedError(`approval request ${requestId} was ${outcome}`, decision.rule);
      }
      this.tell(`gatehouse: approved by ${approvers.join(', ')}; running the command\n`);
    }
    const statement = evidence.next('statement', {
      protocol: 'ssh-exec',
      normalized: facts.normalized,
      fingerprint: facts.fingerprint,
      kinds: facts.kinds,
      statementCount: facts.statementCount,
    });
    pending.push(statement);
    await gate.record(pending);
    return { statementId: statement.id, decision };
  }

  /** Runs the admitted command on the target and relays stdin, output and the exit. */
  private async execute(statementId: string, decision: Decision): Promise<void> {
    const upstream = await this.start(statementId);
    this.#upstream = upstream;
    const exit: TargetExit = {
      code: undefined,
      signal: undefined,
      coreDumped: false,
      description: undefined,
    };
    upstream.on(
      'exit',
      (code: number | null, signal?: string, coreDumped?: boolean, description?: string) => {
        exit.code = code ?? undefined;
        exit.signal = signal ?? undefined;
        exit.coreDumped = coreDumped === true;
        exit.description = description || undefined;
      },
    );
    const closed = Promise.all([once(upstream, 'close'), once(upstream.stderr, 'close')]);
    const stop = (): void => {
      upstream.close();
      // Discard what is still buffered so the channel can finish closing.
      upstream.resume();
      upstream.stderr.resume();
    };
    this.#abort.signal.addEventListener('abort', stop, { once: true });
    this.relayStdin(upstream);

    let chunkIndex = 0;
    const pump = new OutputPump(
      {
        masking: decision.maskingProfile
          ? {
              masker: this.context.masker,
              profile: decision.maskingProfile,
              target: this.context.session.target.name,
            }
          : undefined,
        batchBytes: this.context.outputBatchBytes,
        record: (segments) =>
          this.context.gate.record(
            segments.map((segment) =>
              this.context.evidence.next('recording_chunk', {
                statement: statementId,
                index: chunkIndex++,
                stream: segment.stream,
                bytes: segment.bytes.length,
                sha256: createHash('sha256').update(segment.bytes).digest('hex'),
              }),
            ),
          ),
        write: (segment) => this.write(segment),
        pressure: (paused) => {
          if (paused) {
            upstream.pause();
            upstream.stderr.pause();
          } else {
            upstream.resume();
            upstream.stderr.resume();
          }
        },
      },
      (error) => {
        if (!(error instanceof ClientGoneError)) {
          this.context.logger.warn(
            { err: error },
            'command output stopped: masking or evidence could not answer',
          );
        }
        stop();
      },
    );
    upstream.on('data', (chunk: Buffer) => pump.push(OutputStream.Stdout, chunk));
    upstream.stderr.on('data', (chunk: Buffer) => pump.push(OutputStream.Stderr, chunk));

    await closed;
    this.#abort.signal.removeEventListener('abort', stop);
    let summary: OutputSummary | undefined;
    let stopped: Refusal | undefined;
    try {
      summary = await pump.finish();
    } catch (error) {
      if (!(error instanceof ClientGoneError)) stopped = outputStopped(error);
    }
    this.context.recordLater([
      this.context.evidence.next('result', {
        statement: statementId,
        outcome: this.#abort.signal.aborted ? 'client_gone' : stopped ? 'output_stopped' : 'completed',
        exitStatus: exit.code ?? null,
        signal: exit.signal ?? null,
        bytesOut: (summary?.stdoutBytes ?? 0) + (summary?.stderrBytes ?? 0),
        stdoutBytes: summary?.stdoutBytes ?? 0,
        stderrBytes: summary?.stderrBytes ?? 0,
        recordingChunks: summary?.chunks ?? chunkIndex,
        durationMs: Math.round((performance.now() - this.#started) * 1000) / 1000,
        maskedCounts: (summary?.maskedCounts ?? []).map(({ entity, count }) => ({
          entity,
          column: 'output',
          count,
        })),
      }),
    ]);
    if (stopped) {
      this.refuse(stopped);
      return;
    }
    this.finishWith(exit);
  }

  /** Client stdin goes to the command; the client's EOF becomes the command's EOF. */
  private relayStdin(upstream: ClientChannel): void {
    const channel = this.channel;
    channel.on('data', (chunk: Buffer) => {
      if (upstream.writable && !upstream.write(chunk)) channel.pause();
    });
    upstream.on('drain', () => channel.resume());
    channel.once('end', () => {
      if (upstream.writable) upstream.end();
    });
  }

  /** Starts the command on the target; a failure after the statement was recorded is recorded too. */
  private async start(statementId: string): Promise<ClientChannel> {
    try {
      if (this.#abort.signal.aborted) throw new ClientGoneError('the client closed the channel');
      return await this.context.upstream.exec(this.command);
    } catch (error) {
      this.context.recordLater([
        this.context.evidence.next('result', {
          statement: statementId,
          outcome: 'not_started',
          reason: (error as Error).message,
          durationMs: Math.round((performance.now() - this.#started) * 1000) / 1000,
        }),
      ]);
      throw error;
    }
  }

  /** Writes one output segment and waits while the client's window is full. */
  private async write(segment: OutputSegment): Promise<void> {
    if (this.#abort.signal.aborted) throw new ClientGoneError('the client closed the channel');
    const stream: Writable = segment.stream === OutputStream.Stdout ? this.channel : this.channel.stderr;
    if (stream.write(segment.bytes)) return;
    await Promise.race([
      once(stream, 'drain'),
      once(this.#abort.signal, 'abort').then(() => {
        throw new ClientGoneError('the client closed the channel');
      }),
    ]);
  }

  /** A Gatehouse message on the client's stderr (never recorded as target output). */
  private tell(line: string): void {
    if (!this.#abort.signal.aborted) this.channel.stderr.write(line);
  }

  private finishWith(exit: TargetExit): void {
    if (this.#abort.signal.aborted) return;
    if (exit.signal !== undefined) {
      try {
        this.channel.exit(exit.signal, exit.coreDumped, exit.description ?? '');
      } catch {
        // A signal name outside RFC 4254's list cannot be forwarded; say so and fail the command.
        this.refuse({
          line: `gatehouse: the command ended with ${exit.signal}\n`,
          status: ExitStatus.Unavailable,
        });
        return;
      }
    } else if (exit.code !== undefined) {
      this.channel.exit(exit.code);
    }
    this.channel.end();
  }

  private refuse(refusal: Refusal): void {
    if (this.#abort.signal.aborted) return;
    this.channel.stderr.write(refusal.line);
    this.channel.exit(refusal.status);
    this.channel.end();
  }
}

function outcomeOf(error: unknown): string {
  if (error instanceof PolicyDeniedError || error instanceof MessageTooLargeError) return 'denied';
  if (error instanceof ClientGoneError) return 'client_gone';
  return 'unavailable';
}
