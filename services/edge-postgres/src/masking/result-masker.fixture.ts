// Test harness of the result masker (unit tests only): a ResultMasker over the in-process
// LocalMaskingBackend, with helpers that play the relay (admit, forward client messages, push
// upstream bytes, pull what the client would get) and show frames as short strings.
import { createLogger } from '@gatehouse/logging';
import {
  BackendMessageCode,
  DataRowCells,
  decodeDiagnostic,
  encodeBind,
  encodeCommandComplete,
  encodeDataRow,
  encodeDescribe,
  encodeExecute,
  encodeParse,
  encodeQuery,
  encodeReadyForQuery,
  MessageFramer,
  MessageSource,
  Severity,
  TransactionStatus,
  type CellValue,
  type Diagnostic,
  type FieldDescription,
  type Frame,
  type TargetKind,
} from '@gatehouse/pg-wire';
import { LocalMaskingBackend } from './local-masking-backend.fixture.ts';
import { decodeNotificationResponse } from './notification-response.ts';
import { ResultMasker, type CountedPoint } from './result-masker.ts';

export const INT4 = 23;
export const TEXT = 25;
export const CUSTOMERS = 16_400;

export function field(name: string, typeOid: number, tableOid = CUSTOMERS, format = 0): FieldDescription {
  return {
    name,
    tableOid,
    columnAttributeNumber: tableOid > 0 ? 1 : 0,
    typeOid,
    typeSize: -1,
    typeModifier: -1,
    format,
  };
}

export const customerFields = [field('id', INT4), field('email', TEXT), field('notes', TEXT)];
export const row = (...cells: CellValue[]) => encodeDataRow(cells);
export const complete = (tag: string) => encodeCommandComplete(tag);
export const ready = () => encodeReadyForQuery(TransactionStatus.Idle);

export interface Harness {
  masker: ResultMasker;
  backend: LocalMaskingBackend;
  framer: MessageFramer;
  readyCalls: number;
  /** Frames the relay would get now. */
  pull(head?: object): Frame[];
  /** The relay forwards client messages upstream (statements with `admit` first). */
  client(...messages: Buffer[]): void;
  /** The relay admits and forwards a simple Query in sync point `point`. */
  query(point: object, profile: string | undefined, text: string): void;
  /** The relay admits and forwards a Parse in sync point `point`. */
  parse(point: object, profile: string | undefined, name: string, text: string): void;
  /** Pulls (letting masking answer in between) until a ReadyForQuery came out or nothing moves. */
  drain(head?: object): Promise<Frame[]>;
}

/** A sync point as the relay keeps it (the masker keys on its identity and reads its counts). */
export const syncPoint = (): CountedPoint => ({ rows: 0, commands: [] });

export function harness(
  options: { batchRows?: number; batchBytes?: number; maxInFlight?: number } = {},
): Harness {
  const backend = new LocalMaskingBackend();
  const framer = new MessageFramer({ source: MessageSource.Backend });
  const state: Harness = {
    backend,
    framer,
    readyCalls: 0,
    masker: new ResultMasker({
      backend,
      target: 'demo',
      logger: createLogger({ service: 'test', level: 'silent' }),
      onReady: () => state.readyCalls++,
      batchRows: options.batchRows ?? 100,
      batchBytes: options.batchBytes ?? 1 << 20,
      maxInFlight: options.maxInFlight ?? 2,
    }),
    pull(head?: object) {
      const out: Frame[] = [];
      let frame: Frame | null;
      while ((frame = state.masker.next(framer, head)) !== null) out.push(frame);
      return out;
    },
    client(...messages: Buffer[]) {
      for (const message of messages) state.masker.forwarded(message);
    },
    query(point, profile, text) {
      state.masker.admitted(point, profile, text);
      state.masker.forwarded(encodeQuery(text));
    },
    parse(point, profile, name, text) {
      state.masker.admitted(point, profile, text);
      state.masker.forwarded(encodeParse({ statement: name, query: text, parameterTypes: [] }));
    },
    async drain(head?: object) {
      const out: Frame[] = [];
      for (let i = 0; i < 20; i++) {
        out.push(...state.pull(head));
        if (out.some((frame) => frame.code === BackendMessageCode.ReadyForQuery) && !state.masker.holding)
          break;
        await settle();
      }
      return out;
    },
  };
  return state;
}

/** One line per frame: its type, and for DataRows and CopyData their cells or text. */
export function show(frames: readonly Frame[]): string[] {
  return frames.map((frame) => {
    const type = String.fromCharCode(frame.code);
    if (frame.code === BackendMessageCode.DataRow) {
      const cells = DataRowCells.of(frame.message());
      return `D ${Array.from({ length: cells.count }, (_, i) => cells.text(i) ?? 'NULL').join(' | ')}`;
    }
    if (frame.code === BackendMessageCode.CopyData) return `d ${frame.payload().toString()}`;
    if (frame.code === BackendMessageCode.ErrorResponse || frame.code === BackendMessageCode.NoticeResponse) {
      const diagnostic = decodeDiagnostic(frame.payload());
      return `${type} ${diagnostic.code} ${diagnostic.message}`;
    }
    if (frame.code === BackendMessageCode.NotificationResponse)
      return `A ${decodeNotificationResponse(frame.payload()).payload}`;
    return type;
  });
}

export const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
export const sent = (frames: readonly Frame[]) =>
  Buffer.concat(frames.map((frame) => frame.message())).toString('latin1');
export const diagnostic = (fields: Partial<Diagnostic> & { code: string; message: string }): Diagnostic => ({
  severity: Severity.Error,
  severityNonLocalized: Severity.Error,
  ...fields,
});
export const WITHHELD =
  'No unmasked value was sent: rows of this result already sent were masked, its other rows and every later result of the same request were withheld. Later statements of the request were still sent to the server and may have run.';
export const NO_DESCRIPTION =
  'E 0A000 Gatehouse refused this result: rows arrived without a RowDescription to plan their masking from (Describe the portal or its statement before Execute)';
export const emailField = (format = 0) => field('email', TEXT, CUSTOMERS, format);
export const describeMessage = (kind: TargetKind, name: string) => encodeDescribe({ kind, name });
export const bind = (portal: string, statement: string, resultFormats: number[] = []) =>
  encodeBind({ portal, statement, parameterFormats: [], parameters: [], resultFormats });
export const execute = (portal = '', maxRows = 0) => encodeExecute({ portal, maxRows });
