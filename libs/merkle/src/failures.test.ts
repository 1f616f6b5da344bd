import { GatehouseError } from '@gatehouse/errors';
import { describe, expect, it } from 'vitest';
import {
  InvalidNoteKeyError,
  MalformedCheckpointError,
  MalformedNoteError,
  MerkleError,
  MissingTreeNodeError,
} from './failures.ts';
import { parseCheckpoint } from './checkpoint.ts';

describe('merkle failures', () => {
  it('merkle - failures are GatehouseErrors with their class name, a stable code and a cause', () => {
    const cause = new Error('bad bytes');
    const cases: [MerkleError, string, string][] = [
      [new MalformedNoteError('x', { cause }), 'MalformedNoteError', 'malformed_note'],
      [new MalformedCheckpointError('x', { cause }), 'MalformedCheckpointError', 'malformed_checkpoint'],
      [new InvalidNoteKeyError('x', { cause }), 'InvalidNoteKeyError', 'invalid_note_key'],
      [new MissingTreeNodeError('x', 3, 9, { cause }), 'MissingTreeNodeError', 'missing_tree_node'],
    ];
    for (const [error, name, code] of cases) {
      expect(error).toBeInstanceOf(GatehouseError);
      expect(error).toBeInstanceOf(MerkleError);
      expect(error.name).toBe(name);
      expect(error.code).toBe(code);
      expect(error.cause).toBe(cause);
    }
  });

  it('merkle - a parse failure says what is wrong without echoing the input', () => {
    expect(() => parseCheckpoint('secret-origin\n01\nAAAA\n')).toThrow(
      'checkpoint size is not a decimal integer below 2^53 without leading zeros',
    );
  });
});
