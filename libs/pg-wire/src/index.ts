// @gatehouse/pg-wire: the PostgreSQL v3 wire codec of the gateway's PostgreSQL edge, in layers
// (as nats.js splits transport, parser and protocol): byte reader/writer -> framers (startup
// packets, tagged messages; synchronous, zero-copy) -> per-message codecs -> DataRow cell access
// -> mapping of typed failures to ErrorResponse fields. Pure: bytes in, bytes or values out.
export {
  AuthenticationType,
  BackendMessageCode,
  describeMessageCode,
  FrontendMessageCode,
  protocolMajor,
  protocolMinor,
  protocolVersion,
  ProtocolVersion,
  StartupRequestCode,
} from './message-codes.ts';
export { BufferReader } from './buffer-reader.ts';
export { BufferWriter } from './buffer-writer.ts';
export { Frame, MESSAGE_HEADER_LENGTH } from './frame.ts';
export {
  DEFAULT_MAX_MESSAGE_SIZE,
  MessageFramer,
  MessageSource,
  type MessageFramerOptions,
} from './message-framer.ts';
export {
  isTlsHandshake,
  MAX_STARTUP_PACKET_LENGTH,
  StartupFramer,
  type StartupFramerOptions,
} from './startup-framer.ts';
export {
  CancelKeyLength,
  decodeStartupPacket,
  encodeCancelRequest,
  encodeGssEncRequest,
  encodeSslRequest,
  encodeStartupMessage,
  NEWEST_MINOR_VERSION,
  PROTOCOL_OPTION_PREFIX,
  StartupPacketKind,
  type CancelRequest,
  type GssEncRequest,
  type ProtocolNegotiation,
  type SslRequest,
  type StartupDecodeOptions,
  type StartupMessage,
  type StartupMessageInit,
  type StartupPacket,
} from './startup-message.ts';
export { UnsupportedProtocolVersionError } from './unsupported-protocol-version-error.ts';
export { EncryptionResponse, encodeEncryptionResponse } from './encryption-response.ts';
export { decodeQuery, encodeQuery, type QueryMessage } from './query-message.ts';
export { decodeParse, encodeParse, type ParseMessage } from './parse-message.ts';
export { decodeBind, encodeBind, FormatCode, formatCodeAt, type BindMessage } from './bind-message.ts';
export {
  decodeClose,
  decodeDescribe,
  encodeClose,
  encodeDescribe,
  TargetKind,
  type TargetMessage,
} from './describe-close-message.ts';
export { decodeExecute, encodeExecute, type ExecuteMessage } from './execute-message.ts';
export {
  decodePasswordMessage,
  decodeSaslInitialResponse,
  decodeSaslResponse,
  encodePasswordMessage,
  encodeSaslInitialResponse,
  encodeSaslResponse,
  type PasswordMessage,
  type SaslInitialResponse,
  type SaslResponse,
} from './password-message.ts';
export {
  decodeCopyFail,
  decodeCopyResponse,
  encodeCopyData,
  encodeCopyFail,
  encodeCopyInResponse,
  encodeCopyOutResponse,
  type CopyFailMessage,
  type CopyResponse,
} from './copy-message.ts';
export { decodeFunctionCall, type FunctionCallMessage } from './function-call.ts';
export {
  encodeBindComplete,
  encodeBodiless,
  encodeCloseComplete,
  encodeCopyDone,
  encodeEmptyQueryResponse,
  encodeFlush,
  encodeNoData,
  encodeParseComplete,
  encodePortalSuspended,
  encodeSync,
  encodeTerminate,
} from './bodiless-message.ts';
export {
  decodeAuthenticationRequest,
  encodeAuthenticationCleartextPassword,
  encodeAuthenticationOk,
  encodeAuthenticationSasl,
  encodeAuthenticationSaslContinue,
  encodeAuthenticationSaslFinal,
  type AuthenticationRequest,
} from './authentication-request.ts';
export { decodeParameterStatus, encodeParameterStatus, type ParameterStatus } from './parameter-status.ts';
export { decodeBackendKeyData, encodeBackendKeyData, type BackendKeyData } from './backend-key-data.ts';
export {
  decodeReadyForQuery,
  encodeReadyForQuery,
  isTransactionStatus,
  TransactionStatus,
} from './ready-for-query.ts';
export {
  decodeDiagnostic,
  DiagnosticFieldTag,
  encodeErrorResponse,
  encodeNoticeResponse,
  Severity,
  type Diagnostic,
  type DiagnosticFieldName,
} from './diagnostic-message.ts';
export {
  decodeNegotiateProtocolVersion,
  encodeNegotiateProtocolVersion,
  type NegotiateProtocolVersion,
} from './negotiate-protocol-version.ts';
export { decodeRowDescription, encodeRowDescription, type FieldDescription } from './row-description.ts';
export { decodeParameterDescription, encodeParameterDescription } from './parameter-description.ts';
export {
  commandTag,
  decodeCommandComplete,
  encodeCommandComplete,
  parseCommandTag,
  type CommandComplete,
} from './command-complete.ts';
export {
  DataRowCells,
  encodeDataRow,
  forEachDataRowCell,
  NULL_CELL_LENGTH,
  rewriteDataRow,
  type CellValue,
} from './data-row.ts';
export { SqlState } from './sql-state.ts';
export { errorResponseFor, INTERNAL_ERROR_MESSAGE, type ErrorResponseOptions } from './error-response.ts';
