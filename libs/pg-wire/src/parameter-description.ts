import { BufferReader } from './buffer-reader.ts';
import { BufferWriter } from './buffer-writer.ts';
import { BackendMessageCode } from './message-codes.ts';

/**
 * Decodes a ParameterDescription body into the parameter type OIDs:
 * https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-PARAMETERDESCRIPTION
 */
export function decodeParameterDescription(payload: Buffer): number[] {
  const reader = new BufferReader(payload, 'ParameterDescription');
  const count = reader.count('parameter');
  const types = new Array<number>(count);
  for (let i = 0; i < count; i++) types[i] = reader.uint32();
  reader.expectEnd();
  return types;
}

/** Encodes a ParameterDescription message. */
export function encodeParameterDescription(typeOids: readonly number[]): Buffer {
  const writer = new BufferWriter(2 + 4 * typeOids.length).int16(typeOids.length);
  for (const oid of typeOids) writer.uint32(oid);
  return writer.message(BackendMessageCode.ParameterDescription);
}
