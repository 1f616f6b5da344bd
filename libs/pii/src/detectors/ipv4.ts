import type { SpanList } from '../scan/span-list.ts';
import type { TextFeatures } from '../scan/text-features.ts';
import { DetectorPriority, type Detector, type ScanContext } from './detector.ts';
import { hasLabelBefore } from './label-context.ts';

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
/*
 * Four octets 0-255 without leading zeros. Not inside a longer dotted number (OIDs, 1.2.3.4.5),
 * not after a letter or `product/` (`v1.2.3.4`, `Chrome/120.0.0.0`), so version strings with
 * three parts never match and most four-part versions do not either.
 */
const CANDIDATE = new RegExp(`(?<![\\w.]|[A-Za-z]/)${OCTET}(?:\\.${OCTET}){3}(?!\\w|\\.\\d)`, 'g');
const WHOLE = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`);
/** `version 1.2.3.4`, `build: 10.0.0.1`, `upgraded to 2.4.1.0`: a four-part version, not an address. */
const VERSION_LABEL =
  /\b(?:version|ver|build|release|rel|firmware|fw|update|upgrade(?:d)?(?: to)?|patch|v)\.?\s*[:#=]?\s*$/i;

/** True when `text` is a dotted-quad IPv4 address (each octet 0-255, no leading zeros). */
export function isIpv4(text: string): boolean {
  return WHOLE.test(text);
}

/**
 * IPv4 addresses. A column whose name says it holds versions or identifiers (`version`,
 * `build`, `oid`) reports no IPv4: `1.2.3.4` there is a version, by the column's own account.
 * In free text a `version` / `build` / `upgraded to` label before the dotted quad says the same.
 */
export function createIpv4Detector(slot: number): Detector {
  return {
    slot,
    priority: DetectorPriority.Ipv4,
    detect(text: string, features: TextFeatures, context: ScanContext, out: SpanList): void {
      if (features.dot < 3 || features.digits < 4) return;
      if (context.identifier && context.hint !== slot) return;
      CANDIDATE.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = CANDIDATE.exec(text)) !== null) {
        if (hasLabelBefore(text, m.index, VERSION_LABEL)) continue;
        out.push(m.index, m.index + m[0].length, slot, DetectorPriority.Ipv4);
      }
    },
  };
}
