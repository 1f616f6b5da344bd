import type { BodyOf, Classification, Decision } from '@gatehouse/contracts';
import type { CompiledPolicy, OperationFacts } from '@gatehouse/policy';
import { classifyShell } from '@gatehouse/shell-risk';
import type { SqlClassifier } from '@gatehouse/sql-risk';

type DecideRequest = BodyOf<'gatehouse.authz.v1.decide_request'>;

/** What a classifier tells the policy, plus what evidence records about the operation. */
interface ClassifiedOperation {
  facts: OperationFacts;
  classification: Classification;
}

/**
 * Classifies one statement or command and evaluates the policy in force. Pure apart from the
 * policy reference, so it is tested without the bus.
 */
export class DecisionService {
  constructor(
    private readonly sqlClassifier: SqlClassifier,
    private readonly policy: () => CompiledPolicy,
  ) {}

  /** Decides a valid request. */
  decide(request: DecideRequest, now = new Date()): Decision {
    const { facts, classification } = this.classify(request.operation);
    const policy = this.policy();
    const decision = policy.evaluate({
      actor: { sub: request.actor.sub, groups: request.actor.groups, issuer: request.actor.issuer },
      target: { name: request.target.name, kind: request.target.kind },
      operation: { language: request.operation.kind, classification: facts },
      context: { tls: request.context.tls, clientAddress: request.context.clientAddress, time: now },
    });
    const reply: Decision = {
      effect: decision.effect,
      rule: decision.rule,
      reason: decision.reason,
      policyVersion: decision.policyVersion,
      cacheTtlMs: decision.cacheTtlMs,
      classification,
    };
    if (decision.maskingProfile !== undefined) reply.maskingProfile = decision.maskingProfile;
    if (decision.approval !== undefined) {
      const [first, ...rest] = decision.approval.groups;
      // The policy schema guarantees approver groups on a review rule; a review nobody can approve is a denial.
      if (first === undefined) return this.refusal(`rule ${decision.rule} asks for review but names no approver group`);
      reply.approval = { ...decision.approval, groups: [first, ...rest] };
    }
    return reply;
  }

  /** The answer to a request authz could not read: a denial that says why (fail closed). */
  refusal(reason: string): Decision {
    return {
      effect: 'deny',
      rule: 'invalid-request',
      reason,
      policyVersion: this.policy().version,
      cacheTtlMs: 0,
      classification: {
        riskClass: 'unknown',
        kinds: [],
        riskFlags: [],
        relationsRead: [],
        relationsWritten: [],
        fingerprint: '',
        normalized: '',
        statementCount: 0,
      },
    };
  }

  private classify(operation: DecideRequest['operation']): ClassifiedOperation {
    if (operation.kind === 'sql') {
      const sql = this.sqlClassifier.classify(operation.text);
      return {
        facts: sql,
        classification: {
          riskClass: sql.riskClass,
          kinds: [...sql.kinds],
          riskFlags: [...sql.riskFlags],
          relationsRead: [...sql.relationsRead],
          relationsWritten: [...sql.relationsWritten],
          fingerprint: sql.fingerprint,
          normalized: sql.normalized,
          statementCount: sql.statements.length,
        },
      };
    }
    const shell = classifyShell(operation.text);
    return {
      facts: { ...shell, relationsRead: [], relationsWritten: [], functions: [] },
      classification: {
        riskClass: shell.riskClass,
        kinds: [...shell.kinds],
        riskFlags: [...shell.riskFlags],
        relationsRead: [],
        relationsWritten: [],
        fingerprint: shell.fingerprint,
        normalized: shell.normalized,
        statementCount: shell.statementCount,
      },
    };
  }
}
