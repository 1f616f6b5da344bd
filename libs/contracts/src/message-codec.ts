import { InvalidMessageError } from '@gatehouse/errors';
import { messageValidators } from './generated/message-validators.ts';
import type { MessageOf, MessageType } from './message-types.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Validates a message against the schema of its declared type; throws InvalidMessageError. */
export function validateMessage<T extends MessageType>(expected: T, value: unknown): MessageOf<T> {
  const declared = (value as { type?: unknown } | null)?.type;
  if (declared !== expected) {
    throw new InvalidMessageError(`expected a ${expected} message`, [
      `type: got ${JSON.stringify(declared)}`,
    ]);
  }
  const validate = messageValidators[expected].validate;
  if (!validate(value)) {
    const problems = (validate.errors ?? []).map(
      (e) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}`,
    );
    throw new InvalidMessageError(`invalid ${expected} message`, problems);
  }
  return value as MessageOf<T>;
}

/** Parses and validates bytes from the bus; anything malformed is an InvalidMessageError. */
export function decodeMessage<T extends MessageType>(expected: T, bytes: Uint8Array): MessageOf<T> {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(bytes));
  } catch (cause) {
    throw new InvalidMessageError(`a ${expected} message is not valid UTF-8 JSON`, [], { cause });
  }
  return validateMessage(expected, value);
}

/** Serializes a message for the bus. */
export function encodeMessage(message: { type: MessageType }): Uint8Array {
  return encoder.encode(JSON.stringify(message));
}
