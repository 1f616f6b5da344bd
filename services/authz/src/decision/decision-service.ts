import {
  MessageType,
  validateMessage,
  type BodyOf,
  type Classification,
  type Decision,
} from '@gatehouse/contracts';
import type { CompiledPolicy, PolicyDecision } from '@gatehouse/policy';
import type { Logger } from 'pino';
import type { ClassifiedOperation, OperationClassifier } from './operation-classifier.ts';

/** A decide request's body. */
export type DecideRequest = BodyOf<'gatehouse.authz.v1.decide_request'>;

/**
 * Rule ids of the denials authz gives without consulting the policy (fail closed); their
 * `cacheTtlMs` is 0 and their reason says what went wrong.
 */
export const RefusalRule = {
  /** The request was malformed (bad bytes, schema-invalid, a language its target does not speak). */
  InvalidRequest: 'invalid-request',
  /** The classifier could not establish what the text does (unparsable, too large, too complex, failed). */
  Unclassifiable: 'unclassifiable',
  /** The policy could not be evaluated, or its decision could not be put into a valid reply. */
  DecisionFailed: 'decision-failed',
} as const;

/** One of {@link RefusalRule}'s values. */
export type RefusalRule = (typeof RefusalRule)[keyof typeof RefusalRule];

// The reply contract caps `reason` at 1024 characters.
const MAX_REASON_LENGTH = 1024;

const LANGUAGE_OF_TARGET = { postgres: 'sql', ssh: 'shell' } as const;

const NOTHING_CLASSIFIED: Classification = Object.freeze({
  riskClass: 'unknown',
  kinds: [],
  riskFlags: [],
  relationsRead: [],
  relationsWritten: [],
  fingerprint: '',
  normalized: '',
  statementCount: 0,
});

/**
 * Classifies one statement or command and evaluates the policy in force. Never throws: whatever
 * goes wrong becomes a denial that says why (DESIGN.md invariant 1, fail closed), and every reply
 * it returns satisfies the decide_reply contract. Pure apart from the policy reference and the
 * classification cache, so it is tested without the bus.
 */
export class DecisionService {
  constructor(
    private readonly classifier: OperationClassifier,
    private readonly policy: () => CompiledPolicy,
    private readonly logger?: Logger,
  ) {}

  /** Decides a schema-valid request at `now`. */
  decide(request: DecideRequest, now = new Date()): Decision {
    return this.valid(this.evaluate(request, now));
  }

  /**
   * A denial authz gives without the policy: `rule` says which kind, `reason` why. With a
   * `classification` (what the classifier found) the evidence keeps it.
   */
  refusal(
    reason: string,
    rule: RefusalRule = RefusalRule.InvalidRequest,
    classification: Classification = NOTHING_CLASSIFIED,
  ): Decision {
    return {
      effect: 'deny',
      rule,
      reason: reason.length > MAX_REASON_LENGTH ? `${reason.slice(0, MAX_REASON_LENGTH - 1)}…` : reason,
      policyVersion: this.policy().version,
      cacheTtlMs: 0,
      classification,
    };
  }

  private evaluate(request: DecideRequest, now: Date): Decision {
    const expected = LANGUAGE_OF_TARGET[request.target.kind];
    if (request.operation.kind !== expected) {
      return this.refusal(
        `a ${request.operation.kind} operation cannot address ${request.target.kind} target ${request.target.name}`,
      );
    }
    let operation: ClassifiedOperation;
    try {
      operation = this.classifier.classify(request.operation);
    } catch (error) {
      this.logger?.error({ err: error, language: request.operation.kind }, 'classifier failed; denying');
      return this.refusal('the operation could not be classified', RefusalRule.Unclassifiable);
    }
    if (operation.unclassifiable.length > 0) {
      return this.refusal(
        `the operation could not be classified (${operation.unclassifiable.join(', ')}) and is refused`,
        RefusalRule.Unclassifiable,
        operation.classification,
      );
    }
    const policy = this.policy();
    let decision: PolicyDecision;
    try {
      decision = policy.evaluate({
        actor: { sub: request.actor.sub, groups: request.actor.groups, issuer: request.actor.issuer },
        target: { name: request.target.name, kind: request.target.kind },
        operation: { language: request.operation.kind, classification: operation.facts },
        context: { tls: request.context.tls, clientAddress: request.context.clientAddress, time: now },
      });
    } catch (error) {
      this.logger?.error({ err: error, policyVersion: policy.version }, 'policy evaluation failed; denying');
      return this.refusal(
        'the policy could not be evaluated',
        RefusalRule.DecisionFailed,
        operation.classification,
      );
    }
    return reply(decision, operation.classification);
  }

  /**
   * The reply itself when it satisfies the decide_reply contract, else a denial: a reply the
   * edge would reject (say a normalized text over 64 KiB) must not turn into an unexplained refusal.
   */
  private valid(decision: Decision): Decision {
    const problems = replyProblems(decision);
    if (problems.length === 0) return decision;
    this.logger?.error(
      { problems, rule: decision.rule },
      'decision does not fit the reply contract; denying',
    );
    const { classification } = decision;
    return this.refusal(
      `the decision could not be expressed as a valid reply (${problems.join('; ')})`,
      RefusalRule.DecisionFailed,
      // Keep what fits: the class and the fingerprint name the operation in evidence.
      {
        ...NOTHING_CLASSIFIED,
        riskClass: classification.riskClass,
        fingerprint: classification.fingerprint.slice(0, 128),
      },
    );
  }
}

function reply(decision: PolicyDecision, classification: Classification): Decision {
  const body: Decision = {
    effect: decision.effect,
    rule: decision.rule,
    reason: decision.reason,
    policyVersion: decision.policyVersion,
    cacheTtlMs: decision.cacheTtlMs,
    classification,
  };
  if (decision.maskingProfile !== undefined) body.maskingProfile = decision.maskingProfile;
  // The policy schema requires approver groups on a review rule; an empty list fails the reply check.
  if (decision.approval !== undefined) body.approval = decision.approval as Decision['approval'];
  return body;
}

// The contract validates whole messages; the envelope fields here are fixed, valid placeholders.
const ENVELOPE = { type: MessageType.AuthzDecideReply, id: 'authz', time: '1970-01-01T00:00:00Z' };

/** What makes `body` an invalid decide_reply body (empty when valid). */
export function replyProblems(body: Decision): string[] {
  try {
    validateMessage(MessageType.AuthzDecideReply, { ...ENVELOPE, body });
    return [];
  } catch (error) {
    const problems = (error as { problems?: readonly string[] }).problems;
    return problems && problems.length > 0 ? [...problems] : [(error as Error).message];
  }
}
