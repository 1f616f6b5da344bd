import { describe, expect, it } from 'vitest';
import { GroupsClaim } from './groups-claim.ts';

describe('GroupsClaim', () => {
  it('GroupsClaim - reads a top-level claim, a nested path and a namespaced name with dots', () => {
    expect(new GroupsClaim('groups').read({ groups: ['a', 'b'] })).toEqual(['a', 'b']);
    expect(new GroupsClaim('realm_access.roles').read({ realm_access: { roles: ['x'] } })).toEqual(['x']);
    expect(new GroupsClaim('https://ex.com/groups').read({ 'https://ex.com/groups': 'y' })).toEqual(['y']);
  });

  it('GroupsClaim - treats an absent or null claim as no groups', () => {
    expect(new GroupsClaim('groups').read({})).toEqual([]);
    expect(new GroupsClaim('groups').read({ groups: null })).toEqual([]);
    expect(new GroupsClaim('a.b.c').read({ a: { b: 'not an object' } })).toEqual([]);
    expect(new GroupsClaim('a.b').read({ a: ['b'] })).toEqual([]);
  });

  it('GroupsClaim - never walks into the prototype chain', () => {
    expect(new GroupsClaim('constructor.name').read({})).toEqual([]);
    expect(new GroupsClaim('__proto__.toString').read({})).toEqual([]);
  });

  it('GroupsClaim - returns undefined for a claim that is not strings', () => {
    expect(new GroupsClaim('groups').read({ groups: 7 })).toBeUndefined();
    expect(new GroupsClaim('groups').read({ groups: ['a', 1] })).toBeUndefined();
    expect(new GroupsClaim('realm_access').read({ realm_access: { roles: ['a'] } })).toBeUndefined();
  });

  it('GroupsClaim - refuses empty paths and empty segments', () => {
    expect(() => new GroupsClaim('')).toThrow('invalid groups claim path ""');
    expect(() => new GroupsClaim('a..b')).toThrow('invalid groups claim path "a..b"');
  });
});
