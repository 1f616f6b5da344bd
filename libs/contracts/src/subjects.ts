/**
 * Every NATS subject Gatehouse uses, built from the deployment prefix. The AsyncAPI document
 * (contracts/asyncapi.yaml) names the same subjects; a test keeps the two in step.
 */
export interface Subjects {
  /** Request/reply: edges ask authz for a decision (queue group `authz`). */
  readonly authzDecide: string;
  /** Broadcast: a new policy version is in force. */
  readonly policyChanged: string;
  /** Request/reply: edges send result batches to masking (queue group `masking`). */
  readonly maskingMask: string;
  /** JetStream: evidence record batches. */
  readonly evidence: string;
  /** JetStream: every evidence subject (stream filter). */
  readonly evidenceAll: string;
  /** JetStream: evidence batches forwarded by audit to the ledger writer. */
  readonly ledgerAppend: string;
  /** JetStream: review requests. */
  readonly approvalRequested: string;
  /** JetStream: the outcome of one review request. */
  approvalDecided(requestId: string): string;
  /** Core NATS: CancelRequests forwarded to the edge-postgres instance with this tag. */
  edgePostgresCancel(instance: string): string;
}

/** Subject tokens may not hold separators or wildcards. */
const subjectToken = /^[A-Za-z0-9_-]+$/;

/** Checks a value that will become one subject token (prefix, kind, id). */
export function assertSubjectToken(value: string, what: string): string {
  if (!subjectToken.test(value))
    throw new Error(`${what} must match ${subjectToken}: ${JSON.stringify(value)}`);
  return value;
}

/** Builds the subject set for a deployment prefix (default `gatehouse`). */
export function subjectsFor(prefix = 'gatehouse'): Subjects {
  assertSubjectToken(prefix, 'subject prefix');
  return Object.freeze({
    authzDecide: `${prefix}.authz.v1.decide`,
    policyChanged: `${prefix}.authz.v1.policy_changed`,
    maskingMask: `${prefix}.masking.v1.mask`,
    evidence: `${prefix}.evidence.v1.batch`,
    evidenceAll: `${prefix}.evidence.v1.>`,
    ledgerAppend: `${prefix}.ledger.v1.append`,
    approvalRequested: `${prefix}.approval.v1.requested`,
    approvalDecided: (requestId: string) =>
      `${prefix}.approval.v1.decided.${assertSubjectToken(requestId, 'approval request id')}`,
    edgePostgresCancel: (instance: string) =>
      `${prefix}.edge-postgres.v1.cancel.${assertSubjectToken(instance, 'edge instance')}`,
  });
}
