import {
  MessageType,
  decodeMessage,
  encodeMessage,
  envelope,
  subjectsFor,
  type Actor,
  type Decision,
  type EvidenceRecord,
  type Target,
} from '@gatehouse/contracts';
import { PolicyDeniedError } from '@gatehouse/errors';
import {
  newTraceparent,
  publishDurable,
  requestMessage,
  type JetStreamClient,
  type NatsConnection,
} from '@gatehouse/nats';
import { DecisionCache } from './decision-cache.ts';
import type { EvidencePublisher, PublishCallback } from './evidence-publisher.ts';
import { statementTemplate } from './statement-template.ts';

/** What the gate needs to know about the session asking. */
export interface GateSession {
  id: string;
  actor: Actor;
  target: Target;
  tls: boolean;
  clientAddress: string;
}

/** How a review ended. */
export interface ApprovalOutcome {
  outcome: 'approved' | 'rejected' | 'expired';
  approvers: string[];
}

/** How the gate reaches authz and JetStream. */
export interface StatementGateOptions {
  bus: NatsConnection;
  jetStream: JetStreamClient;
  evidence: EvidencePublisher;
  prefix: string;
  decideTimeoutMs: number;
  evidenceTimeoutMs: number;
  cache: DecisionCache;
}

/** A decision and whether it came from the cache. */
export interface GateDecision {
  decision: Decision;
  cached: boolean;
}

/**
 * Asks authz about every statement (through the decision cache) and publishes evidence to
 * JetStream. Anything that cannot answer throws a typed error: the session refuses.
 */
export class StatementGate {
  readonly #subjects;

  constructor(private readonly options: StatementGateOptions) {
    this.#subjects = subjectsFor(options.prefix);
  }

  /**
   * A cached decision for one statement, or undefined (synchronous, so a cache hit costs no
   * promise). `scope` is {@link DecisionCache.scope} of the session.
   */
  cachedDecision(scope: string, text: string): Decision | undefined {
    const template = statementTemplate(text);
    return this.options.cache.get(
      template === undefined
        ? DecisionCache.exactKey(scope, text)
        : DecisionCache.templateKey(scope, template),
    );
  }

  /** The decision for one statement; cached allow/deny decisions skip the round trip. */
  async decide(
    session: GateSession,
    text: string,
    scope = DecisionCache.scope(session.actor.groups, session.target.name),
  ): Promise<GateDecision> {
    const template = statementTemplate(text);
    const key =
      template === undefined
        ? DecisionCache.exactKey(scope, text)
        : DecisionCache.templateKey(scope, template);
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
          operation: { kind: 'sql', text },
          context: { tls: session.tls, clientAddress: session.clientAddress },
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

  /** Publishes records; `done` runs once JetStream acknowledged every one, or with the failure (invariant 1). */
  recordThen(records: readonly EvidenceRecord[], done: PublishCallback): void {
    this.options.evidence.publish(
      records.map((record) => ({
        subject: this.#subjects.evidence(record.kind),
        id: record.id,
        data: encodeMessage(envelope(MessageType.EvidenceRecord, { record }, { id: record.id })),
      })),
      done,
    );
  }

  /** Promise form of {@link recordThen}. */
  record(records: readonly EvidenceRecord[]): Promise<void> {
    return new Promise((resolve, reject) =>
      this.recordThen(records, (error) => (error ? reject(error) : resolve())),
    );
  }

  /**
   * Asks approvers to review a held statement and waits for the outcome or the hold timeout.
   * Subscribes before publishing the request, so a fast decision cannot be missed.
   */
  async awaitApproval(session: GateSession, decision: Decision, requestId: string): Promise<ApprovalOutcome> {
    const approval = decision.approval;
    if (!approval) return { outcome: 'rejected', approvers: [] };
    const subscription = this.options.bus.subscribe(this.#subjects.approvalDecided(requestId), { max: 1 });
    const timeoutMs = approval.holdTimeoutSeconds * 1000;
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
      const timer = setTimeout(() => subscription.unsubscribe(), timeoutMs);
      try {
        for await (const message of subscription) {
          const decided = decodeMessage(MessageType.ApprovalDecided, message.data);
          return { outcome: decided.body.outcome, approvers: decided.body.approvers };
        }
      } finally {
        clearTimeout(timer);
      }
      return { outcome: 'expired', approvers: [] };
    } finally {
      subscription.unsubscribe();
    }
  }

  /** The error a client sees for a denied statement. */
  static denial(decision: Decision): PolicyDeniedError {
    return new PolicyDeniedError(`Gatehouse policy denied this statement: ${decision.reason}`, decision.rule);
  }
}
