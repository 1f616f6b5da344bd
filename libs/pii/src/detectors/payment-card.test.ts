import { describe, expect, it } from 'vitest';
import { builtInProfiles, compileProfile, detectEntities } from '../index.ts';
import { cardIssuerOf, isPaymentCard, luhnCheckDigit, luhnValid } from './payment-card.ts';

const profile = compileProfile(builtInProfiles.strict);
const cards = (text: string): string[] =>
  detectEntities(text, profile)
    .filter((f) => f.entity === 'card')
    .map((f) => text.slice(f.start, f.end));

describe('payment card', () => {
  it('payment-card - Luhn accepts the published test numbers and rejects a changed digit', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('5555555555554444')).toBe(true);
    expect(luhnValid('378282246310005')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnCheckDigit('411111111111111')).toBe('1');
  });

  it('payment-card - identifies each scheme by IIN range and length', () => {
    expect(cardIssuerOf('4111111111111111')?.issuer.name).toBe('visa');
    expect(cardIssuerOf('4222222222222')?.issuer.name).toBe('visa');
    expect(cardIssuerOf('5555555555554444')?.issuer.name).toBe('mastercard');
    expect(cardIssuerOf('2223003122003222')?.issuer.name).toBe('mastercard');
    expect(cardIssuerOf('378282246310005')?.issuer.name).toBe('amex');
    expect(cardIssuerOf('6011111111111117')?.issuer.name).toBe('discover');
    expect(cardIssuerOf('6221260000000000')?.issuer.name).toBe('discover');
    expect(cardIssuerOf('3530111333300000')?.issuer.name).toBe('jcb');
    expect(cardIssuerOf('30569309025904')?.issuer.name).toBe('diners');
    expect(cardIssuerOf('6200000000000005')?.issuer.name).toBe('unionpay');
  });

  it('payment-card - refuses lengths a scheme does not issue and unknown prefixes', () => {
    expect(cardIssuerOf('411111111111111')).toBeUndefined(); // Visa has no 15-digit cards
    expect(cardIssuerOf('37828224631000')).toBeUndefined(); // Amex is 15 digits
    expect(cardIssuerOf('2721000000000000')).toBeUndefined(); // past the 2-series range
    expect(cardIssuerOf('9111111111111111')).toBeUndefined();
    expect(isPaymentCard('4111 1111 1111 1111')).toBe(true);
    expect(isPaymentCard('4111 1111 1111 1112')).toBe(false);
  });

  it('payment-card - finds cards with spaces, dashes or none, in the printed groupings', () => {
    expect(cards('card 4111 1111 1111 1111 exp 12/25')).toEqual(['4111 1111 1111 1111']);
    expect(cards('cc:5555-5555-5555-4444.')).toEqual(['5555-5555-5555-4444']);
    expect(cards('amex 3782 822463 10005 on file')).toEqual(['3782 822463 10005']);
    expect(cards('diners 3056 930902 5904')).toEqual(['3056 930902 5904']);
    expect(cards('old visa 4222 222 222 222')).toEqual(['4222 222 222 222']);
    expect(cards('(6011111111111117)')).toEqual(['6011111111111117']);
  });

  it('payment-card - ignores Luhn failures, mixed separators and card shapes inside longer numbers', () => {
    expect(cards('ref 4111 1111 1111 1112')).toEqual([]);
    expect(cards('4111 1111-1111 1111')).toEqual([]);
    expect(cards('tracking 4111 1111 1111 1111 2222 33')).toEqual([]);
    expect(cards('id 94111111111111111')).toEqual([]);
    expect(cards('0.4111111111111111')).toEqual([]);
    expect(cards('ab4111111111111111')).toEqual([]);
  });
});
