import {
  MessageType,
  decodeMessage,
  envelope,
  subjectsFor,
  type Actor,
  type Decision,
  type EvidenceRecord,
  type Subjects,
  type Target,
} from '@gatehouse/contracts';
import type { PolicyDeniedError } from '@gatehouse/errors';
import {
  newTraceparent,
  publishDurable,
  requestMessage,
  type JetStreamClient,
  type NatsConnection,
} from '@gatehouse/nats';
import { DecisionCache } from './decision-cache.ts';
import type { PublishCallback } from './evidence-publisher.ts';
import { isOperationLanguage, type OperationLanguage } from './operation-language.ts';
import { policyDenial } from './policy-denial.ts';

/** What the gate needs to know about the client session asking. */
export interface GateSession {
  id: string;
  actor: Actor;
  target: Target;
  /** Whether the client's transport is encrypted and authenticates the server (policy TLS conditions). */
  tls: boolean;
  clientAddress: string;
}

/** A decision and whether it came from the cache. */
export interface GateDecision {
  decision: Decision;
  cached: boolean;
}

/** How a review ended. */
export interface ApprovalOutcome {
  outcome: 'approved' | 'rejected' | 'expired';
  approvers: string[];
}

/**
 * A JetStream publisher that reports acknowledgements through a callback, for edges whose hot
 * path should not allocate a promise per record (EvidencePublisher). It must call `done` without
 * an error only once the stream acknowledged every record (invariant 1).
 */
export interface EvidenceSink {
  publish(records: readonly EvidenceRecord[], done: PublishCallback): void;
}

/** How the gate reaches authz and JetStream. */
export interface OperationGateOptions {
  bus: NatsConnection;
  jetStream: JetStreamClient;
  /** Subject prefix of the deployment. */
  prefix: string;
  /** What this edge's operations are written in (`operation.kind` of the decide request). */
  language: OperationLanguage;
  /** Deadline for an authz decision; a missed deadline is a refusal. */
  decideTimeoutMs: number;
  /** Deadline for each JetStream acknowledgement. */
  evidenceTimeoutMs: number;
  cache: DecisionCache;
  /**
   * A cache key under which texts that authz and the policy cannot tell apart share one decision
   * (edge-postgres: statements that differ only in numeric literals), or undefined to key by the
   * exact text. Without it every text is its own key.
   */
  template?: (text: string) => string | undefined;
  /** Publishes evidence with callback acks; without it each record goes through `publishDurable`. */
  evidence?: EvidenceSink;
}

/**
 * What an edge does before an operation runs: asks authz about it (through the decision cache),
 * publishes evidence to JetStream and waits for the acknowledgements, and holds reviewed
 * operations until approvers decide. Anything that cannot answer throws a typed error
 * (DependencyUnavailableError, DeadlineExceededError): the edge refuses, it never runs the
 * operation without a decision and acknowledged evidence (DESIGN.md invariant 1).
 */
export class OperationGate {
  readonly #options: OperationGateOptions;
  readonly #subjects: Subjects;

  constructor(options: OperationGateOptions) {
    if (!isOperationLanguage(options.language)) {
      throw new Error(`unknown operation language ${JSON.stringify(options.language)}`);
    }
    this.#options = options;
    this.#subjects = subjectsFor(options.prefix);
  }

  /** The cache scope of a session: pass it to {@link cachedDecision} and {@link decide}. */
  static scope(session: GateSession): string {
    return DecisionCache.scope(session.actor.groups, session.target.name);
  }

  /**
   * A cached decision for one operation, or undefined. Synchronous, so a cache hit costs no
   * promise on the hot path.
   */
  cachedDecision(scope: string, text: string): Decision | undefined {
    return this.#options.cache.get(this.key(scope, text));
  }

  /** The decision for one operation; cached allow/deny decisions skip the round trip. */
  async decide(
    session: GateSession,
    text: string,
    scope = OperationGate.scope(session),
  ): Promise<GateDecision> {
    const key = this.key(scope, text);
    const cached = this.#options.cache.get(key);
    if (cached) return { decision: cached, cached: true };
    const reply = await requestMessage(
      this.#options.bus,
      envelope(
        MessageType.AuthzDecideRequest,
        {
          session: { id: session.id },
          actor: session.actor,
          target: session.target,
          operation: { kind: this.#options.language, text },
          context: { tls: session.tls, clientAddress: session.clientAddress },
        },
        { traceparent: newTraceparent() },
      ),
      {
        subject: this.#subjects.authzDecide,
        dependency: 'authz',
        replyType: MessageType.AuthzDecideReply,
        timeoutMs: this.#options.decideTimeoutMs,
      },
    );
    this.#options.cache.set(key, reply.body);
    return { decision: reply.body, cached: false };
  }

  /**
   * Publishes records (with the sink, in the next group commit); `done` runs once JetStream
   * acknowledged every one, or with the first failure.
   */
  recordThen(records: readonly EvidenceRecord[], done: PublishCallback): void {
    const sink = this.#options.evidence;
    if (!sink) {
      this.record(records).then(() => done(undefined), done);
      return;
    }
    sink.publish(records, done);
  }

  /** Publishes records as one batch and resolves once JetStream acknowledged it. */
  record(records: readonly EvidenceRecord[]): Promise<void> {
    if (this.#options.evidence) {
      return new Promise((resolve, reject) =>
        this.recordThen(records, (error) => (error ? reject(error) : resolve())),
      );
    }
    if (records.length === 0) return Promise.resolve();
    // The first record's id names the batch: each record is published once.
    return publishDurable(
      this.#options.jetStream,
      this.#subjects.evidence,
      envelope(MessageType.EvidenceBatch, { records: [...records] }, { id: records[0]!.id }),
      this.#options.evidenceTimeoutMs,
    ).then(() => undefined);
  }

  /**
   * Asks approvers to review a held operation and waits for the outcome or the decision's hold
   * timeout (then `expired`). Subscribes to the request's decided subject before publishing the
   * request, so a fast decision cannot be missed. `abort` ends the wait early as an expiry (the
   * client went away); an already aborted signal publishes nothing. A decision without an
   * approval rule is `rejected`.
   */
  async awaitApproval(
    session: GateSession,
    decision: Decision,
    requestId: string,
    abort?: AbortSignal,
  ): Promise<ApprovalOutcome> {
    const approval = decision.approval;
    if (!approval) return { outcome: 'rejected', approvers: [] };
    if (abort?.aborted) return { outcome: 'expired', approvers: [] };
    const subscription = this.#options.bus.subscribe(this.#subjects.approvalDecided(requestId), { max: 1 });
    const stop = (): void => subscription.unsubscribe();
    abort?.addEventListener('abort', stop, { once: true });
    try {
      await publishDurable(
        this.#options.jetStream,
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
        this.#options.evidenceTimeoutMs,
      );
      const timer = setTimeout(stop, approval.holdTimeoutSeconds * 1000);
      try {
        for await (const message of subscription) {
          // An invalid decided message throws: the operation is refused, never run undecided.
          const decided = decodeMessage(MessageType.ApprovalDecided, message.data);
          return { outcome: decided.body.outcome, approvers: decided.body.approvers };
        }
      } finally {
        clearTimeout(timer);
      }
      return { outcome: 'expired', approvers: [] };
    } finally {
      abort?.removeEventListener('abort', stop);
      stop();
    }
  }

  /** The error a client sees for a denied operation: the policy's reason, and its rule. */
  denial(decision: Decision): PolicyDeniedError {
    return policyDenial(this.#options.language, decision);
  }

  private key(scope: string, text: string): string {
    const template = this.#options.template?.(text);
    return template === undefined
      ? DecisionCache.exactKey(scope, text)
      : DecisionCache.templateKey(scope, template);
  }
}
