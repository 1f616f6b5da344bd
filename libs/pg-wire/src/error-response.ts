import {
  DeadlineExceededError,
  DependencyUnavailableError,
  InvalidTokenError,
  MessageTooLargeError,
  PolicyDeniedError,
  ProtocolViolationError,
  UnclassifiableStatementError,
  UnknownTargetError,
} from '@gatehouse/errors';
import { Severity, type Diagnostic } from './diagnostic-message.ts';
import { SqlState } from './sql-state.ts';
import { UnsupportedProtocolVersionError } from './unsupported-protocol-version-error.ts';

/** Options of {@link errorResponseFor}. */
export interface ErrorResponseOptions {
  /**
   * `ERROR` ends the statement and keeps the session; `FATAL` ends the session (startup and
   * authentication failures, broken framing). Default `ERROR`.
   */
  readonly severity?: typeof Severity.Error | typeof Severity.Fatal;
  /** The user name from the StartupMessage, quoted in authentication failures as PostgreSQL does. */
  readonly user?: string;
}

/** Message sent for any failure that is not a typed, client-facing one. Says nothing about internals. */
export const INTERNAL_ERROR_MESSAGE = 'internal error in the gateway';

/**
 * Maps a failure to the ErrorResponse fields the client sees (encode them with
 * `encodeErrorResponse`). Only typed Gatehouse errors, whose messages are written for clients,
 * pass their message through; anything else becomes XX000 with a fixed message so no stack,
 * address or upstream detail leaks.
 *
 * | error | SQLSTATE |
 * | --- | --- |
 * | PolicyDeniedError | 42501 insufficient_privilege (rule id in DETAIL) |
 * | InvalidTokenError | 28P01 invalid_password, PostgreSQL's own wording, no reason given |
 * | UnsupportedProtocolVersionError | 0A000 feature_not_supported (as PostgreSQL) |
 * | ProtocolViolationError | 08P01 protocol_violation |
 * | MessageTooLargeError | 54000 program_limit_exceeded |
 * | DependencyUnavailableError, DeadlineExceededError | FATAL: 57P03 cannot_connect_now; ERROR: 58000 system_error |
 * | UnknownTargetError | 3D000 invalid_catalog_name |
 * | UnclassifiableStatementError | 42601 syntax_error |
 * | anything else | XX000 internal_error, fixed message |
 *
 * A dependency failure is split by severity on purpose: at connection time (FATAL) it means
 * exactly what 57P03 tells drivers and poolers, "cannot accept connections now, retry later";
 * during a session (ERROR) the statement failed on a system outside PostgreSQL while the session
 * stays usable, which is 58000. Either way the message names the dependency, and only its name.
 *
 * An unclassifiable statement maps to 42601 because it is what PostgreSQL itself reports for text
 * its parser cannot read, so tools treat it as a statement error rather than a broken connection.
 */
export function errorResponseFor(error: unknown, options: ErrorResponseOptions = {}): Diagnostic {
  const severity = options.severity ?? Severity.Error;
  const base = { severity, severityNonLocalized: severity };
  if (error instanceof PolicyDeniedError) {
    return {
      ...base,
      code: SqlState.InsufficientPrivilege,
      message: error.message,
      ...(error.rule === undefined ? {} : { detail: `Denied by policy rule "${error.rule}".` }),
    };
  }
  if (error instanceof InvalidTokenError) {
    // Never say why (expired, wrong issuer, bad signature): that would help an attacker.
    const message =
      options.user === undefined
        ? 'password authentication failed'
        : `password authentication failed for user "${options.user}"`;
    return { ...base, code: SqlState.InvalidPassword, message };
  }
  if (error instanceof UnsupportedProtocolVersionError) {
    return { ...base, code: SqlState.FeatureNotSupported, message: error.message };
  }
  if (error instanceof ProtocolViolationError) {
    return { ...base, code: SqlState.ProtocolViolation, message: error.message };
  }
  if (error instanceof MessageTooLargeError) {
    return { ...base, code: SqlState.ProgramLimitExceeded, message: error.message };
  }
  if (error instanceof DependencyUnavailableError) {
    const answer = error instanceof DeadlineExceededError ? 'did not answer in time' : 'could not answer';
    return {
      ...base,
      code: severity === Severity.Fatal ? SqlState.CannotConnectNow : SqlState.SystemError,
      message: `gateway dependency "${error.dependency}" ${answer}; refused (fail closed)`,
      hint: 'Retry later.',
    };
  }
  if (error instanceof UnknownTargetError) {
    return { ...base, code: SqlState.InvalidCatalogName, message: error.message };
  }
  if (error instanceof UnclassifiableStatementError) {
    return { ...base, code: SqlState.SyntaxError, message: error.message };
  }
  return { ...base, code: SqlState.InternalError, message: INTERNAL_ERROR_MESSAGE };
}
