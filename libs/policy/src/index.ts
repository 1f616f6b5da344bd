export {
  ClientNetworks,
  isCidr,
  parseCidr,
  parseIpAddress,
  type Cidr,
  type IpAddress,
} from './client-networks.ts';
export type { CompiledPolicy } from './compiled-policy.ts';
export { demoCasesPath, demoPolicyPath } from './demo-policy.ts';
export { Effect, effectRank } from './effect.ts';
export { formatCaseReport } from './format-case-report.ts';
export { InvalidPolicyError } from './invalid-policy-error.ts';
export { compilePolicy, loadPolicy } from './load-policy.ts';
export { RiskClass, type OperationFacts } from './operation-facts.ts';
export {
  CaseStatus,
  DEFAULT_CASE_ISSUER,
  runPolicyCases,
  type CaseExpectation,
  type CaseReport,
  type CaseResult,
  type PolicyCaseOptions,
} from './policy-cases.ts';
export { MAX_DURATION_MS } from './policy-checks.ts';
export { DEFAULT_DENY_RULE, type PolicyDecision } from './policy-decision.ts';
export type { PolicyDocument, PolicyRule, RuleMatch, SetMatch } from './policy-document.ts';
export { Language, TargetKind, type PolicyRequest } from './policy-request.ts';
export { policyVersion } from './policy-version.ts';
export { Weekday } from './time-window.ts';
