export { compareRiskClass, isRiskClass, maxRiskClass, RiskClass } from './risk-class.ts';
export { isRiskFlag, RiskFlag, sortRiskFlags } from './risk-flag.ts';
export { isStatementKind, StatementKind } from './statement-kind.ts';
export type {
  ClassifyContext,
  SqlClassification,
  SqlClassifier,
  StatementClassification,
} from './sql-classification.ts';
export {
  classifyOrThrow,
  createSqlClassifier,
  DEFAULT_MAX_STATEMENT_BYTES,
  type SqlClassifierOptions,
} from './sql-classifier.ts';
