import { describe, expect, it } from 'vitest';
import { builtInProfiles, compileProfile, detectEntities } from '../index.ts';
import { isValidSsn, isValidSsnParts } from './us-ssn.ts';

const profile = compileProfile(builtInProfiles.strict);
const ssns = (text: string, column?: string): string[] =>
  detectEntities(text, profile, column === undefined ? undefined : { name: column })
    .filter((f) => f.entity === 'ssn')
    .map((f) => text.slice(f.start, f.end));

describe('us ssn', () => {
  it('us-ssn - applies the SSA area, group and serial rules', () => {
    expect(isValidSsnParts('123', '45', '6789')).toBe(true);
    expect(isValidSsnParts('000', '45', '6789')).toBe(false);
    expect(isValidSsnParts('666', '45', '6789')).toBe(false);
    expect(isValidSsnParts('900', '45', '6789')).toBe(false);
    expect(isValidSsnParts('999', '45', '6789')).toBe(false);
    expect(isValidSsnParts('123', '00', '6789')).toBe(false);
    expect(isValidSsnParts('123', '45', '0000')).toBe(false);
    expect(isValidSsnParts('078', '05', '1120')).toBe(false);
    expect(isValidSsn('123-45-6789')).toBe(true);
    expect(isValidSsn('123 45 6789')).toBe(true);
    expect(isValidSsn('123456789')).toBe(true);
    expect(isValidSsn('123-456789')).toBe(false);
  });

  it('us-ssn - finds the dashed form anywhere in free text', () => {
    expect(ssns('verified SSN 219-44-5566 today')).toEqual(['219-44-5566']);
    expect(ssns('on file: 123-45-6789.')).toEqual(['123-45-6789']);
    expect(ssns('invalid 666-12-3456 and 900-12-3456')).toEqual([]);
  });

  it('us-ssn - reports a bare 9-digit number only with a column hint or a label', () => {
    expect(ssns('Order 219445566 shipped')).toEqual([]);
    expect(ssns('219445566', 'order_id')).toEqual([]);
    expect(ssns('219445566', 'ssn')).toEqual(['219445566']);
    expect(ssns('219 44 5566', 'social_security_number')).toEqual(['219 44 5566']);
    expect(ssns('SSN: 219445566 (verbal)')).toEqual(['219445566']);
    expect(ssns('social security number 219 44 5566')).toEqual(['219 44 5566']);
    expect(ssns('{"ssn": "219445566"}')).toEqual(['219445566']);
  });

  it('us-ssn - does not take 9 digits out of a longer number or a phone number', () => {
    expect(ssns('1219445566', 'ssn')).toEqual([]);
    expect(ssns('SSN: 2194455661')).toEqual([]);
    expect(ssns('call 415-555-0123')).toEqual([]);
  });
});
