import { ConfigError } from '@gatehouse/errors';
import { describe, expect, it } from 'vitest';
import {
  builtInProfiles,
  compileProfile,
  MASK_OPERATORS,
  PII_ENTITIES,
  type MaskingProfile,
} from '../index.ts';
import { compileColumnPatterns, normalizeColumnName } from './column-hints.ts';

function configError(profile: MaskingProfile): ConfigError {
  try {
    compileProfile(profile);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('compileProfile accepted an invalid profile');
}

describe('profiles', () => {
  it('compile-profile - the built-in profiles compile: default keeps partial forms, strict redacts all', () => {
    const d = compileProfile(builtInProfiles.default);
    const s = compileProfile(builtInProfiles.strict);
    expect(d.operators.slice(0, PII_ENTITIES.length)).toEqual([
      'partial',
      'partial',
      'partial',
      'partial',
      'partial',
      'partial',
      'partial',
      'redact',
      'redact',
      'redact',
      'redact',
    ]);
    expect(new Set(s.operators)).toEqual(new Set(['redact']));
    expect(d.hmac).toBeUndefined();
    expect(MASK_OPERATORS).toEqual(['redact', 'partial', 'hash', 'nullify', 'fake']);
  });

  it('compile-profile - rejects bad operators, entities, regions, keys and rules with the field named', () => {
    expect(configError({ name: 'p', entities: { email: 'scramble' as never } }).variable).toBe(
      'profiles.p.entities.email',
    );
    expect(configError({ name: 'p', entities: { shoe_size: 'redact' } as never }).variable).toBe(
      'profiles.p.entities.shoe_size',
    );
    expect(configError({ name: 'p', entities: {}, defaultRegion: 'XX' }).variable).toBe(
      'profiles.p.defaultRegion',
    );
    expect(configError({ name: 'p', entities: { email: 'hash' } }).variable).toBe('profiles.p.hashKey');
    expect(configError({ name: 'p', entities: { email: 'fake' }, hashKey: 'short' }).variable).toBe(
      'profiles.p.hashKey',
    );
    expect(
      configError({ name: 'p', entities: {}, customRules: [{ entity: 'Bad Name', pattern: 'x' }] }).variable,
    ).toBe('profiles.p.customRules[0].entity');
    expect(
      configError({ name: 'p', entities: {}, customRules: [{ entity: 'emp', pattern: '(' }] }).variable,
    ).toBe('profiles.p.customRules[0].pattern');
    expect(configError({ name: 'p', entities: {}, customRules: [{ entity: 'emp' }] }).variable).toBe(
      'profiles.p.customRules[0]',
    );
    expect(
      configError({
        name: 'p',
        entities: {},
        customRules: [{ entity: 'emp', pattern: 'x', validator: 'crc' as never }],
      }).variable,
    ).toBe('profiles.p.customRules[0].validator');
    expect(configError({ name: 'p', entities: {}, columnHints: { shoe: ['x'] } as never }).variable).toBe(
      'profiles.p.columnHints.shoe',
    );
    expect(configError({ name: '', entities: {} }).variable).toBe('profiles.?.name');
  });

  it('compile-profile - column hints come from the source column first, then the alias', () => {
    const p = compileProfile(builtInProfiles.default);
    expect(p.entityNames[p.hintForColumn('contact', 'users', 'email').slot]).toBe('email');
    expect(p.entityNames[p.hintForColumn('email', 'users', 'id').slot]).toBe('email');
    expect(p.entityNames[p.hintForColumn('billingEmail').slot]).toBe('email');
    expect(p.entityNames[p.hintForColumn('phone2').slot]).toBe('phone');
    expect(p.entityNames[p.hintForColumn('Phone_Number').slot]).toBe('phone');
    expect(p.hintForColumn('email_verified').slot).toBe(-1);
    expect(p.hintForColumn('product_name').slot).toBe(-1);
    expect(p.hintForColumn('order_number')).toEqual({ slot: -1, identifier: true, fromRule: false });
    expect(p.hintForColumn('notes')).toEqual({ slot: -1, identifier: false, fromRule: false });
  });

  it('compile-profile - profile hints add to the built-ins, table-qualified, or replace them', () => {
    const extra = compileProfile({
      ...builtInProfiles.default,
      columnHints: { name: ['customers.label'], email: ['contact_*'] },
    });
    expect(extra.entityNames[extra.hintForColumn('label', 'customers', 'label').slot]).toBe('name');
    expect(extra.hintForColumn('label', 'products', 'label').slot).toBe(-1);
    expect(extra.entityNames[extra.hintForColumn('contact_primary').slot]).toBe('email');
    const only = compileProfile({
      ...builtInProfiles.default,
      builtInColumnHints: false,
      columnHints: { ssn: ['tax_no'] },
    });
    expect(only.hintForColumn('email').slot).toBe(-1);
    expect(only.entityNames[only.hintForColumn('tax_no').slot]).toBe('ssn');
  });

  it('compile-profile - custom rules add entities with their operator, validator and columns', () => {
    const p = compileProfile({
      name: 'custom',
      entities: { email: 'redact' },
      customRules: [
        { entity: 'employee_id', pattern: '\\bEMP-\\d{6}\\b', operator: 'hash', columns: ['staff_no'] },
        { entity: 'card', pattern: '\\bC\\d{16}\\b', validator: 'luhn' },
      ],
      hashKey: 'custom-key-0123456789',
    });
    expect(p.entityNames.slice(PII_ENTITIES.length)).toEqual(['employee_id']);
    expect(p.operators[p.slotOf('employee_id')]).toBe('hash');
    expect(p.operators[p.slotOf('card')]).toBe('redact');
    expect(p.hintForColumn('staff_no')).toEqual({
      slot: p.slotOf('employee_id'),
      identifier: false,
      fromRule: true,
    });
  });

  it('column-hints - names normalise from camelCase and punctuation; patterns compile to anchored regexes', () => {
    expect(normalizeColumnName('billingEmail')).toBe('billing_email');
    expect(normalizeColumnName('Billing-Email ')).toBe('billing_email');
    expect(normalizeColumnName('BILLING_EMAIL')).toBe('billing_email');
    const re = compileColumnPatterns(['*_email', 'users.mail'])!;
    expect(re.test('billing_email')).toBe(true);
    expect(re.test('email_billing')).toBe(false);
    expect(re.test('users.mail')).toBe(true);
    expect(() => compileColumnPatterns(['a.b.c'])).toThrow(SyntaxError);
  });
});
