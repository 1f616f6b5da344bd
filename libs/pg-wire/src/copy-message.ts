import { BufferReader } from './buffer-reader.ts';
import { BufferWriter } from './buffer-writer.ts';
import { BackendMessageCode, FrontendMessageCode } from './message-codes.ts';

/**
 * CopyInResponse / CopyOutResponse body (identical layout):
 * https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-COPYINRESPONSE
 */
export interface CopyResponse {
  /** Overall format: 0 text (rows separated by newlines), 1 binary. */
  readonly format: number;
  /** Per-column format codes; all zero when `format` is text. */
  readonly columnFormats: readonly number[];
}

/** CopyFail: https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-COPYFAIL */
export interface CopyFailMessage {
  /** The client's reason for aborting COPY FROM STDIN. */
  readonly message: string;
}

/** Decodes a CopyInResponse or CopyOutResponse body. */
export function decodeCopyResponse(payload: Buffer): CopyResponse {
  const reader = new BufferReader(payload, 'CopyResponse');
  const format = reader.byte();
  const count = reader.count('column');
  const columnFormats = new Array<number>(count);
  for (let i = 0; i < count; i++) columnFormats[i] = reader.int16();
  reader.expectEnd();
  return { format, columnFormats };
}

/** Encodes a CopyInResponse (server ready to receive COPY FROM STDIN data). */
export function encodeCopyInResponse(response: CopyResponse): Buffer {
  return encodeCopyResponse(BackendMessageCode.CopyInResponse, response);
}

/** Encodes a CopyOutResponse (server about to send COPY TO STDOUT data). */
export function encodeCopyOutResponse(response: CopyResponse): Buffer {
  return encodeCopyResponse(BackendMessageCode.CopyOutResponse, response);
}

/** Decodes a CopyFail body. */
export function decodeCopyFail(payload: Buffer): CopyFailMessage {
  const reader = new BufferReader(payload, 'CopyFail');
  const message = reader.cstring();
  reader.expectEnd();
  return { message };
}

/** Encodes a CopyFail message. */
export function encodeCopyFail(message: string): Buffer {
  return new BufferWriter(Buffer.byteLength(message) + 1)
    .cstring(message)
    .message(FrontendMessageCode.CopyFail);
}

/** Encodes a CopyData message (same type byte in both directions). */
export function encodeCopyData(data: Uint8Array): Buffer {
  return new BufferWriter(data.length).bytes(data).message(FrontendMessageCode.CopyData);
}

function encodeCopyResponse(code: number, response: CopyResponse): Buffer {
  const writer = new BufferWriter(3 + 2 * response.columnFormats.length)
    .byte(response.format)
    .int16(response.columnFormats.length);
  for (const format of response.columnFormats) writer.int16(format);
  return writer.message(code);
}
