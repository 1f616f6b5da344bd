import {
  MessageType,
  decodeMessage,
  envelope,
  subjectsFor,
  type Actor,
  type Decision,
  type EvidenceRecord,
  type Target,
} from '@gatehouse/contracts';
import {
  newTraceparent,
  publishDurable,
  requestMessage,
  type JetStreamClient,
  type NatsConnection,
} from '@gatehouse/nats';
import { DecisionCache } from './decision-cache.ts';

/** What the gate needs to know about the SSH connection asking. */
export interface GateSession {
  id: string;
  actor: Actor;
  target: Target;
  clientAddress: string;
}

/** How a review ended. */
export interface ApprovalOutcome {
  outcome: 'approved' | 'rejected' | 'expired';
  approvers: string[];
}

/** How the gate reaches authz and JetStream. */
export interface CommandGateOptions {
  bus: NatsConnection;
  jetStream: JetStreamClient;
  prefix: string;
  decideTimeoutMs: number;
  evidenceTimeoutMs: number;
  cache: DecisionCache;
}

/**
 * Asks authz about every command (through the decision cache), publishes evidence to JetStream
 * and holds reviewed commands for approval. Anything that cannot answer throws a typed error
 * (DependencyUnavailableError, DeadlineExceededError): the caller refuses the command.
 */
export class CommandGate {
  readonly #subjects;

  constructor(private readonly options: CommandGateOptions) {
    this.#subjects = subjectsFor(options.prefix);
  }

  /** The decision for one command line; cached allow/deny decisions skip the round trip. */
  async decide(session: GateSession, text: string): Promise<{ decision: Decision; cached: boolean }> {
    const key = DecisionCache.key(text, session.actor.groups, session.target.name);
    const cached = this.options.cache.get(key);
    if (cached) return { decision: cached, cached: true };
    const reply = await requestMessage(
      this.options.bus,
      envelope(
        MessageType.AuthzDecideRequest,
        {
          session: { id: session.id },
          actor: session.actor,
          target: session.target,
          operation: { kind: 'shell', text },
          // The SSH transport is always encrypted and server-authenticated, which is what a
          // policy's TLS condition protects: an SSH connection counts as an encrypted one.
          context: { tls: true, clientAddress: session.clientAddress },
        },
        { traceparent: newTraceparent() },
      ),
      {
        subject: this.#subjects.authzDecide,
        dependency: 'authz',
        replyType: MessageType.AuthzDecideReply,
        timeoutMs: this.options.decideTimeoutMs,
      },
    );
    this.options.cache.set(key, reply.body);
    return { decision: reply.body, cached: false };
  }

  /** Publishes records and resolves once JetStream acknowledged every one (invariant 1). */
  async record(records: readonly EvidenceRecord[]): Promise<void> {
    await Promise.all(
      records.map((record) =>
        publishDurable(
          this.options.jetStream,
          this.#subjects.evidence(record.kind),
          envelope(MessageType.EvidenceRecord, { record }, { id: record.id }),
          this.options.evidenceTimeoutMs,
        ),
      ),
    );
  }

  /**
   * Asks approvers to review a held command and waits for the outcome or the hold timeout.
   * Subscribes before publishing the request, so a fast decision cannot be missed. `abort`
   * ends the wait early (the client went away) as an expiry.
   */
  async awaitApproval(
    session: GateSession,
    decision: Decision,
    requestId: string,
    abort?: AbortSignal,
  ): Promise<ApprovalOutcome> {
    const approval = decision.approval;
    if (!approval) return { outcome: 'rejected', approvers: [] };
    const subscription = this.options.bus.subscribe(this.#subjects.approvalDecided(requestId), { max: 1 });
    const stop = (): void => subscription.unsubscribe();
    try {
      await publishDurable(
        this.options.jetStream,
        this.#subjects.approvalRequested,
        envelope(
          MessageType.ApprovalRequested,
          {
            requestId,
            session: { id: session.id },
            actor: session.actor,
            target: session.target,
            classification: decision.classification,
            approval,
            rule: decision.rule,
            policyVersion: decision.policyVersion,
          },
          { id: requestId },
        ),
        this.options.evidenceTimeoutMs,
      );
      const timer = setTimeout(stop, approval.holdTimeoutSeconds * 1000);
      abort?.addEventListener('abort', stop, { once: true });
      try {
        for await (const message of subscription) {
          const decided = decodeMessage(MessageType.ApprovalDecided, message.data);
          return { outcome: decided.body.outcome, approvers: decided.body.approvers };
        }
      } finally {
        clearTimeout(timer);
        abort?.removeEventListener('abort', stop);
      }
      return { outcome: 'expired', approvers: [] };
    } finally {
      stop();
    }
  }
}
