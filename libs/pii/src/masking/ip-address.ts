import { isIPv4, isIPv6 } from 'node:net';
import type { DigestStream } from './keyed-digest.ts';

/** An address split from its optional zone (`%eth0`) and prefix length (`/24`) suffixes. */
interface SplitAddress {
  readonly address: string;
  readonly suffix: string;
}

function split(text: string): SplitAddress {
  const cut = text.search(/[%/]/);
  return cut < 0 ? { address: text, suffix: '' } : { address: text.slice(0, cut), suffix: text.slice(cut) };
}

/** The eight 16-bit groups of an IPv6 address (RFC 4291 section 2.2 text forms), or undefined. */
export function ipv6Groups(address: string): number[] | undefined {
  if (!isIPv6(address)) return undefined;
  let text = address;
  const tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.indexOf('.', lastColon) > 0) {
    const quad = text
      .slice(lastColon + 1)
      .split('.')
      .map(Number);
    tail.push((quad[0]! << 8) | quad[1]!, (quad[2]! << 8) | quad[3]!);
    text = text.slice(0, lastColon + 1) + '0';
  }
  const [head, rest] = text.split('::') as [string, string | undefined];
  const parse = (part: string | undefined): number[] =>
    part === undefined || part === '' ? [] : part.split(':').map((g) => parseInt(g, 16));
  const left = parse(head);
  const right = parse(rest);
  if (tail.length > 0) (rest === undefined ? left : right).pop();
  const fill = rest === undefined ? 0 : 8 - left.length - right.length - tail.length;
  return [...left, ...new Array<number>(fill).fill(0), ...right, ...tail];
}

/** RFC 5952 text form: lower case, no leading zeros, longest run of 2+ zero groups as `::`. */
export function formatIpv6(groups: readonly number[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/**
 * Truncates an address to its network, as analytics "IP anonymisation" does: IPv4 keeps the /24
 * (`203.0.113.0`), IPv6 the /48. A `/n` or `%zone` suffix is kept. Undefined when not an address.
 */
export function truncateIp(text: string): string | undefined {
  const { address, suffix } = split(text);
  if (isIPv4(address)) return address.slice(0, address.lastIndexOf('.')) + '.0' + suffix;
  const groups = ipv6Groups(address);
  if (groups === undefined) return undefined;
  return formatIpv6([groups[0]!, groups[1]!, groups[2]!, 0, 0, 0, 0, 0]) + suffix;
}

/** The fixed "redacted" address of the same family: `0.0.0.0` or `::` (suffix kept). */
export function unspecifiedIp(text: string): string {
  const { address, suffix } = split(text);
  return (address.includes(':') ? '::' : '0.0.0.0') + suffix;
}

/**
 * A fake address of the same family from `stream`: IPv4 in 10.0.0.0/8 (RFC 1918), IPv6 in
 * fd00::/8 (RFC 4193 unique local), so a fake can never be someone's public address.
 */
export function fakeIp(text: string, stream: DigestStream): string {
  const { address, suffix } = split(text);
  if (!address.includes(':')) return `10.${stream.byte()}.${stream.byte()}.${1 + stream.below(254)}${suffix}`;
  const groups = [0xfd00 | stream.byte()];
  for (let i = 1; i < 8; i++) groups.push(stream.below(65536));
  return formatIpv6(groups) + suffix;
}
