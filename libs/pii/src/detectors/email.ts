import tldData from '../data/iana-tlds.json' with { type: 'json' };
import type { SpanList } from '../scan/span-list.ts';
import type { TextFeatures } from '../scan/text-features.ts';
import { DetectorPriority, type Detector, type ScanContext } from './detector.ts';

/** Every TLD the email detector accepts (lower case): all ccTLDs and the common gTLDs. */
export const KNOWN_TLDS: ReadonlySet<string> = new Set([...tldData.countryCode, ...tldData.generic]);

/*
 * RFC 5322 dot-atom local part, minus the characters that in practice delimit an address in text
 * rather than belong to it (`/ = ? \``), and no leading quote so `'ann@example.com'` keeps its quotes.
 * The domain is LDH labels (RFC 1035/5890) ending in an alphabetic TLD checked against KNOWN_TLDS.
 */
const LOCAL_ATOM = '[A-Za-z0-9!#$%&*+^_{|}~-]';
const LOCAL = `${LOCAL_ATOM}(?:${LOCAL_ATOM}|'(?=${LOCAL_ATOM}))*(?:\\.${LOCAL_ATOM}(?:${LOCAL_ATOM}|'(?=${LOCAL_ATOM}))*)*`;
const DOMAIN = '(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+([A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})';
const CANDIDATE = new RegExp(`(?<![\\w.!#$%&*+^{|}~-])${LOCAL}@${DOMAIN}(?![\\w-]|\\.[A-Za-z0-9])`, 'g');
const WHOLE = new RegExp(`^${LOCAL}@${DOMAIN}$`);

/** True when the top-level domain is a known IANA TLD. */
function knownTld(tld: string): boolean {
  return KNOWN_TLDS.has(tld.toLowerCase());
}

/** True when `text` is one email address with a known TLD (local part at most 64 octets). */
export function isEmail(text: string): boolean {
  const m = WHOLE.exec(text);
  return m !== null && text.indexOf('@') <= 64 && knownTld(m[1]!);
}

/** Email addresses: RFC-ish local part, LDH domain labels, a TLD from the IANA list. */
export function createEmailDetector(slot: number): Detector {
  return {
    slot,
    priority: DetectorPriority.Email,
    detect(text: string, features: TextFeatures, _context: ScanContext, out: SpanList): void {
      if (features.at === 0 || features.dot === 0) return;
      CANDIDATE.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = CANDIDATE.exec(text)) !== null) {
        const at = m[0].indexOf('@');
        if (at <= 64 && knownTld(m[1]!))
          out.push(m.index, m.index + m[0].length, slot, DetectorPriority.Email);
      }
    },
  };
}
