import { describe, expect, it } from 'vitest';
import { AuthFailureLimiter } from './auth-failure-limiter.ts';

describe('AuthFailureLimiter', () => {
  it('auth-failure-limiter - refuses an address after `limit` failures within the window', () => {
    const limiter = new AuthFailureLimiter(3, 1000);
    for (let index = 0; index < 3; index += 1) {
      expect(limiter.allowed('10.0.0.1', 100)).toBe(true);
      limiter.fail('10.0.0.1', 100);
    }
    expect(limiter.allowed('10.0.0.1', 100)).toBe(false);
    expect(limiter.allowed('10.0.0.2', 100)).toBe(true);
  });

  it('auth-failure-limiter - lets the address try again once the window has passed', () => {
    const limiter = new AuthFailureLimiter(1, 1000);
    limiter.fail('10.0.0.1', 0);
    expect(limiter.allowed('10.0.0.1', 999)).toBe(false);
    expect(limiter.allowed('10.0.0.1', 1000)).toBe(true);
  });
});
