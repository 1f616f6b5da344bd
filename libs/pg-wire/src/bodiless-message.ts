import { BackendMessageCode, FrontendMessageCode } from './message-codes.ts';

/**
 * Encodes a message that is only a type byte and the length 4. A fresh buffer each time: callers
 * hand buffers to sockets that may hold them, so shared constants could be mutated under them.
 */
export function encodeBodiless(code: number): Buffer {
  const message = Buffer.allocUnsafe(5);
  message[0] = code;
  message.writeInt32BE(4, 1);
  return message;
}

/** ParseComplete: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-PARSECOMPLETE */
export function encodeParseComplete(): Buffer {
  return encodeBodiless(BackendMessageCode.ParseComplete);
}

/** BindComplete: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-BINDCOMPLETE */
export function encodeBindComplete(): Buffer {
  return encodeBodiless(BackendMessageCode.BindComplete);
}

/** CloseComplete: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-CLOSECOMPLETE */
export function encodeCloseComplete(): Buffer {
  return encodeBodiless(BackendMessageCode.CloseComplete);
}

/** NoData: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-NODATA */
export function encodeNoData(): Buffer {
  return encodeBodiless(BackendMessageCode.NoData);
}

/** EmptyQueryResponse: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-EMPTYQUERYRESPONSE */
export function encodeEmptyQueryResponse(): Buffer {
  return encodeBodiless(BackendMessageCode.EmptyQueryResponse);
}

/** PortalSuspended: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-PORTALSUSPENDED */
export function encodePortalSuspended(): Buffer {
  return encodeBodiless(BackendMessageCode.PortalSuspended);
}

/** CopyDone (both directions): https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-COPYDONE */
export function encodeCopyDone(): Buffer {
  return encodeBodiless(BackendMessageCode.CopyDone);
}

/** Sync: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-SYNC */
export function encodeSync(): Buffer {
  return encodeBodiless(FrontendMessageCode.Sync);
}

/** Flush: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-FLUSH */
export function encodeFlush(): Buffer {
  return encodeBodiless(FrontendMessageCode.Flush);
}

/** Terminate: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-TERMINATE */
export function encodeTerminate(): Buffer {
  return encodeBodiless(FrontendMessageCode.Terminate);
}
