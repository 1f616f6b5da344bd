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

  it('auth-failure-limiter - the window slides: the oldest of the newest `limit` failures decides', () => {
    const limiter = new AuthFailureLimiter(2, 1000);
    // Failures beyond the limit (attempts already in flight) keep the address refused longer.
    for (const time of [0, 100, 200, 300]) limiter.fail('10.0.0.1', time);
    expect(limiter.allowed('10.0.0.1', 1199)).toBe(false);
    expect(limiter.allowed('10.0.0.1', 1200)).toBe(true);
  });

  it('auth-failure-limiter - forgets nothing about an address it is still limiting when others fail', () => {
    const limiter = new AuthFailureLimiter(1, 60_000);
    limiter.fail('10.0.0.1', 0);
    for (let index = 0; index < 1000; index += 1) limiter.fail(`10.1.${index >> 8}.${index & 255}`, 1);
    expect(limiter.size).toBe(1001);
    expect(limiter.allowed('10.0.0.1', 2)).toBe(false);
  });
});
