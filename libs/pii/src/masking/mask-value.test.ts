import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { MaskOperator } from '../index.ts';
import { compileProfile, isValidIban, isValidSsn, luhnValid, cardIssuerOf, isEmail } from '../index.ts';
import { EntitySlot } from '../profile/entity-slot.ts';
import { maskTextValue } from './mask-value.ts';

const KEY = 'test-key-0123456789';
const profile = compileProfile({
  name: 'ops',
  entities: {
    card: 'fake',
    ssn: 'fake',
    email: 'hash',
    phone: 'fake',
    iban: 'fake',
    name: 'fake',
    address: 'fake',
    dob: 'fake',
    ipv4: 'fake',
    ipv6: 'fake',
    secret: 'fake',
  },
  hashKey: KEY,
});
const other = compileProfile({
  name: 'other',
  entities: { email: 'hash' },
  hashKey: 'another-key-0123456789',
});
const mask = (value: string, slot: number, operator: MaskOperator): string | null =>
  maskTextValue(value, slot, operator, profile);
const digits = (s: string | null): string => (s ?? '').replace(/\D/g, '');

describe('mask-value operators', () => {
  it('mask-value - redact gives the entity token and nullify gives null', () => {
    expect(mask('jane@example.com', EntitySlot.email, 'redact')).toBe('[REDACTED:email]');
    expect(mask('4111 1111 1111 1111', EntitySlot.card, 'nullify')).toBeNull();
  });

  it('mask-value - partial keeps last 4 digits, the email domain, initials, the year, the network', () => {
    expect(mask('4111 1111 1111 1111', EntitySlot.card, 'partial')).toBe('**** **** **** 1111');
    expect(mask('+1 (415) 555-0123', EntitySlot.phone, 'partial')).toBe('+* (***) ***-0123');
    expect(mask('123-45-6789', EntitySlot.ssn, 'partial')).toBe('***-**-6789');
    expect(mask('DE89 3704 0044 0532 0130 00', EntitySlot.iban, 'partial')).toBe(
      '**** **** **** **** **30 00',
    );
    expect(mask('Jane.Doe@Example.com', EntitySlot.email, 'partial')).toBe('****@Example.com');
    expect(mask('Jane van Doe', EntitySlot.name, 'partial')).toBe('J. V. D.');
    expect(mask('1990-05-17', EntitySlot.dob, 'partial')).toBe('1990-**-**');
    expect(mask('203.0.113.42', EntitySlot.ipv4, 'partial')).toBe('203.0.113.0');
    expect(mask('ghp_16C7e42F292c6912E7710c838347Ae178B4a', EntitySlot.secret, 'partial')).toBe('ghp_****');
    expect(mask('hunter22', EntitySlot.secret, 'partial')).toBe('[REDACTED:secret]');
    expect(mask('12 Oak St', EntitySlot.address, 'partial')).toBe('[REDACTED:address]');
  });

  it('mask-value - hash is h: plus 16 hex of HMAC-SHA-256 over purpose, entity and canonical value', () => {
    const expected = createHmac('sha256', KEY)
      .update('hash\0email\0jane@example.com')
      .digest('hex')
      .slice(0, 16);
    expect(mask('Jane@Example.com', EntitySlot.email, 'hash')).toBe(`h:${expected}`);
    expect(mask('jane@example.com', EntitySlot.email, 'hash')).toBe(`h:${expected}`);
    expect(maskTextValue('jane@example.com', EntitySlot.email, 'hash', other)).not.toBe(`h:${expected}`);
    expect(mask('4111-1111-1111-1111', EntitySlot.card, 'hash')).toBe(
      mask('4111 1111 1111 1111', EntitySlot.card, 'hash'),
    );
    expect(mask('123456789', EntitySlot.ssn, 'hash')).not.toBe(mask('123456789', EntitySlot.phone, 'hash'));
  });

  it('mask-value - a fake card is Luhn-valid with the same scheme, length and separators', () => {
    for (const card of [
      '4111 1111 1111 1111',
      '378282246310005',
      '5555-5555-5555-4444',
      '2223003122003222',
      '30569309025904',
    ]) {
      const fake = mask(card, EntitySlot.card, 'fake')!;
      expect(fake).not.toBe(card);
      expect(fake.replace(/\d/g, '9')).toBe(card.replace(/\d/g, '9'));
      expect(luhnValid(digits(fake))).toBe(true);
      expect(cardIssuerOf(digits(fake))?.issuer.name).toBe(cardIssuerOf(digits(card))?.issuer.name);
      expect(mask(card, EntitySlot.card, 'fake')).toBe(fake);
    }
  });

  it('mask-value - a fake SSN is in the never-issued 9xx area and keeps its form', () => {
    const fake = mask('123-45-6789', EntitySlot.ssn, 'fake')!;
    expect(fake).toMatch(/^9\d\d-\d\d-\d{4}$/);
    expect(isValidSsn(fake)).toBe(false);
    expect(mask('123456789', EntitySlot.ssn, 'fake')).toBe(digits(fake));
  });

  it('mask-value - fakes of emails, IBANs, phones and names are valid values of their kind', () => {
    const email = mask('jane@example.com', EntitySlot.email, 'fake');
    expect(isEmail(email!)).toBe(true);
    expect(email).toMatch(/@example\.(com|net|org)$/);
    const iban = mask('DE89 3704 0044 0532 0130 00', EntitySlot.iban, 'fake')!;
    expect(iban).toMatch(/^DE\d\d \d{4} \d{4} \d{4} \d{4} \d\d$/);
    expect(isValidIban(iban)).toBe(true);
    expect(mask('(415) 555-0123', EntitySlot.phone, 'fake')).toMatch(/^\([2-9]\d\d\) 555-01\d\d$/);
    expect(mask('+44 20 7946 0958', EntitySlot.phone, 'fake')).toMatch(/^\+44 \d\d \d{4} \d{4}$/);
    expect(mask('Jane Doe', EntitySlot.name, 'fake')).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/);
    expect(mask('1990-05-17', EntitySlot.dob, 'fake')).toMatch(
      /^(19[4-9]\d|200[0-5])-(0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])$/,
    );
    expect(mask('AKIAIOSFODNN7EXAMPLE', EntitySlot.secret, 'fake')).toMatch(/^AKIA[A-Z0-9]{16}$/);
  });
});
