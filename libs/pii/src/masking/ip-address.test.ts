import { describe, expect, it } from 'vitest';
import { DigestStream } from './keyed-digest.ts';
import { fakeIp, formatIpv6, ipv6Groups, truncateIp, unspecifiedIp } from './ip-address.ts';

describe('ip-address helpers', () => {
  it('ip-address - expands every IPv6 text form to eight groups', () => {
    expect(ipv6Groups('2001:db8::1')).toEqual([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]);
    expect(ipv6Groups('::')).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(ipv6Groups('::ffff:192.0.2.128')).toEqual([0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0280]);
    expect(ipv6Groups('1:2:3:4:5:6:7.8.9.10')).toEqual([1, 2, 3, 4, 5, 6, 0x0708, 0x090a]);
    expect(ipv6Groups('not-an-ip')).toBeUndefined();
  });

  it('ip-address - formats RFC 5952 canonical text', () => {
    expect(formatIpv6([0x2001, 0xdb8, 0, 0, 0, 0, 2, 1])).toBe('2001:db8::2:1');
    expect(formatIpv6([0x2001, 0xdb8, 0, 1, 1, 1, 1, 1])).toBe('2001:db8:0:1:1:1:1:1');
    expect(formatIpv6([0x2001, 0, 0, 1, 0, 0, 0, 1])).toBe('2001:0:0:1::1');
    expect(formatIpv6([0, 0, 0, 0, 0, 0, 0, 0])).toBe('::');
  });

  it('ip-address - truncates to the /24 or /48 network and keeps suffixes', () => {
    expect(truncateIp('203.0.113.42')).toBe('203.0.113.0');
    expect(truncateIp('10.1.2.3/32')).toBe('10.1.2.0/32');
    expect(truncateIp('2001:db8:85a3:8d3:1319:8a2e:370:7348')).toBe('2001:db8:85a3::');
    expect(truncateIp('fe80::1%eth0')).toBe('fe80::%eth0');
    expect(truncateIp('nope')).toBeUndefined();
    expect(unspecifiedIp('10.1.2.3/8')).toBe('0.0.0.0/8');
    expect(unspecifiedIp('2001:db8::1')).toBe('::');
  });

  it('ip-address - fakes stay in private ranges of the same family', () => {
    const stream = (): DigestStream => new DigestStream(new Uint8Array(32).fill(7));
    expect(fakeIp('203.0.113.42', stream())).toMatch(/^10\.\d+\.\d+\.\d+$/);
    expect(fakeIp('2001:db8::1', stream())).toMatch(/^fd[0-9a-f]{2}:/);
    expect(fakeIp('203.0.113.42', stream())).toBe(fakeIp('198.51.100.1', stream()));
  });
});
