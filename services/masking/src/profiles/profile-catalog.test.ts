import { describe, expect, it } from 'vitest';
import { ConfigError } from '@gatehouse/errors';
import { maskText } from '@gatehouse/pii';
import { ProfileCatalog } from './profile-catalog.ts';

const hashing = 'profiles:\n  pseudo:\n    entities: { email: hash }\n';

describe('ProfileCatalog', () => {
  it('profiles - has the built-in default and strict profiles', () => {
    const catalog = ProfileCatalog.load({ hashKey: 'k'.repeat(16) });
    expect(catalog.names()).toEqual(['default', 'strict']);
    expect(catalog.get('default')?.name).toBe('default');
    expect(catalog.get('nope')).toBeUndefined();
    expect(catalog.ephemeralHashKey).toBe(false);
  });

  it('profiles - adds file profiles; hash output is stable for one MASKING_HASH_KEY and differs for another', () => {
    const text = 'mail jane@example.com now';
    const a = ProfileCatalog.load({ profilesYaml: hashing, hashKey: 'first-key-0123456789' });
    const b = ProfileCatalog.load({ profilesYaml: hashing, hashKey: 'first-key-0123456789' });
    const c = ProfileCatalog.load({ profilesYaml: hashing, hashKey: 'other-key-0123456789' });
    const masked = maskText(text, a.get('pseudo')!).text;
    expect(masked).toMatch(/^mail h:[0-9a-f]{16} now$/u);
    expect(maskText(text, b.get('pseudo')!).text).toBe(masked);
    expect(maskText(text, c.get('pseudo')!).text).not.toBe(masked);
    expect(a.names()).toEqual(['default', 'pseudo', 'strict']);
  });

  it('profiles - without MASKING_HASH_KEY each process draws its own key', () => {
    const a = ProfileCatalog.load({ profilesYaml: hashing });
    const b = ProfileCatalog.load({ profilesYaml: hashing });
    expect(a.ephemeralHashKey).toBe(true);
    const text = 'jane@example.com';
    expect(maskText(text, a.get('pseudo')!).text).not.toBe(maskText(text, b.get('pseudo')!).text);
  });

  it('profiles - a file profile replaces a built-in of the same name', () => {
    const catalog = ProfileCatalog.load({
      profilesYaml: 'profiles:\n  default:\n    entities: { email: redact }\n',
    });
    expect(maskText('call 415-555-0120 or jane@example.com', catalog.get('default')!).text).toBe(
      'call 415-555-0120 or [REDACTED:email]',
    );
  });

  it('profiles - an invalid profile, document or key stops the boot naming the variable and field', () => {
    const load = (profilesYaml: string) => () =>
      ProfileCatalog.load({ profilesYaml, hashKey: 'k'.repeat(16) });
    expect(load('profiles:\n  bad:\n    entities: { email: scramble }\n')).toThrow(
      /MASKING_PROFILES_FILE: .*entities\.email.*scramble/u,
    );
    expect(load('profiles: [a]')).toThrow('expected `profiles:` as a map of profile name to profile');
    expect(load('profiles:\n  bad: 3\n')).toThrow('MASKING_PROFILES_FILE: profile bad must be a map');
    expect(load('profiles: {')).toThrow(ConfigError);
    expect(() => ProfileCatalog.load({ hashKey: 'short' })).toThrow(
      'MASKING_HASH_KEY must be at least 16 characters',
    );
    expect(() => ProfileCatalog.fromFile('/nonexistent/profiles.yaml', undefined)).toThrow(
      'MASKING_PROFILES_FILE: cannot read /nonexistent/profiles.yaml',
    );
  });
});
