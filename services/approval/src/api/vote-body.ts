import { InvalidMessageError } from '@gatehouse/errors';

/** Longest comment an approver may leave. */
export const maxCommentLength = 1000;

/** The body of POST /v1/requests/:id/approve and /reject. */
export interface VoteBody {
  /** Why the approver decided so; null when none was given. */
  comment: string | null;
}

/**
 * Validates an untrusted vote body: absent, or a JSON object whose only field is an optional
 * `comment` string. Unknown fields are refused so a typo is not silently ignored.
 * @throws InvalidMessageError listing every problem (problems never echo values).
 */
export function parseVoteBody(value: unknown): VoteBody {
  if (value === undefined || value === null) return { comment: null };
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidMessageError('the vote body must be a JSON object', ['body: must be an object']);
  }
  const body = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const field of Object.keys(body)) {
    if (field !== 'comment') problems.push(`${JSON.stringify(field).slice(0, 40)}: unknown field`);
  }
  const { comment } = body;
  if (comment !== undefined && (typeof comment !== 'string' || comment.length > maxCommentLength)) {
    problems.push(`comment: must be a string of at most ${maxCommentLength} characters`);
  }
  if (problems.length > 0) throw new InvalidMessageError('invalid vote body', problems);
  return { comment: typeof comment === 'string' && comment.length > 0 ? comment : null };
}
