import { BufferReader } from './buffer-reader.ts';
import { BufferWriter } from './buffer-writer.ts';
import { FrontendMessageCode } from './message-codes.ts';

/** What a Describe or Close names: a prepared statement or a portal. */
export const TargetKind = {
  /** 'S': a prepared statement. */
  Statement: 'S',
  /** 'P': a portal. */
  Portal: 'P',
} as const;

/** A Describe/Close target kind. */
export type TargetKind = (typeof TargetKind)[keyof typeof TargetKind];

/**
 * Describe (https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-DESCRIBE)
 * and Close (https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-CLOSE)
 * share one body: Byte1 kind, String name.
 */
export interface TargetMessage {
  /** Statement or portal. */
  readonly kind: TargetKind;
  /** Its name; `''` is the unnamed one. */
  readonly name: string;
}

/** Decodes a Describe body. */
export function decodeDescribe(payload: Buffer): TargetMessage {
  return decodeTarget(new BufferReader(payload, 'Describe'));
}

/** Decodes a Close body. */
export function decodeClose(payload: Buffer): TargetMessage {
  return decodeTarget(new BufferReader(payload, 'Close'));
}

/** Encodes a Describe message. */
export function encodeDescribe(target: TargetMessage): Buffer {
  return encodeTarget(FrontendMessageCode.Describe, target);
}

/** Encodes a Close message. */
export function encodeClose(target: TargetMessage): Buffer {
  return encodeTarget(FrontendMessageCode.Close, target);
}

function decodeTarget(reader: BufferReader): TargetMessage {
  const byte = reader.byte();
  const kind = byte === 0x53 ? TargetKind.Statement : byte === 0x50 ? TargetKind.Portal : undefined;
  if (kind === undefined) throw reader.violation(`unknown target type 0x${byte.toString(16)}`);
  const name = reader.cstring();
  reader.expectEnd();
  return { kind, name };
}

function encodeTarget(code: number, target: TargetMessage): Buffer {
  return new BufferWriter(Buffer.byteLength(target.name) + 2)
    .byte(target.kind.charCodeAt(0))
    .cstring(target.name)
    .message(code);
}
