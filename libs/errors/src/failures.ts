import { GatehouseError } from './gatehouse-error.ts';

/** Policy said no (SQLSTATE 42501). */
export class PolicyDeniedError extends GatehouseError {
  readonly code = 'policy_denied';
  constructor(
    message: string,
    /** Id of the rule that decided, when one matched. */
    readonly rule?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A token (or password standing for one) failed verification (SQLSTATE 28P01). */
export class InvalidTokenError extends GatehouseError {
  readonly code = 'invalid_token';
}

/** The peer broke the wire protocol (SQLSTATE 08P01). */
export class ProtocolViolationError extends GatehouseError {
  readonly code = 'protocol_violation';
}

/** A message exceeded a configured size cap (SQLSTATE 54000). */
export class MessageTooLargeError extends GatehouseError {
  readonly code = 'message_too_large';
}

/** A dependency (NATS, authz, masking, ledger, upstream) could not answer: refuse, never allow. */
export class DependencyUnavailableError extends GatehouseError {
  readonly code: string = 'dependency_unavailable';
  constructor(
    message: string,
    /** Which dependency failed, e.g. `authz`, `jetstream`. */
    readonly dependency: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A request on the bus missed its deadline; treated as a refusal. */
export class DeadlineExceededError extends DependencyUnavailableError {
  override readonly code = 'deadline_exceeded';
}

/** A bus message or HTTP body failed schema validation. */
export class InvalidMessageError extends GatehouseError {
  readonly code = 'invalid_message';
  constructor(
    message: string,
    /** Human-readable validation errors, safe to log (they never contain values). */
    readonly problems: readonly string[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Configuration could not be parsed; the process stops at boot. */
export class ConfigError extends GatehouseError {
  readonly code = 'invalid_config';
  constructor(
    message: string,
    /** The environment variable (or file key) at fault. */
    readonly variable: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The client asked for a target that is not configured (SQLSTATE 3D000). */
export class UnknownTargetError extends GatehouseError {
  readonly code = 'unknown_target';
}

/** A statement could not be classified safely (too large, unparsable). */
export class UnclassifiableStatementError extends GatehouseError {
  readonly code = 'unclassifiable_statement';
}
