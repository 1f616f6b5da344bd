import { describe, expect, it } from 'vitest';
import { AddressRateLimiter } from './address-rate-limiter.ts';

describe('AddressRateLimiter', () => {
  it('address-rate-limiter - allows `limit` events per window and address, then refuses until they age out', () => {
    const limiter = new AddressRateLimiter(3, 1000);
    expect([0, 10, 20, 30].map((t) => limiter.take('10.0.0.1', t))).toEqual([true, true, true, false]);
    expect(limiter.take('10.0.0.2', 30)).toBe(true);
    // Refused events do not count: at 1000 the first event aged out, so one more fits.
    expect(limiter.take('10.0.0.1', 999)).toBe(false);
    expect(limiter.take('10.0.0.1', 1000)).toBe(true);
    expect(limiter.take('10.0.0.1', 1001)).toBe(false);
    expect(limiter.take('10.0.0.1', 1020)).toBe(true);
  });

  it('address-rate-limiter - forgets the oldest address beyond its capacity', () => {
    const limiter = new AddressRateLimiter(1, 60_000, 2);
    expect(limiter.take('a', 0)).toBe(true);
    expect(limiter.take('b', 0)).toBe(true);
    expect(limiter.take('c', 0)).toBe(true);
    // `a` was evicted, so it starts afresh; `c` is still limited.
    expect(limiter.take('a', 1)).toBe(true);
    expect(limiter.take('c', 1)).toBe(false);
  });
});
