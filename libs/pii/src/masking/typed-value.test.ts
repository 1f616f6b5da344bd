import { describe, expect, it } from 'vitest';
import { compileProfile, luhnValid, type MaskOperator } from '../index.ts';
import { ValueKind } from '../plan/pg-type.ts';
import { EntitySlot } from '../profile/entity-slot.ts';
import { maskDate, maskJsonNumber, maskNumber, maskTypedValue } from './typed-value.ts';

const profile = compileProfile({
  name: 'typed',
  entities: { card: 'fake', ssn: 'hash', dob: 'fake', ipv4: 'partial', phone: 'hash' },
  hashKey: 'typed-key-0123456789',
});
const typed = (
  value: string,
  kind: ValueKind,
  slot: number,
  op: MaskOperator,
  limit = Infinity,
): string | null => maskTypedValue(value, kind, slot, op, profile, limit);

describe('typed values', () => {
  it('typed-value - integers keep their digit count and stay in range', () => {
    expect(maskNumber('4111111111111111', EntitySlot.card, 'redact', profile, 19)).toBe('0000000000000000');
    expect(maskNumber('123456789', EntitySlot.ssn, 'partial', profile, 10)).toBe('000006789');
    const hashed = maskNumber('123456789', EntitySlot.ssn, 'hash', profile, 10)!;
    expect(hashed).toMatch(/^[1-9]\d{8}$/);
    expect(maskNumber('-32768', EntitySlot.phone, 'hash', profile, 5)).toMatch(/^-1\d{4}$/);
    expect(Number(maskNumber('2147483647', EntitySlot.phone, 'hash', profile, 10))).toBeLessThanOrEqual(
      2147483647,
    );
    const card = maskNumber('4111111111111111', EntitySlot.card, 'fake', profile, 19)!;
    expect(card).toMatch(/^4\d{15}$/);
    expect(luhnValid(card)).toBe(true);
    expect(maskNumber('42', EntitySlot.ssn, 'nullify', profile, 10)).toBeNull();
  });

  it('typed-value - decimals change digits only, keeping sign, separators and exponent', () => {
    expect(maskNumber('-1234.50', EntitySlot.phone, 'redact', profile, Infinity)).toBe('-0000.00');
    expect(maskNumber('$1,234.56', EntitySlot.phone, 'partial', profile, Infinity)).toBe('$0,034.56');
    expect(maskNumber('1.5e+20', EntitySlot.phone, 'redact', profile, Infinity)).toBe('0.0e+20');
    expect(maskNumber('NaN', EntitySlot.phone, 'hash', profile, Infinity)).toBe('NaN');
  });

  it('typed-value - JSON numbers never get a leading zero', () => {
    expect(maskJsonNumber('4155550123', EntitySlot.phone, 'redact', profile)).toBe('0');
    expect(maskJsonNumber('4155550123', EntitySlot.phone, 'nullify', profile)).toBe('null');
    expect(maskJsonNumber('4155550123', EntitySlot.phone, 'hash', profile)).toMatch(/^[1-9]\d{9}$/);
    expect(maskJsonNumber('12.5', EntitySlot.phone, 'hash', profile)).toBe('0');
  });

  it('typed-value - dates stay valid dates in the same DateStyle shape', () => {
    expect(maskDate('1990-05-17', EntitySlot.dob, 'redact', profile)).toBe('1900-01-01');
    expect(maskDate('1990-05-17', EntitySlot.dob, 'partial', profile)).toBe('1990-01-01');
    expect(maskDate('05/17/1990', EntitySlot.dob, 'redact', profile)).toBe('01/01/1900');
    expect(maskDate('17.05.1990', EntitySlot.dob, 'partial', profile)).toBe('01.01.1990');
    expect(maskDate('1990-05-17 08:30:00+02', EntitySlot.dob, 'redact', profile)).toBe(
      '1900-01-01 08:30:00+02',
    );
    const fake = maskDate('1990-05-17', EntitySlot.dob, 'fake', profile)!;
    expect(Number.isNaN(Date.parse(fake))).toBe(false);
    expect(new Date(fake).toISOString().slice(0, 10)).toBe(fake);
    expect(maskDate('05/17/1990', EntitySlot.dob, 'fake', profile)).toMatch(
      /^(0[1-9]|1[0-2])\/(0[1-9]|1[0-2])\/\d{4}$/,
    );
    expect(maskDate('infinity', EntitySlot.dob, 'fake', profile)).toBe('infinity');
    expect(maskDate('Wed May 17 1990', EntitySlot.dob, 'redact', profile)).toBeNull();
  });

  it('typed-value - uuid, inet and bytea get valid values; other types become NULL', () => {
    expect(typed('550e8400-e29b-41d4-a716-446655440000', ValueKind.Uuid, EntitySlot.ssn, 'redact')).toBe(
      '00000000-0000-0000-0000-000000000000',
    );
    expect(typed('550e8400-e29b-41d4-a716-446655440000', ValueKind.Uuid, EntitySlot.ssn, 'hash')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(typed('203.0.113.42/32', ValueKind.Inet, EntitySlot.ipv4, 'partial')).toBe('203.0.113.0/32');
    expect(typed('203.0.113.42', ValueKind.Inet, EntitySlot.ipv4, 'redact')).toBe('0.0.0.0');
    expect(typed('\\x0102', ValueKind.Bytea, EntitySlot.ssn, 'redact')).toBe('\\x');
    expect(typed('\\x0102', ValueKind.Bytea, EntitySlot.ssn, 'hash')).toMatch(/^\\x[0-9a-f]{16}$/);
    expect(typed('t', ValueKind.Other, EntitySlot.ssn, 'redact')).toBeNull();
  });
});
