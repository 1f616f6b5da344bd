import { BufferReader } from './buffer-reader.ts';
import { BufferWriter } from './buffer-writer.ts';
import { BackendMessageCode } from './message-codes.ts';

/**
 * Transaction status carried by ReadyForQuery:
 * https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-READYFORQUERY
 */
export const TransactionStatus = {
  /** 'I': not in a transaction block. */
  Idle: 'I',
  /** 'T': in a transaction block. */
  InTransaction: 'T',
  /** 'E': in a failed transaction block (statements rejected until it ends). */
  Failed: 'E',
} as const;

/** A transaction status. */
export type TransactionStatus = (typeof TransactionStatus)[keyof typeof TransactionStatus];

const statuses: ReadonlySet<string> = new Set(Object.values(TransactionStatus));

/** True when `value` is a known transaction status. */
export function isTransactionStatus(value: string): value is TransactionStatus {
  return statuses.has(value);
}

/** Decodes a ReadyForQuery body into its transaction status. */
export function decodeReadyForQuery(payload: Buffer): TransactionStatus {
  const reader = new BufferReader(payload, 'ReadyForQuery');
  const status = String.fromCharCode(reader.byte());
  reader.expectEnd();
  if (!isTransactionStatus(status)) throw reader.violation(`unknown transaction status '${status}'`);
  return status;
}

/** Encodes a ReadyForQuery message. */
export function encodeReadyForQuery(status: TransactionStatus): Buffer {
  return new BufferWriter(1).byte(status.charCodeAt(0)).message(BackendMessageCode.ReadyForQuery);
}
