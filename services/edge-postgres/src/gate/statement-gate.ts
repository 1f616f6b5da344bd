import type { Decision, EvidenceRecord } from '@gatehouse/contracts';
import {
  OperationGate,
  type EvidencePublisher,
  policyDenial,
  type OperationGateOptions,
  type PublishCallback,
} from '@gatehouse/edge-gate';
import type { PolicyDeniedError } from '@gatehouse/errors';
import { statementTemplate } from './statement-template.ts';

export type { ApprovalOutcome, GateDecision, GateSession } from '@gatehouse/edge-gate';

/** How the gate reaches authz and JetStream. */
export type StatementGateOptions = Omit<OperationGateOptions, 'language' | 'template' | 'evidence'> & {
  /** Publishes evidence by group commit (result evidence joins the next batch). */
  evidence: EvidencePublisher;
};

/**
 * @gatehouse/edge-gate's OperationGate for SQL: statements that differ only in numeric literals
 * share one cached decision (statement-template.ts).
 */
export class StatementGate extends OperationGate {
  readonly #publisher: EvidencePublisher;

  constructor(options: StatementGateOptions) {
    super({ ...options, language: 'sql', template: statementTemplate });
    this.#publisher = options.evidence;
  }

  /**
   * Publishes records nothing waits on before acting (result evidence): they leave with the next
   * statement's evidence, or within a few milliseconds; `done` runs once they are acknowledged.
   */
  recordSoon(records: readonly EvidenceRecord[], done: PublishCallback): void {
    this.#publisher.publishSoon(records, done);
  }

  /** The error a client sees for a denied statement. */
  static denial(decision: Decision): PolicyDeniedError {
    return policyDenial('sql', decision);
  }
}
