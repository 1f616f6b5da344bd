import {
  BackendMessageCode,
  decodeDiagnostic,
  encodeErrorResponse,
  encodeNoticeResponse,
  type Diagnostic,
  type Frame,
} from '@gatehouse/pg-wire';
import { decodeNotificationResponse, encodeNotificationResponse } from './notification-response.ts';

/**
 * Fields of an ErrorResponse or NoticeResponse that may quote data: the message
 * (`invalid input syntax for type integer: "<value>"`), the detail (`Key (email)=(<value>)
 * already exists.`), the hint, the context (PL/pgSQL lines, RAISE arguments) and the internal
 * query. The others are names, numbers and server source locations.
 * https://www.postgresql.org/docs/current/protocol-error-fields.html
 */
const TEXT_FIELDS = ['message', 'detail', 'hint', 'where', 'internalQuery'] as const;

type TextField = (typeof TEXT_FIELDS)[number];

/** The free text of an ErrorResponse, NoticeResponse or NotificationResponse, and how to put it back. */
export interface MessageText {
  /** The texts to mask, one per field (sent to masking as output lines). */
  readonly lines: readonly string[];
  /** The message with `masked` (one per line) in place of the texts; every other field as it was. */
  rebuild(masked: readonly string[]): Buffer;
  /** The message with its texts withheld, because masking could not check them; `reason` never holds a value. */
  withhold(reason: string): Buffer;
}

/**
 * The maskable text of an ErrorResponse, NoticeResponse or NotificationResponse frame, or
 * undefined when it carries none (or is another message).
 */
export function messageText(frame: Frame): MessageText | undefined {
  switch (frame.code) {
    case BackendMessageCode.ErrorResponse:
    case BackendMessageCode.NoticeResponse:
      return diagnosticText(frame.code, decodeDiagnostic(frame.payload()));
    case BackendMessageCode.NotificationResponse: {
      const notification = decodeNotificationResponse(frame.payload());
      if (notification.payload === '') return undefined;
      return {
        lines: [notification.payload],
        rebuild: ([payload]) => encodeNotificationResponse({ ...notification, payload: payload ?? '' }),
        withhold: () =>
          encodeNotificationResponse({
            ...notification,
            payload: 'Gatehouse withheld this payload: masking could not check it for personal data',
          }),
      };
    }
    default:
      return undefined;
  }
}

function diagnosticText(code: number, diagnostic: Diagnostic): MessageText | undefined {
  const fields: TextField[] = [];
  const lines: string[] = [];
  for (const field of TEXT_FIELDS) {
    const value = diagnostic[field];
    if (value !== undefined && value !== '') {
      fields.push(field);
      lines.push(value);
    }
  }
  if (lines.length === 0) return undefined;
  const encode = code === BackendMessageCode.ErrorResponse ? encodeErrorResponse : encodeNoticeResponse;
  const kind = code === BackendMessageCode.ErrorResponse ? 'error' : 'notice';
  return {
    lines,
    rebuild(masked) {
      const out: { -readonly [K in keyof Diagnostic]: Diagnostic[K] } = { ...diagnostic };
      fields.forEach((field, i) => (out[field] = masked[i] ?? ''));
      return encode(out);
    },
    withhold(reason) {
      // Same severity, SQLSTATE, position and names: the client still sees what kind of failure it was.
      const out: { -readonly [K in keyof Diagnostic]: Diagnostic[K] } = { ...diagnostic };
      for (const field of TEXT_FIELDS) delete out[field];
      out.message = `Gatehouse withheld the text of this ${kind}: masking could not check it for personal data (${reason})`;
      return encode(out);
    },
  };
}
