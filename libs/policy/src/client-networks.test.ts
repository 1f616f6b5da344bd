import { isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClientNetworks, isCidr, parseCidr, parseIpAddress } from './client-networks.ts';

describe('client networks', () => {
  it('parseIpAddress - reads IPv4, IPv6 text forms, embedded and mapped IPv4, and zone ids', () => {
    expect(parseIpAddress('10.1.2.3')).toEqual({ family: 'ipv4', value: 0x0a010203 });
    expect(parseIpAddress('::1')).toEqual({ family: 'ipv6', groups: [0, 0, 0, 0, 0, 0, 0, 1] });
    expect(parseIpAddress('2001:DB8::8:800:200C:417A')).toEqual({
      family: 'ipv6',
      groups: [0x2001, 0xdb8, 0, 0, 0x8, 0x800, 0x200c, 0x417a],
    });
    expect(parseIpAddress('::ffff:10.1.2.3')).toEqual({ family: 'ipv4', value: 0x0a010203 });
    expect(parseIpAddress('0:0:0:0:0:ffff:a01:203')).toEqual({ family: 'ipv4', value: 0x0a010203 });
    expect(parseIpAddress('64:ff9b::192.0.2.33')).toEqual({
      family: 'ipv6',
      groups: [0x64, 0xff9b, 0, 0, 0, 0, 0xc000, 0x0221],
    });
    expect(parseIpAddress('fe80::1%eth0')).toEqual({ family: 'ipv6', groups: [0xfe80, 0, 0, 0, 0, 0, 0, 1] });
  });

  it('parseIpAddress - rejects what is not an address', () => {
    for (const text of [
      '',
      'localhost',
      '1.2.3',
      '1.2.3.4.5',
      '256.0.0.1',
      '01.2.3.4',
      '1:2:3:4:5:6:7:8:9',
      '1::2::3',
      ':::',
      '12345::',
      '1.2.3.4::',
      '::1.2.3',
    ]) {
      expect(parseIpAddress(text), text).toBeUndefined();
    }
  });

  it('parseIpAddress - accepts exactly the addresses node:net accepts', () => {
    const ipv6 = fc
      .array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 })
      .chain((groups) =>
        fc.tuple(
          fc.constant(groups),
          fc.integer({ min: 0, max: 7 }),
          fc.integer({ min: 0, max: 8 }),
          fc.boolean(),
        ),
      )
      .map(([groups, from, length, upper]) => {
        const hex = groups.map((group) => (upper ? group.toString(16).toUpperCase() : group.toString(16)));
        const end = Math.min(8, from + length);
        return length < 2 ? hex.join(':') : `${hex.slice(0, from).join(':')}::${hex.slice(end).join(':')}`;
      });
    const ipv4 = fc
      .array(fc.integer({ min: 0, max: 300 }), { minLength: 3, maxLength: 5 })
      .map((octets) => octets.join('.'));
    fc.assert(
      fc.property(fc.oneof(ipv6, ipv4), (text) => {
        expect(parseIpAddress(text) !== undefined).toBe(isIP(text) !== 0);
      }),
      { numRuns: 2000 },
    );
  });

  it('parseCidr - requires a prefix within the family and rejects zone ids', () => {
    expect(parseCidr('10.0.0.0/8')).toEqual({ address: { family: 'ipv4', value: 0x0a000000 }, prefix: 8 });
    expect(parseCidr('::/0')?.prefix).toBe(0);
    expect(
      ['10.0.0.0/33', '10.0.0.0', '10.0.0.0/08', '::1/129', 'fe80::%eth0/64', 'x/8', '10.0.0.0/'].filter(
        isCidr,
      ),
    ).toEqual([]);
  });

  it('contains - matches IPv4 networks of every prefix length, host bits ignored', () => {
    const networks = new ClientNetworks(['10.0.0.0/8', '192.0.2.7/32', '172.16.5.9/12']);
    expect(networks.contains('10.255.255.255')).toBe(true);
    expect(networks.contains('11.0.0.0')).toBe(false);
    expect(networks.contains('192.0.2.7')).toBe(true);
    expect(networks.contains('192.0.2.6')).toBe(false);
    expect(networks.contains('172.31.0.1')).toBe(true);
    expect(networks.contains('172.32.0.1')).toBe(false);
    expect(new ClientNetworks(['0.0.0.0/0']).contains('203.0.113.9')).toBe(true);
  });

  it('contains - matches IPv6 networks, never confusing the families', () => {
    const networks = new ClientNetworks(['2001:db8::/33', '::1/128']);
    expect(networks.contains('2001:db8:7fff::1')).toBe(true);
    expect(networks.contains('2001:db8:8000::1')).toBe(false);
    expect(networks.contains('::1')).toBe(true);
    expect(networks.contains('127.0.0.1')).toBe(false);
    expect(new ClientNetworks(['127.0.0.0/8']).contains('::1')).toBe(false);
    expect(new ClientNetworks(['::/0']).contains('10.0.0.1')).toBe(false);
  });

  it('contains - treats IPv4-mapped addresses and networks as IPv4', () => {
    expect(new ClientNetworks(['10.0.0.0/8']).contains('::ffff:10.9.8.7')).toBe(true);
    const mapped = new ClientNetworks(['::ffff:10.0.0.0/104']);
    expect(mapped.contains('10.1.1.1')).toBe(true);
    expect(mapped.contains('11.1.1.1')).toBe(false);
  });

  it('contains - answers correctly when the address changes between calls', () => {
    const networks = new ClientNetworks(['10.0.0.0/8']);
    expect([
      networks.contains('10.0.0.1'),
      networks.contains('10.0.0.1'),
      networks.contains('9.0.0.1'),
      networks.contains('x'),
    ]).toEqual([true, true, false, false]);
  });
});
