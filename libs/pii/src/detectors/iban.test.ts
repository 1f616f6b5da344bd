import { describe, expect, it } from 'vitest';
import { builtInProfiles, compileProfile, detectEntities } from '../index.ts';
import { IBAN_LENGTHS, ibanMod97, isValidIban } from './iban.ts';

const profile = compileProfile(builtInProfiles.strict);
const ibans = (text: string): string[] =>
  detectEntities(text, profile)
    .filter((f) => f.entity === 'iban')
    .map((f) => text.slice(f.start, f.end));

describe('iban', () => {
  it('iban - mod 97 of a valid IBAN is 1', () => {
    expect(ibanMod97('DE89370400440532013000')).toBe(1);
    expect(ibanMod97('GB29NWBK60161331926819')).toBe(1);
    expect(ibanMod97('DE88370400440532013000')).not.toBe(1);
  });

  it('iban - checks the country length table and the check digits', () => {
    expect(IBAN_LENGTHS['DE']).toBe(22);
    expect(IBAN_LENGTHS['NO']).toBe(15);
    expect(IBAN_LENGTHS['MT']).toBe(31);
    expect(isValidIban('NO9386011117947')).toBe(true);
    expect(isValidIban('FR14 2004 1010 0505 0001 3M02 606')).toBe(true);
    expect(isValidIban('DE89 3704 0044 0532 0130 00')).toBe(true);
    expect(isValidIban('DE89370400440532013000 1')).toBe(false);
    expect(isValidIban('DE8937040044053201300')).toBe(false);
    expect(isValidIban('XX89370400440532013000')).toBe(false);
  });

  it('iban - finds electronic and printed forms in text and stops at the country length', () => {
    expect(ibans('IBAN:GB29NWBK60161331926819')).toEqual(['GB29NWBK60161331926819']);
    expect(ibans('pay DE89 3704 0044 0532 0130 00 EUR today')).toEqual(['DE89 3704 0044 0532 0130 00']);
    expect(ibans('to NL91ABNA0417164300 ABCD')).toEqual(['NL91ABNA0417164300']);
  });

  it('iban - ignores wrong check digits and wrong lengths', () => {
    expect(ibans('typo DE88 3704 0044 0532 0130 00')).toEqual([]);
    expect(ibans('short DE89 3704 0044 0532 0130 0')).toEqual([]);
  });
});
