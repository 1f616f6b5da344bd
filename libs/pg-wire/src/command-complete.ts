import { BufferReader } from './buffer-reader.ts';
import { BufferWriter } from './buffer-writer.ts';
import { BackendMessageCode } from './message-codes.ts';

/**
 * Commands whose tag ends in a row count:
 * https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-COMMANDCOMPLETE
 * INSERT additionally carries an OID (always 0 since PostgreSQL 12) before the count.
 */
const countingCommands: ReadonlySet<string> = new Set([
  'INSERT',
  'DELETE',
  'UPDATE',
  'MERGE',
  'SELECT',
  'MOVE',
  'FETCH',
  'COPY',
]);

/** A decoded CommandComplete tag. */
export interface CommandComplete {
  /** The tag as sent, e.g. `INSERT 0 3`, `CREATE TABLE`. */
  readonly tag: string;
  /** The command word(s) without counts, e.g. `INSERT`, `CREATE TABLE`. */
  readonly command: string;
  /** Rows affected or returned, for commands that report it (exact up to 2^53). */
  readonly rows: number | undefined;
}

/** Splits a command tag into command and row count. */
export function parseCommandTag(tag: string): CommandComplete {
  const words = tag.split(' ');
  const command = words[0]!;
  const expectedWords = command === 'INSERT' ? 3 : 2;
  const last = words[words.length - 1]!;
  if (countingCommands.has(command) && words.length === expectedWords && /^\d+$/.test(last)) {
    return { tag, command, rows: Number(last) };
  }
  return { tag, command: tag, rows: undefined };
}

/** Builds the tag for a command and row count (`INSERT 0 n` for INSERT). */
export function commandTag(command: string, rows?: number): string {
  if (rows === undefined) return command;
  return command === 'INSERT' ? `INSERT 0 ${rows}` : `${command} ${rows}`;
}

/** Decodes a CommandComplete body. */
export function decodeCommandComplete(payload: Buffer): CommandComplete {
  const reader = new BufferReader(payload, 'CommandComplete');
  const tag = reader.cstring();
  reader.expectEnd();
  return parseCommandTag(tag);
}

/** Encodes a CommandComplete message with the given tag. */
export function encodeCommandComplete(tag: string): Buffer {
  return new BufferWriter(Buffer.byteLength(tag) + 1)
    .cstring(tag)
    .message(BackendMessageCode.CommandComplete);
}
