/**
 * SQLSTATE codes the edge sends itself:
 * https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
export const SqlState = {
  /** 08P01 protocol_violation. */
  ProtocolViolation: '08P01',
  /** 0A000 feature_not_supported. */
  FeatureNotSupported: '0A000',
  /** 28000 invalid_authorization_specification. */
  InvalidAuthorizationSpecification: '28000',
  /** 28P01 invalid_password. */
  InvalidPassword: '28P01',
  /** 3D000 invalid_catalog_name (unknown database). */
  InvalidCatalogName: '3D000',
  /** 42501 insufficient_privilege. */
  InsufficientPrivilege: '42501',
  /** 42601 syntax_error. */
  SyntaxError: '42601',
  /** 54000 program_limit_exceeded. */
  ProgramLimitExceeded: '54000',
  /** 57014 query_canceled. */
  QueryCanceled: '57014',
  /** 57P01 admin_shutdown. */
  AdminShutdown: '57P01',
  /** 57P03 cannot_connect_now. */
  CannotConnectNow: '57P03',
  /** 58000 system_error (a failure outside PostgreSQL itself). */
  SystemError: '58000',
  /** XX000 internal_error. */
  InternalError: 'XX000',
} as const;

/** A SQLSTATE code the edge sends. */
export type SqlState = (typeof SqlState)[keyof typeof SqlState];
