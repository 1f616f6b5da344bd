export { GatehouseError } from './gatehouse-error.ts';
export {
  ConfigError,
  DeadlineExceededError,
  DependencyUnavailableError,
  InvalidMessageError,
  InvalidTokenError,
  MessageTooLargeError,
  PolicyDeniedError,
  ProtocolViolationError,
  UnclassifiableStatementError,
  UnknownTargetError,
} from './failures.ts';
