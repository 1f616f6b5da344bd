import { describe, expect, it } from 'vitest';
import { builtInProfiles, compileProfile, detectEntities } from '../index.ts';
import { isIpv4 } from './ipv4.ts';
import { isIpv6 } from './ipv6.ts';

const profile = compileProfile(builtInProfiles.strict);
const found = (text: string, column?: string): string[] =>
  detectEntities(text, profile, column === undefined ? undefined : { name: column })
    .filter((f) => f.entity === 'ipv4' || f.entity === 'ipv6')
    .map((f) => `${f.entity}:${text.slice(f.start, f.end)}`);

describe('ip addresses', () => {
  it('ipv4 - each octet is 0-255 without leading zeros', () => {
    expect(isIpv4('192.168.1.10')).toBe(true);
    expect(isIpv4('0.0.0.0')).toBe(true);
    expect(isIpv4('256.1.1.1')).toBe(false);
    expect(isIpv4('01.2.3.4')).toBe(false);
    expect(isIpv4('1.2.3')).toBe(false);
  });

  it('ipv4 - finds addresses in logs, with ports and lists', () => {
    expect(found('GET / from 203.0.113.42 - 200')).toEqual(['ipv4:203.0.113.42']);
    expect(found('db at 10.0.3.17:5432, XFF: 203.0.113.7, 10.0.0.1.')).toEqual([
      'ipv4:10.0.3.17',
      'ipv4:203.0.113.7',
      'ipv4:10.0.0.1',
    ]);
  });

  it('ipv4 - version strings are not addresses: three parts, longer dotted numbers, labels and version columns', () => {
    expect(found('upgraded to 1.2.3 and v1.2.3.4')).toEqual([]);
    expect(found('oid 1.3.6.1.4.1.311 and 1.2.3.4.5')).toEqual([]);
    expect(found('Mozilla/5.0 Chrome/120.0.0.0 Safari/537.36')).toEqual([]);
    expect(found('deployed build 2.4.1.0, release 10.0.0.1')).toEqual([]);
    expect(found('1.2.3.4', 'build_version')).toEqual([]);
    expect(found('1.2.3.4', 'notes')).toEqual(['ipv4:1.2.3.4']);
  });

  it('ipv6 - validated by node:net, in every text form', () => {
    expect(isIpv6('2001:db8::1')).toBe(true);
    expect(isIpv6('::ffff:192.0.2.128')).toBe(true);
    expect(isIpv6('::')).toBe(false);
    expect(found('peer 2001:db8:85a3::8a2e:370:7334 and [fe80::1%eth0]:22')).toEqual([
      'ipv6:2001:db8:85a3::8a2e:370:7334',
      'ipv6:fe80::1%eth0',
    ]);
    expect(found('mapped ::ffff:10.1.2.3 only')).toEqual(['ipv6:::ffff:10.1.2.3']);
    expect(found('end of sentence 2001:db8::1.')).toEqual(['ipv6:2001:db8::1']);
  });

  it('ipv6 - times, MAC addresses and C++ scopes are not addresses', () => {
    expect(found('at 10:22:31 on 2024-05-17T10:22:31Z')).toEqual([]);
    expect(found('mac 00:1a:2b:3c:4d:5e up')).toEqual([]);
    expect(found('std::vector and Foo::Bar::baz')).toEqual([]);
  });
});
