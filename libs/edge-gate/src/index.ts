export { AuthFailureLimiter } from './auth-failure-limiter.ts';
export { decisionDetails } from './decision-details.ts';
export { DecisionCache } from './decision-cache.ts';
export { edgeGateFields } from './edge-gate-fields.ts';
export {
  OperationGate,
  type ApprovalOutcome,
  type EvidenceSink,
  type GateDecision,
  type GateSession,
  type OperationGateOptions,
} from './operation-gate.ts';
export {
  EvidencePublisher,
  type EvidencePublisherOptions,
  type PublishCallback,
} from './evidence-publisher.ts';
export { OperationLanguage, isOperationLanguage } from './operation-language.ts';
export { policyDenial } from './policy-denial.ts';
