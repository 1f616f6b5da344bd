/**
 * Message type bytes and startup request codes of the PostgreSQL v3 protocol.
 *
 * Codes are numbers (the byte value) because that is what a frame carries; compare with
 * `frame.code === FrontendMessageCode.Query` and never allocate a one-character string per message.
 * Every member links its section of https://www.postgresql.org/docs/current/protocol-message-formats.html
 */

/** Message types a client (frontend) sends after startup. */
export const FrontendMessageCode = {
  /** Bind: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-BIND */
  Bind: 0x42, // 'B'
  /** Close: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-CLOSE */
  Close: 0x43, // 'C'
  /** CopyData: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-COPYDATA */
  CopyData: 0x64, // 'd'
  /** CopyDone: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-COPYDONE */
  CopyDone: 0x63, // 'c'
  /** CopyFail: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-COPYFAIL */
  CopyFail: 0x66, // 'f'
  /** Describe: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-DESCRIBE */
  Describe: 0x44, // 'D'
  /** Execute: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-EXECUTE */
  Execute: 0x45, // 'E'
  /** Flush: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-FLUSH */
  Flush: 0x48, // 'H'
  /** FunctionCall (legacy fast-path): https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-FUNCTIONCALL */
  FunctionCall: 0x46, // 'F'
  /** Parse: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-PARSE */
  Parse: 0x50, // 'P'
  /**
   * PasswordMessage, SASLInitialResponse, SASLResponse and GSSResponse all share 'p'; which one it
   * is follows from the authentication request the server sent:
   * https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-PASSWORDMESSAGE
   */
  PasswordMessage: 0x70, // 'p'
  /** Query (simple query protocol): https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-QUERY */
  Query: 0x51, // 'Q'
  /** Sync: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-SYNC */
  Sync: 0x53, // 'S'
  /** Terminate: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-TERMINATE */
  Terminate: 0x58, // 'X'
} as const;

/** A frontend message type byte. */
export type FrontendMessageCode = (typeof FrontendMessageCode)[keyof typeof FrontendMessageCode];

/** Message types a server (backend) sends. */
export const BackendMessageCode = {
  /** Authentication* requests (subtype in the first Int32): https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-AUTHENTICATIONOK */
  Authentication: 0x52, // 'R'
  /** BackendKeyData: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-BACKENDKEYDATA */
  BackendKeyData: 0x4b, // 'K'
  /** BindComplete: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-BINDCOMPLETE */
  BindComplete: 0x32, // '2'
  /** CloseComplete: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-CLOSECOMPLETE */
  CloseComplete: 0x33, // '3'
  /** CommandComplete: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-COMMANDCOMPLETE */
  CommandComplete: 0x43, // 'C'
  /** CopyBothResponse (replication only): https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-COPYBOTHRESPONSE */
  CopyBothResponse: 0x57, // 'W'
  /** CopyData: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-COPYDATA */
  CopyData: 0x64, // 'd'
  /** CopyDone: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-COPYDONE */
  CopyDone: 0x63, // 'c'
  /** CopyInResponse: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-COPYINRESPONSE */
  CopyInResponse: 0x47, // 'G'
  /** CopyOutResponse: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-COPYOUTRESPONSE */
  CopyOutResponse: 0x48, // 'H'
  /** DataRow: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-DATAROW */
  DataRow: 0x44, // 'D'
  /** EmptyQueryResponse: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-EMPTYQUERYRESPONSE */
  EmptyQueryResponse: 0x49, // 'I'
  /** ErrorResponse: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-ERRORRESPONSE */
  ErrorResponse: 0x45, // 'E'
  /** FunctionCallResponse: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-FUNCTIONCALLRESPONSE */
  FunctionCallResponse: 0x56, // 'V'
  /** NegotiateProtocolVersion: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-NEGOTIATEPROTOCOLVERSION */
  NegotiateProtocolVersion: 0x76, // 'v'
  /** NoData: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-NODATA */
  NoData: 0x6e, // 'n'
  /** NoticeResponse: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-NOTICERESPONSE */
  NoticeResponse: 0x4e, // 'N'
  /** NotificationResponse (LISTEN/NOTIFY): https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-NOTIFICATIONRESPONSE */
  NotificationResponse: 0x41, // 'A'
  /** ParameterDescription: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-PARAMETERDESCRIPTION */
  ParameterDescription: 0x74, // 't'
  /** ParameterStatus: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-PARAMETERSTATUS */
  ParameterStatus: 0x53, // 'S'
  /** ParseComplete: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-PARSECOMPLETE */
  ParseComplete: 0x31, // '1'
  /** PortalSuspended: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-PORTALSUSPENDED */
  PortalSuspended: 0x73, // 's'
  /** ReadyForQuery: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-READYFORQUERY */
  ReadyForQuery: 0x5a, // 'Z'
  /** RowDescription: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-ROWDESCRIPTION */
  RowDescription: 0x54, // 'T'
} as const;

/** A backend message type byte. */
export type BackendMessageCode = (typeof BackendMessageCode)[keyof typeof BackendMessageCode];

/**
 * Subtype (first Int32) of an Authentication ('R') message.
 * https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-AUTHENTICATIONOK and the sections after it.
 */
export const AuthenticationType = {
  /** AuthenticationOk. */
  Ok: 0,
  /** AuthenticationKerberosV5 (no longer supported by servers). */
  KerberosV5: 2,
  /** AuthenticationCleartextPassword: the edge asks for the token this way. */
  CleartextPassword: 3,
  /** AuthenticationMD5Password. */
  Md5Password: 5,
  /** AuthenticationGSS. */
  Gss: 7,
  /** AuthenticationGSSContinue. */
  GssContinue: 8,
  /** AuthenticationSSPI. */
  Sspi: 9,
  /** AuthenticationSASL (list of mechanisms). */
  Sasl: 10,
  /** AuthenticationSASLContinue. */
  SaslContinue: 11,
  /** AuthenticationSASLFinal. */
  SaslFinal: 12,
} as const;

/** An Authentication message subtype. */
export type AuthenticationType = (typeof AuthenticationType)[keyof typeof AuthenticationType];

/**
 * The Int32 after the length of an untagged startup-phase packet. Request codes are chosen so they
 * can never equal a protocol version (1234 in the high 16 bits).
 * https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-SSLREQUEST
 */
export const StartupRequestCode = {
  /** CancelRequest: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-CANCELREQUEST */
  CancelRequest: 80877102, // 1234 << 16 | 5678
  /** SSLRequest: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-SSLREQUEST */
  SslRequest: 80877103, // 1234 << 16 | 5679
  /** GSSENCRequest: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-GSSENCREQUEST */
  GssEncRequest: 80877104, // 1234 << 16 | 5680
} as const;

/** A startup request code. */
export type StartupRequestCode = (typeof StartupRequestCode)[keyof typeof StartupRequestCode];

/**
 * Protocol version numbers as sent in StartupMessage: major in the high 16 bits, minor in the low.
 * 3.1 was never used by any server; 3.2 (PostgreSQL 18) adds variable-length cancel keys.
 * https://www.postgresql.org/docs/current/protocol-overview.html#PROTOCOL-VERSIONS
 */
export const ProtocolVersion = {
  /** Protocol 3.0 = 196608. */
  V3_0: 196608,
  /** Protocol 3.2 = 196610. */
  V3_2: 196610,
} as const;

/** Builds a protocol version number from its major and minor parts. */
export function protocolVersion(major: number, minor: number): number {
  return ((major & 0xffff) << 16) | (minor & 0xffff);
}

/** The major part of a protocol version number. */
export function protocolMajor(version: number): number {
  return version >>> 16;
}

/** The minor part of a protocol version number. */
export function protocolMinor(version: number): number {
  return version & 0xffff;
}

/** Printable form of a message type byte for error messages (`'Q'`, or `0x07` when not printable). */
export function describeMessageCode(code: number): string {
  return code >= 0x21 && code <= 0x7e
    ? `'${String.fromCharCode(code)}'`
    : `0x${code.toString(16).padStart(2, '0')}`;
}
