import type { Decision } from '@gatehouse/contracts';
import { OperationGate, policyDenial, type OperationGateOptions } from '@gatehouse/edge-gate';
import type { PolicyDeniedError } from '@gatehouse/errors';
import { statementTemplate } from './statement-template.ts';

export type { ApprovalOutcome, GateDecision, GateSession } from '@gatehouse/edge-gate';

/** How the gate reaches authz and JetStream (pass edge-postgres' EvidencePublisher as `evidence`). */
export type StatementGateOptions = Omit<OperationGateOptions, 'language' | 'template'>;

/**
 * @gatehouse/edge-gate's OperationGate for SQL: statements that differ only in numeric literals
 * share one cached decision (statement-template.ts).
 */
export class StatementGate extends OperationGate {
  constructor(options: StatementGateOptions) {
    super({ ...options, language: 'sql', template: statementTemplate });
  }

  /** The error a client sees for a denied statement. */
  static denial(decision: Decision): PolicyDeniedError {
    return policyDenial('sql', decision);
  }
}
