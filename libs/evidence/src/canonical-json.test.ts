import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalBytes, canonicalJson, recordHash } from './canonical-json.ts';
import { createHash } from 'node:crypto';

const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe('canonicalJson', () => {
  it('canonical-json - matches the canonicalize package (RFC 8785) on arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        expect(canonicalJson(value)).toBe(canonicalize(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('canonical-json - matches it on objects with unicode keys, undefined members and Dates', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string({ unit: 'grapheme' }),
          fc.oneof(
            fc.string({ unit: 'binary' }),
            fc.double({ noNaN: true, noDefaultInfinity: true }),
            fc.constant(undefined),
          ),
        ),
        (value) => {
          const wellFormed = Object.entries(value).every(
            ([key, member]) =>
              !loneSurrogate.test(key) && (typeof member !== 'string' || !loneSurrogate.test(member)),
          );
          if (wellFormed) expect(canonicalJson(value)).toBe(canonicalize(value));
          else expect(() => canonicalJson(value)).toThrow(TypeError);
        },
      ),
      { numRuns: 1000 },
    );
    const withDate = { at: new Date('2026-11-25T12:00:00.000Z'), list: [undefined, 1] };
    expect(canonicalJson(withDate)).toBe(canonicalize(withDate));
  });

  it('canonical-json - the RFC 8785 examples: key order by UTF-16 code units and ECMAScript numbers', () => {
    // RFC 8785 section 3.2.3 sorting example (keys given in another order).
    const sorting = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    expect(canonicalJson(sorting)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
    // Section 3.2.2.3 number examples.
    expect(canonicalJson([1e21, 1e-7, 0.000001, -0, 4.5, 333333333.3333333, 9007199254740992])).toBe(
      '[1e+21,1e-7,0.000001,0,4.5,333333333.3333333,9007199254740992]',
    );
    expect(canonicalJson({ b: [true, null, 'x'], a: { d: 1, c: 2 } })).toBe(
      '{"a":{"c":2,"d":1},"b":[true,null,"x"]}',
    );
  });

  it('canonical-json - refuses what has no canonical form', () => {
    for (const value of [
      Number.NaN,
      Number.POSITIVE_INFINITY,
      { a: Number.NEGATIVE_INFINITY },
      'lone \ud800',
      { '\udc00': 1 },
      10n,
      undefined,
    ]) {
      expect(() => canonicalJson(value)).toThrow(TypeError);
    }
    const circular: Record<string, unknown> = {};
    circular['self'] = circular;
    expect(() => canonicalJson(circular)).toThrow(/nested deeper/);
  });

  it('canonical-json - bytes are the UTF-8 of the text and the record hash is their SHA-256', () => {
    const record = { id: 'r-1', details: { text: 'café ☕' } };
    const bytes = canonicalBytes(record);
    expect(Buffer.from(bytes).toString('utf8')).toBe('{"details":{"text":"café ☕"},"id":"r-1"}');
    expect(recordHash(record)).toBe(createHash('sha256').update(bytes).digest('hex'));
  });
});
