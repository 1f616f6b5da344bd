import { describe, expect, it } from 'vitest';
import { ClassificationCache } from './classification-cache.ts';

describe('ClassificationCache', () => {
  it('classification-cache - evicts the least recently used entry when full', () => {
    const cache = new ClassificationCache<number>(2, 100);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // `b` is now the least recent
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
  });

  it('classification-cache - replacing a key keeps one entry', () => {
    const cache = new ClassificationCache<number>(2, 100);
    cache.set('a', 1);
    cache.set('a', 2);
    expect(cache.size).toBe(1);
    expect(cache.get('a')).toBe(2);
  });

  it('classification-cache - does not keep keys longer than the limit, nor anything when disabled', () => {
    const cache = new ClassificationCache<number>(10, 3);
    cache.set('abcd', 1);
    cache.set('abc', 2);
    expect(cache.get('abcd')).toBeUndefined();
    expect(cache.get('abc')).toBe(2);
    const disabled = new ClassificationCache<number>(0, 100);
    disabled.set('a', 1);
    expect(disabled.size).toBe(0);
  });

  it('classification-cache - clear drops every entry', () => {
    const cache = new ClassificationCache<number>(10, 100);
    cache.set('a', 1);
    cache.clear();
    expect(cache.get('a')).toBeUndefined();
  });

  it('classification-cache - rejects a negative or fractional size', () => {
    expect(() => new ClassificationCache<number>(-1, 100)).toThrow(RangeError);
    expect(() => new ClassificationCache<number>(1.5, 100)).toThrow(RangeError);
  });
});
