import { BufferReader } from './buffer-reader.ts';
import { BufferWriter } from './buffer-writer.ts';
import { BackendMessageCode } from './message-codes.ts';

/** Severity words of ErrorResponse (ERROR, FATAL, PANIC) and NoticeResponse (the others). */
export const Severity = {
  /** The statement failed; the session continues. */
  Error: 'ERROR',
  /** The session ends after this message. */
  Fatal: 'FATAL',
  /** The whole server is going down. */
  Panic: 'PANIC',
  /** Notice: a warning. */
  Warning: 'WARNING',
  /** Notice: informational. */
  Notice: 'NOTICE',
  /** Notice: debugging output. */
  Debug: 'DEBUG',
  /** Notice: information explicitly requested by the user. */
  Info: 'INFO',
  /** Notice: server log output sent to the client. */
  Log: 'LOG',
} as const;

/** A severity word. */
export type Severity = (typeof Severity)[keyof typeof Severity];

/**
 * Fields of ErrorResponse and NoticeResponse, each tagged by one byte:
 * https://www.postgresql.org/docs/current/protocol-error-fields.html
 * The list order is the order PostgreSQL writes them in, and drives both encoding and decoding.
 */
const fieldTags = [
  ['severity', 'S'],
  ['severityNonLocalized', 'V'],
  ['code', 'C'],
  ['message', 'M'],
  ['detail', 'D'],
  ['hint', 'H'],
  ['position', 'P'],
  ['internalPosition', 'p'],
  ['internalQuery', 'q'],
  ['where', 'W'],
  ['schema', 's'],
  ['table', 't'],
  ['column', 'c'],
  ['dataType', 'd'],
  ['constraint', 'n'],
  ['file', 'F'],
  ['line', 'L'],
  ['routine', 'R'],
] as const;

/** Name of a diagnostic field in {@link Diagnostic}. */
export type DiagnosticFieldName = (typeof fieldTags)[number][0];

/** Tag byte (as a one-character string) of each diagnostic field. */
export const DiagnosticFieldTag = Object.fromEntries(fieldTags) as {
  readonly [K in (typeof fieldTags)[number] as K[0]]: K[1];
};

const nameByTag: ReadonlyMap<number, DiagnosticFieldName> = new Map(
  fieldTags.map(([name, tag]) => [tag.charCodeAt(0), name]),
);

/**
 * The fields of an ErrorResponse or NoticeResponse. `severity`, `code` and `message` are always
 * present in what PostgreSQL sends; the rest are optional. Values are text: position and line are
 * decimal strings on the wire and are kept that way so re-encoding is exact.
 */
export interface Diagnostic {
  /** S: severity, possibly localized. */
  readonly severity: string;
  /** V: severity, never localized (PostgreSQL 9.6+). */
  readonly severityNonLocalized?: string;
  /** C: SQLSTATE code. */
  readonly code: string;
  /** M: primary human-readable message. */
  readonly message: string;
  /** D: detail; may carry data values (e.g. a duplicate key), so masking looks at it. */
  readonly detail?: string;
  /** H: hint. */
  readonly hint?: string;
  /** P: 1-based character position in the query string. */
  readonly position?: string;
  /** p: position in an internally generated query. */
  readonly internalPosition?: string;
  /** q: the internally generated query. */
  readonly internalQuery?: string;
  /** W: context (call stack). */
  readonly where?: string;
  /** s: schema name. */
  readonly schema?: string;
  /** t: table name. */
  readonly table?: string;
  /** c: column name. */
  readonly column?: string;
  /** d: data type name. */
  readonly dataType?: string;
  /** n: constraint name. */
  readonly constraint?: string;
  /** F: server source file. */
  readonly file?: string;
  /** L: server source line. */
  readonly line?: string;
  /** R: server source routine. */
  readonly routine?: string;
}

/**
 * Decodes the body of an ErrorResponse or NoticeResponse. Fields of unknown type are skipped, as
 * the protocol requires of frontends; missing S/C/M decode as empty strings.
 */
export function decodeDiagnostic(payload: Buffer): Diagnostic {
  const reader = new BufferReader(payload, 'ErrorResponse/NoticeResponse');
  const fields: { -readonly [K in keyof Diagnostic]?: string } = {};
  for (let tag = reader.byte(); tag !== 0; tag = reader.byte()) {
    const value = reader.cstring();
    const name = nameByTag.get(tag);
    if (name !== undefined) fields[name] = value;
  }
  reader.expectEnd();
  return {
    ...fields,
    severity: fields.severity ?? '',
    code: fields.code ?? '',
    message: fields.message ?? '',
  };
}

/** Encodes an ErrorResponse: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-ERRORRESPONSE */
export function encodeErrorResponse(diagnostic: Diagnostic): Buffer {
  return encodeDiagnostic(BackendMessageCode.ErrorResponse, diagnostic);
}

/** Encodes a NoticeResponse: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-NOTICERESPONSE */
export function encodeNoticeResponse(diagnostic: Diagnostic): Buffer {
  return encodeDiagnostic(BackendMessageCode.NoticeResponse, diagnostic);
}

function encodeDiagnostic(code: number, diagnostic: Diagnostic): Buffer {
  const writer = new BufferWriter(128);
  for (const [name, tag] of fieldTags) {
    const value = diagnostic[name];
    if (value !== undefined) writer.byte(tag.charCodeAt(0)).cstring(value);
  }
  return writer.byte(0).message(code);
}
