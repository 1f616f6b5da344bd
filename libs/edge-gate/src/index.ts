export { AuthFailureLimiter } from './auth-failure-limiter.ts';
export { decisionDetails } from './decision-details.ts';
export { DecisionCache } from './decision-cache.ts';
export { edgeGateFields } from './edge-gate-fields.ts';
export {
  OperationGate,
  type ApprovalOutcome,
  type DurableMessage,
  type EvidenceSink,
  type GateDecision,
  type GateSession,
  type OperationGateOptions,
  type PublishCallback,
} from './operation-gate.ts';
export { OperationLanguage, isOperationLanguage } from './operation-language.ts';
export { policyDenial } from './policy-denial.ts';
