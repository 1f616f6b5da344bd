import { readFileSync } from 'node:fs';
import { isValidPhoneNumber } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { generateDemoDataset } from './demo-dataset.ts';
import { renderDemoSql } from './demo-sql.ts';
import { ibanFor, isIbanChecksumValid } from './iban.ts';
import { isLuhnValid, luhnCheckDigit } from './luhn.ts';
import { demoCardSchemes } from './payment-cards.ts';

const dataset = generateDemoDataset();

// Independent of the generator's own helpers: BigInt arithmetic straight from ISO 13616.
function ibanMod97(iban: string): bigint {
  const compact = iban.replaceAll(' ', '');
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  const numeric = [...rearranged].map((c) => (/[A-Z]/.test(c) ? String(c.charCodeAt(0) - 55) : c)).join('');
  return BigInt(numeric) % 97n;
}

const ibanLengths: Record<string, number> = { GB: 22, DE: 22, FR: 27, NL: 18, ES: 24, IE: 22 };
const cardPattern = /\b(?:\d[ -]?){13,19}\b/g;
const ibanPattern = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/g;
const ssnPattern = /\b(\d{3})-(\d{2})-(\d{4})\b/;

function validSsn(ssn: string): boolean {
  const match = /^(\d{3})-(\d{2})-(\d{4})$/.exec(ssn);
  if (!match) return false;
  const [, area, group, serial] = match as unknown as [string, string, string, string];
  return area !== '000' && area !== '666' && !area.startsWith('9') && group !== '00' && serial !== '0000';
}

describe('demo data', () => {
  it('luhn - computes check digits and rejects a changed digit', () => {
    expect(luhnCheckDigit('7992739871')).toBe('3');
    expect(isLuhnValid('4111111111111111')).toBe(true);
    expect(isLuhnValid('4111111111111112')).toBe(false);
    expect(isLuhnValid('79927398713')).toBe(true);
    expect(isLuhnValid('4111 1111 1111 1111')).toBe(false);
  });

  it('iban - reproduces the ISO 13616 examples and detects a transposition', () => {
    expect(ibanFor('DE', '370400440532013000')).toBe('DE89370400440532013000');
    expect(ibanFor('GB', 'WEST12345698765432')).toBe('GB82WEST12345698765432');
    expect(isIbanChecksumValid('GB82 WEST 1234 5698 7654 32')).toBe(true);
    expect(isIbanChecksumValid('GB82WEST12345698765423')).toBe(false);
  });

  it('demo data - the same seed gives the same data and another seed different data', () => {
    expect(generateDemoDataset()).toEqual(dataset);
    expect(generateDemoDataset({ seed: 7 }).customers[0]).not.toEqual(dataset.customers[0]);
  });

  it('demo data - the committed demo.sql is exactly what the generator renders', () => {
    const committed = readFileSync(new URL('../../sql/demo.sql', import.meta.url), 'utf8');
    expect(committed).toBe(renderDemoSql(dataset));
  });

  it('demo data - 240 customers from seven countries and 500 orders with consecutive ids', () => {
    expect(dataset.customers.map((c) => c.id)).toEqual(Array.from({ length: 240 }, (_, i) => i + 1));
    expect(dataset.orders.map((o) => o.id)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    expect(new Set(dataset.customers.map((c) => c.country))).toEqual(
      new Set(['US', 'GB', 'DE', 'FR', 'NL', 'ES', 'IE']),
    );
    expect(new Set(dataset.customers.map((c) => c.email)).size).toBe(240);
  });

  it('demo data - every card number, in its column and in notes, passes Luhn and belongs to its scheme', () => {
    const cards = dataset.customers.flatMap((c) => [
      ...(c.cardNumber ? [c.cardNumber] : []),
      // IBANs are taken out first: a printed IBAN's digit groups would look like a card.
      ...[...(c.notes ?? '').replace(ibanPattern, '').matchAll(cardPattern)].map((m) => m[0]),
    ]);
    expect(cards.length).toBeGreaterThan(200);
    const schemes = new Set<string>();
    for (const card of cards) {
      const digits = card.replace(/[ -]/g, '');
      expect(isLuhnValid(digits), card).toBe(true);
      const scheme = demoCardSchemes.find((s) => s.prefixes.some((p) => digits.startsWith(p)));
      expect(scheme?.length, card).toBe(digits.length);
      schemes.add(scheme!.name);
    }
    expect(schemes).toEqual(new Set(['visa', 'mastercard', 'amex', 'discover', 'jcb', 'diners']));
  });

  it('demo data - every IBAN, in its column and in notes, passes mod-97 and has its country length', () => {
    const ibans = dataset.customers.flatMap((c) => [
      ...(c.iban ? [c.iban] : []),
      ...[...(c.notes ?? '').matchAll(ibanPattern)].map((m) => m[0]),
    ]);
    expect(ibans.length).toBeGreaterThan(120);
    for (const iban of ibans) {
      expect(ibanMod97(iban), iban).toBe(1n);
      expect(iban.replaceAll(' ', '').length, iban).toBe(ibanLengths[iban.slice(0, 2)]);
    }
    expect(new Set(ibans.map((iban) => iban.slice(0, 2)))).toEqual(new Set(Object.keys(ibanLengths)));
    expect(ibans.some((iban) => iban.includes(' '))).toBe(true);
    expect(ibans.some((iban) => !iban.includes(' '))).toBe(true);
  });

  it('demo data - SSNs are dashed, follow the SSA rules and belong to US customers only', () => {
    for (const customer of dataset.customers) {
      if (customer.country === 'US') expect(validSsn(customer.ssn ?? ''), customer.ssn ?? 'null').toBe(true);
      else expect(customer.ssn).toBeNull();
    }
  });

  it('demo data - every phone number is valid for libphonenumber, in E.164 or US national format', () => {
    for (const { phone, country } of dataset.customers) {
      expect(phone, phone).toMatch(/^(?:\+[1-9]\d{7,14}|\(\d{3}\) \d{3}-\d{4})$/);
      expect(isValidPhoneNumber(phone, 'US'), phone).toBe(true);
      if (phone.startsWith('(')) expect(country).toBe('US');
    }
    const formats = new Set(dataset.customers.map((c) => (c.phone.startsWith('+') ? 'e164' : 'national')));
    expect(formats).toEqual(new Set(['e164', 'national']));
  });

  it('demo data - notes hide emails, phone numbers, cards, IBANs and SSNs in free text', () => {
    const notes = dataset.customers.map((c) => c.notes).filter((n): n is string => n !== null);
    expect(notes.some((n) => /[a-z0-9._]+@example\.[a-z.]+/.test(n))).toBe(true);
    expect(notes.some((n) => /\+\d{10,14}|\(\d{3}\) \d{3}-\d{4}/.test(n))).toBe(true);
    expect(notes.some((n) => /card number [\d -]{14,}/.test(n))).toBe(true);
    expect(notes.some((n) => new RegExp(ibanPattern.source).test(n))).toBe(true);
    expect(notes.some((n) => ssnPattern.test(n))).toBe(true);
    expect(notes.filter((n) => !/\d{4}|@/.test(n)).length).toBeGreaterThan(20);
    expect(dataset.customers.filter((c) => c.notes === null).length).toBeGreaterThan(40);
  });

  it('demo data - orders reference existing customers, follow them in time and number by year', () => {
    const signup = new Map(dataset.customers.map((c) => [c.id, c.createdAt]));
    const numbers = new Set<string>();
    for (const order of dataset.orders) {
      expect(signup.get(order.customerId)! <= order.createdAt, order.orderNumber).toBe(true);
      const match = /^ORD-(\d{4})-(\d{6})$/.exec(order.orderNumber);
      expect(match?.[1], order.orderNumber).toBe(order.createdAt.slice(0, 4));
      expect(Number(order.amount)).toBeGreaterThanOrEqual(5);
      expect(order.amount).toMatch(/^\d+\.\d{2}$/);
      numbers.add(order.orderNumber);
    }
    expect(numbers.size).toBe(500);
    expect(dataset.orders.find((o) => o.createdAt.startsWith('2024'))?.orderNumber).toBe('ORD-2024-000001');
  });
});
