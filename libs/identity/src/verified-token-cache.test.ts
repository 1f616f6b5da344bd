import { describe, expect, it } from 'vitest';
import type { VerifiedIdentity } from './verified-identity.ts';
import { VerifiedTokenCache } from './verified-token-cache.ts';

function identity(subject: string, expiresAtMs: number): VerifiedIdentity {
  return {
    subject,
    groups: ['pipelines'],
    issuer: 'http://127.0.0.1:8090',
    tokenId: `jti-${subject}`,
    expiresAt: new Date(expiresAtMs),
    issuedAt: new Date(expiresAtMs - 600_000),
  };
}

describe('VerifiedTokenCache', () => {
  it('VerifiedTokenCache - returns an entry until its expiry, then drops it', () => {
    const cache = new VerifiedTokenCache(4);
    cache.set('d1', identity('a', 10_000));
    expect(cache.get('d1', 9_999)?.subject).toBe('a');
    expect(cache.get('d1', 10_000)).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(cache.get('missing', 0)).toBeUndefined();
  });

  it('VerifiedTokenCache - evicts the least recently used entry when full', () => {
    const cache = new VerifiedTokenCache(2);
    cache.set('d1', identity('a', 10_000));
    cache.set('d2', identity('b', 10_000));
    expect(cache.get('d1', 0)?.subject).toBe('a');
    cache.set('d3', identity('c', 10_000));
    expect(cache.size).toBe(2);
    expect(cache.get('d2', 0)).toBeUndefined();
    expect(cache.get('d1', 0)?.subject).toBe('a');
    expect(cache.get('d3', 0)?.subject).toBe('c');
  });

  it('VerifiedTokenCache - hands out copies so callers cannot alter cached identities', () => {
    const cache = new VerifiedTokenCache(1);
    const original = identity('a', 10_000);
    cache.set('d1', original);
    original.groups.push('approvers');
    const first = cache.get('d1', 0);
    first?.groups.push('auditors');
    first?.expiresAt.setTime(99_999);
    expect(cache.get('d1', 0)).toEqual(identity('a', 10_000));
  });

  it('VerifiedTokenCache - refuses a size below one', () => {
    expect(() => new VerifiedTokenCache(0)).toThrow('cache size must be a positive integer, got 0');
  });
});
