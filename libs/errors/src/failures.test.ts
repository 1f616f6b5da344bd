import { describe, expect, it } from 'vitest';
import { DeadlineExceededError, DependencyUnavailableError, PolicyDeniedError } from './index.ts';

describe('errors', () => {
  it('errors - carry their class name, code and cause', () => {
    const cause = new Error('socket closed');
    const error = new DeadlineExceededError('authz did not answer in 2000 ms', 'authz', { cause });
    expect(error.name).toBe('DeadlineExceededError');
    expect(error.code).toBe('deadline_exceeded');
    expect(error.dependency).toBe('authz');
    expect(error.cause).toBe(cause);
    expect(error).toBeInstanceOf(DependencyUnavailableError);
  });

  it('errors - a policy denial names its rule', () => {
    const error = new PolicyDeniedError('DROP is denied', 'deny-ddl');
    expect(error.rule).toBe('deny-ddl');
    expect(error.code).toBe('policy_denied');
  });
});
