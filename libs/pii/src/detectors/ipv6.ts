import { isIPv6 } from 'node:net';
import type { SpanList } from '../scan/span-list.ts';
import type { TextFeatures } from '../scan/text-features.ts';
import { DetectorPriority, type Detector, type ScanContext } from './detector.ts';

/*
 * Hex groups and colons (with an optional embedded dotted quad), at least two colons, not glued
 * to a word (`std::vector`, `T10:22:31`). node:net decides validity (RFC 4291 section 2.2).
 */
const CANDIDATE =
  /(?<![\w:.])(?:[0-9A-Fa-f]{1,4}|:)?(?::[0-9A-Fa-f]{0,4}){2,8}(?:\.\d{1,3}){0,3}(?:%[0-9A-Za-z]+)?(?![\w:]|\.\d)/g;

/** True when `text` is an IPv6 address with at least one non-zero-width group (not just `::`). */
export function isIpv6(text: string): boolean {
  return text.length > 2 && isIPv6(text);
}

/** IPv6 addresses, validated by `node:net` `isIPv6`. */
export function createIpv6Detector(slot: number): Detector {
  return {
    slot,
    priority: DetectorPriority.Ipv6,
    detect(text: string, features: TextFeatures, _context: ScanContext, out: SpanList): void {
      if (features.colon < 2) return;
      CANDIDATE.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = CANDIDATE.exec(text)) !== null) {
        if (isIpv6(m[0])) out.push(m.index, m.index + m[0].length, slot, DetectorPriority.Ipv6);
      }
    },
  };
}
