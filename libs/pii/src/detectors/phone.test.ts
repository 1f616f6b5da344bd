import { describe, expect, it } from 'vitest';
import { builtInProfiles, compileProfile, detectEntities } from '../index.ts';
import { isPhoneNumber } from './phone.ts';

const profile = compileProfile(builtInProfiles.strict);
const gb = compileProfile({ ...builtInProfiles.strict, name: 'gb', defaultRegion: 'GB' });
const phones = (text: string, column?: string, p = profile): string[] =>
  detectEntities(text, p, column === undefined ? undefined : { name: column })
    .filter((f) => f.entity === 'phone')
    .map((f) => text.slice(f.start, f.end));

describe('phone', () => {
  it('phone - validates with libphonenumber, national numbers in the default region', () => {
    expect(isPhoneNumber('+14155550123', 'US')).toBe(true);
    expect(isPhoneNumber('(415) 555-0123', 'US')).toBe(true);
    expect(isPhoneNumber('020 7946 0958', 'US')).toBe(false);
    expect(isPhoneNumber('020 7946 0958', 'GB')).toBe(true);
    expect(isPhoneNumber('123456789', 'US')).toBe(false);
  });

  it('phone - finds formatted numbers in free text', () => {
    expect(phones('call (415) 555-0123 today')).toEqual(['(415) 555-0123']);
    expect(phones('cell 415.555.0123, office 1-800-555-0199')).toEqual(['415.555.0123', '1-800-555-0199']);
    expect(phones('UK office +44 20 7946 0958 ext 12')).toEqual(['+44 20 7946 0958']);
    expect(phones('sms +1 415 555 0123 12 items')).toEqual(['+1 415 555 0123']);
  });

  it('phone - takes a bare digit run only after a label or with a hint', () => {
    expect(phones('invoice 4155550123 overdue')).toEqual([]);
    expect(phones('call me at 4155550123 after 5')).toEqual(['4155550123']);
    expect(phones('4155550123', 'mobile')).toEqual(['4155550123']);
  });

  it('phone - a whole cell may be E.164 or national, but not in an identifier column', () => {
    expect(phones('+14155550123', 'notes')).toEqual(['+14155550123']);
    expect(phones('4155550123', 'notes')).toEqual(['4155550123']);
    expect(phones('4155550123', 'order_number')).toEqual([]);
    expect(phones('020 7946 0958', 'notes', gb)).toEqual(['020 7946 0958']);
  });

  it('phone - ignores dates, times, ISBNs, zip+4 and short numbers', () => {
    expect(phones('on 2024-05-17 10:22:31 zip 94105-1234')).toEqual([]);
    expect(phones('ISBN 978-0-306-40615-7, room 555-0123')).toEqual([]);
    expect(phones('ORD-2024-004213 and SO12345678')).toEqual([]);
  });
});
