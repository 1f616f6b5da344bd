/** A parsed IP address: an IPv4 address as an unsigned 32-bit number, IPv6 as eight 16-bit groups. */
export type IpAddress =
  | { readonly family: 'ipv4'; readonly value: number }
  | { readonly family: 'ipv6'; readonly groups: readonly number[] };

/** A parsed `address/prefix` network. */
export interface Cidr {
  /** Network address. */
  readonly address: IpAddress;
  /** Prefix length. */
  readonly prefix: number;
}

const DECIMAL_OCTET = /^(0|[1-9][0-9]{0,2})$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;
const PREFIX = /^(0|[1-9][0-9]{0,2})$/;

/**
 * Parses an IPv4 (dotted decimal, no leading zeros) or IPv6 address (RFC 4291 section 2.2 text
 * forms, including `::` and an embedded IPv4 tail). An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`,
 * as a dual-stack socket reports IPv4 peers) is returned as the IPv4 address. A zone id (`%eth0`)
 * is ignored. Undefined for anything else.
 */
export function parseIpAddress(text: string): IpAddress | undefined {
  const zone = text.indexOf('%');
  const bare = zone < 0 ? text : text.slice(0, zone);
  if (!bare.includes(':')) {
    const value = parseIpv4(bare);
    return value === undefined ? undefined : { family: 'ipv4', value };
  }
  const groups = parseIpv6(bare);
  if (groups === undefined) return undefined;
  if (
    groups[0] === 0 &&
    groups[1] === 0 &&
    groups[2] === 0 &&
    groups[3] === 0 &&
    groups[4] === 0 &&
    groups[5] === 0xffff
  ) {
    return { family: 'ipv4', value: ((groups[6]! << 16) | groups[7]!) >>> 0 };
  }
  return { family: 'ipv6', groups };
}

/** Parses `10.0.0.0/8` or `::1/128`; undefined for anything else (zone ids and bare addresses included). */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0 || text.includes('%')) return undefined;
  const addressText = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  if (!PREFIX.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  // Parse as written: a mapped IPv6 network (`::ffff:0:0/96`) keeps its IPv6 prefix length here.
  const ipv4 = addressText.includes(':') ? undefined : parseIpv4(addressText);
  if (ipv4 !== undefined)
    return prefix > 32 ? undefined : { address: { family: 'ipv4', value: ipv4 }, prefix };
  const groups = addressText.includes(':') ? parseIpv6(addressText) : undefined;
  if (groups === undefined || prefix > 128) return undefined;
  return { address: { family: 'ipv6', groups }, prefix };
}

/** True when `text` is a network {@link parseCidr} accepts. */
export function isCidr(text: string): boolean {
  return parseCidr(text) !== undefined;
}

interface Ipv6Network {
  readonly groups: readonly number[];
  readonly prefix: number;
}

/**
 * A set of client networks compiled once. IPv4-mapped IPv6 client addresses are matched against
 * IPv4 networks (and networks written inside `::ffff:0:0/96` count as IPv4), so a dual-stack
 * listener and an IPv4-only one decide alike.
 */
export class ClientNetworks {
  private readonly ipv4: { readonly base: number; readonly mask: number }[] = [];
  private readonly ipv6: Ipv6Network[] = [];
  // Requests of one session repeat one address: keep the last parse.
  private lastText: string | undefined;
  private lastAddress: IpAddress | undefined;

  /** @throws RangeError for a network {@link parseCidr} rejects (the schema has rejected it before). */
  constructor(cidrs: readonly string[]) {
    for (const text of cidrs) {
      const cidr = parseCidr(text);
      if (cidr === undefined) throw new RangeError(`invalid network ${JSON.stringify(text)}`);
      const { address, prefix } = cidr;
      if (address.family === 'ipv4') {
        this.addIpv4(address.value, prefix);
      } else if (prefix >= 96 && isMapped(address.groups)) {
        this.addIpv4(((address.groups[6]! << 16) | address.groups[7]!) >>> 0, prefix - 96);
      } else {
        this.ipv6.push({ groups: address.groups, prefix });
      }
    }
  }

  /** True when `address` lies in one of the networks; false for anything that is not an IP address. */
  contains(address: string): boolean {
    if (address !== this.lastText) {
      this.lastText = address;
      this.lastAddress = parseIpAddress(address);
    }
    const parsed = this.lastAddress;
    if (parsed === undefined) return false;
    if (parsed.family === 'ipv4') {
      for (const network of this.ipv4) if ((parsed.value & network.mask) >>> 0 === network.base) return true;
      return false;
    }
    for (const network of this.ipv6) if (inIpv6Network(parsed.groups, network)) return true;
    return false;
  }

  private addIpv4(value: number, prefix: number): void {
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    this.ipv4.push({ base: (value & mask) >>> 0, mask });
  }
}

function isMapped(groups: readonly number[]): boolean {
  return groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
}

function inIpv6Network(groups: readonly number[], network: Ipv6Network): boolean {
  let bits = network.prefix;
  for (let i = 0; i < 8 && bits > 0; i++, bits -= 16) {
    const mask = bits >= 16 ? 0xffff : (0xffff << (16 - bits)) & 0xffff;
    if ((groups[i]! & mask) !== (network.groups[i]! & mask)) return false;
  }
  return true;
}

function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!DECIMAL_OCTET.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

function parseIpv6(text: string): number[] | undefined {
  let body = text;
  const tail: number[] = [];
  if (text.includes('.')) {
    // An embedded IPv4 address fills the last two groups.
    const lastColon = text.lastIndexOf(':');
    const ipv4 = parseIpv4(text.slice(lastColon + 1));
    if (ipv4 === undefined) return undefined;
    tail.push(ipv4 >>> 16, ipv4 & 0xffff);
    body = text.slice(0, lastColon + 1);
    // `::ffff:` keeps its `::`; a lone trailing `:` (as in `1:2:3:4:5:6:`) separated the tail.
    if (!body.endsWith('::')) body = body.slice(0, -1);
  }
  const width = 8 - tail.length;
  const gap = body.indexOf('::');
  let groups: number[] | undefined;
  if (gap < 0) {
    groups = parseGroups(body);
    if (groups === undefined || groups.length !== width) return undefined;
  } else {
    if (body.indexOf('::', gap + 1) >= 0) return undefined;
    const head = parseGroups(body.slice(0, gap));
    const rest = parseGroups(body.slice(gap + 2));
    if (head === undefined || rest === undefined || head.length + rest.length > width - 1) return undefined;
    groups = [...head, ...new Array<number>(width - head.length - rest.length).fill(0), ...rest];
  }
  return [...groups, ...tail];
}

function parseGroups(text: string): number[] | undefined {
  if (text === '') return [];
  const groups: number[] = [];
  for (const part of text.split(':')) {
    if (!HEX_GROUP.test(part)) return undefined;
    groups.push(parseInt(part, 16));
  }
  return groups;
}
