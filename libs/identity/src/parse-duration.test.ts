import { describe, expect, it } from 'vitest';
import { parseDuration } from './parse-duration.ts';

describe('parseDuration', () => {
  it('parseDuration - reads seconds, minutes, hours and bare seconds', () => {
    expect(parseDuration('90s')).toBe(90);
    expect(parseDuration('10m')).toBe(600);
    expect(parseDuration('1h')).toBe(3600);
    expect(parseDuration('3600')).toBe(3600);
    expect(parseDuration(' 5m ')).toBe(300);
    expect(parseDuration('0')).toBe(0);
  });

  it('parseDuration - rejects anything but a whole number with an optional s, m or h', () => {
    for (const text of ['', 'm', '10x', '-5', '1.5h', '1h30m', '10 m', '10M', '1d', '1234567890']) {
      expect(() => parseDuration(text)).toThrow(RangeError);
    }
    expect(() => parseDuration('10x')).toThrow(
      'invalid duration "10x": use whole seconds or a number with s, m or h (90s, 10m, 1h)',
    );
  });
});
