import { describe, expect, it } from 'vitest';
import { builtInProfiles, compileProfile, detectEntities } from '../index.ts';
import { isEmail, KNOWN_TLDS } from './email.ts';

const profile = compileProfile(builtInProfiles.strict);
const emails = (text: string): string[] =>
  detectEntities(text, profile)
    .filter((f) => f.entity === 'email')
    .map((f) => text.slice(f.start, f.end));

describe('email', () => {
  it('email - the TLD list holds every ccTLD and the common gTLDs, and no file extensions', () => {
    for (const tld of [
      'com',
      'org',
      'net',
      'edu',
      'gov',
      'io',
      'de',
      'uk',
      'fr',
      'jp',
      'br',
      'app',
      'dev',
      'shop',
    ]) {
      expect(KNOWN_TLDS.has(tld)).toBe(true);
    }
    for (const ext of ['png', 'jpg', 'js', 'local', 'internal', 'zip', 'localhost'])
      expect(KNOWN_TLDS.has(ext)).toBe(false);
    expect([...KNOWN_TLDS].filter((t) => t.length === 2).length).toBeGreaterThanOrEqual(245);
  });

  it('email - accepts RFC-ish local parts and rejects unknown TLDs', () => {
    expect(isEmail('jane.doe+orders@mail.example.co.uk')).toBe(true);
    expect(isEmail("o'brien@example.ie")).toBe(true);
    expect(isEmail('Jane@EXAMPLE.COM')).toBe(true);
    expect(isEmail('jane@localhost')).toBe(false);
    expect(isEmail('logo@2x.png')).toBe(false);
    expect(isEmail('relay@mail.internal')).toBe(false);
    expect(isEmail('.jane@example.com')).toBe(false);
    expect(isEmail('jane..doe@example.com')).toBe(false);
    expect(isEmail(`${'a'.repeat(65)}@example.com`)).toBe(false);
  });

  it('email - finds addresses in text without taking the surrounding punctuation', () => {
    expect(emails('Forwarded from Jane <jane@example.com>.')).toEqual(['jane@example.com']);
    expect(emails('mailto:bob@example.org, cc carol_1@example.net')).toEqual([
      'bob@example.org',
      'carol_1@example.net',
    ]);
    expect(emails("send to 'ann@example.fr'")).toEqual(['ann@example.fr']);
    expect(emails('ping @handle and git@github about x@y.local')).toEqual([]);
  });
});
