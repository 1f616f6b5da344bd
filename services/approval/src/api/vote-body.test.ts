import { InvalidMessageError } from '@gatehouse/errors';
import { describe, expect, it } from 'vitest';
import { parseVoteBody } from './vote-body.ts';

function problemsOf(value: unknown): string[] {
  try {
    parseVoteBody(value);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidMessageError);
    return [...(error as InvalidMessageError).problems];
  }
  throw new Error('expected the body to be refused');
}

describe('vote body', () => {
  it('vote body - an absent body or an empty object means no comment', () => {
    expect(parseVoteBody(undefined)).toEqual({ comment: null });
    expect(parseVoteBody(null)).toEqual({ comment: null });
    expect(parseVoteBody({})).toEqual({ comment: null });
    expect(parseVoteBody({ comment: '' })).toEqual({ comment: null });
  });

  it('vote body - keeps a comment of up to 1000 characters', () => {
    expect(parseVoteBody({ comment: 'ticket OPS-7' })).toEqual({ comment: 'ticket OPS-7' });
    expect(parseVoteBody({ comment: 'x'.repeat(1000) }).comment).toHaveLength(1000);
  });

  it('vote body - refuses a longer comment, a non-string comment, unknown fields and non-objects', () => {
    expect(problemsOf({ comment: 'x'.repeat(1001) })).toEqual([
      'comment: must be a string of at most 1000 characters',
    ]);
    expect(problemsOf({ comment: 7 })).toEqual(['comment: must be a string of at most 1000 characters']);
    expect(problemsOf({ comment: 'ok', vote: 'approve' })).toEqual(['"vote": unknown field']);
    expect(problemsOf(['comment'])).toEqual(['body: must be an object']);
    expect(problemsOf('approve')).toEqual(['body: must be an object']);
  });
});
