import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtInProfiles, compileProfile, createTally, PgTypeOid, planResultSet } from '../index.ts';
import { maskJson } from './json-masker.ts';

const profile = compileProfile(builtInProfiles.default);
const strict = compileProfile(builtInProfiles.strict);
const plan = planResultSet([{ name: 'doc', typeOid: PgTypeOid.Jsonb, format: 'text' }], profile);
const mask = (text: string, p = profile, whole = -1): string | null | undefined =>
  maskJson(text, p, whole, 0, createTally(plan));

describe('json masking', () => {
  it('json-masker - masks strings by content and keeps everything else byte for byte', () => {
    expect(mask('{"note": "mail ann@example.com", "n": [1, true, null]}')).toBe(
      '{"note": "mail ****@example.com", "n": [1, true, null]}',
    );
    expect(mask('{"a": "nothing"}')).toBe('{"a": "nothing"}');
  });

  it('json-masker - a key is a hint for its value and for nested values', () => {
    expect(JSON.parse(mask('{"ssn": "219445566", "address": {"city": "Paris", "zip": 75001}}')!)).toEqual({
      ssn: '*****5566',
      address: { city: '[REDACTED:address]', zip: 0 },
    });
    expect(JSON.parse(mask('{"order": "219445566"}')!)).toEqual({ order: '219445566' });
  });

  it('json-masker - escaped strings are decoded before scanning and re-encoded after', () => {
    const out = mask('{"n": "ann\\u0040example.com \\"quoted\\""}', strict)!;
    expect(JSON.parse(out)).toEqual({ n: '[REDACTED:email] "quoted"' });
  });

  it('json-masker - nullify turns a value into null but a key into the token', () => {
    const n = compileProfile({ name: 'n', entities: { email: 'nullify' } });
    expect(mask('{"ann@example.com": "ann@example.com"}', n)).toBe('{"[REDACTED:email]": null}');
  });

  it('json-masker - whole mode masks every leaf as the column entity', () => {
    expect(mask('{"street": "1 Main St", "no": 12, "tags": ["a"]}', strict, 9)).toBe(
      '{"street": "[REDACTED:address]", "no": 0, "tags": ["[REDACTED:address]"]}',
    );
  });

  it('json-masker - returns undefined for text that is not JSON', () => {
    expect(mask('{"a": ')).toBeUndefined();
    expect(mask('not json')).toBeUndefined();
    expect(mask('{"a": 1} extra')).toBeUndefined();
  });

  it('json-masker - any JSON document stays valid JSON after masking', () => {
    const pii = fc.constantFrom(
      'ann@example.com',
      '4111 1111 1111 1111',
      '219-44-5566',
      '(415) 555-0123',
      '203.0.113.9',
      'plain',
      '',
    );
    const leaf = fc.oneof(
      pii,
      fc.string(),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
    );
    const doc = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('value')),
        fc.dictionary(fc.oneof(fc.constantFrom('email', 'ssn', 'phone', 'name'), fc.string()), tie('value')),
      ),
    })).value;
    fc.assert(
      fc.property(doc, (value) => {
        const text = JSON.stringify(value, null, 1);
        const out = mask(text, strict);
        expect(out).not.toBeUndefined();
        expect(() => JSON.parse(out!)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});
