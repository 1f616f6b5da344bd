import { BufferReader } from './buffer-reader.ts';

/**
 * FunctionCall (https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-FUNCTIONCALL)
 * runs a function by OID without any SQL text, so no statement policy can judge it; the edge only
 * needs to recognise it (by type byte) and name the function in evidence before refusing it.
 */
export interface FunctionCallMessage {
  /** OID of the function to call. */
  readonly functionOid: number;
}

/** Decodes the function OID of a FunctionCall body; the arguments are left unread. */
export function decodeFunctionCall(payload: Buffer): FunctionCallMessage {
  return { functionOid: new BufferReader(payload, 'FunctionCall').uint32() };
}
