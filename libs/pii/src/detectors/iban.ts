import type { SpanList } from '../scan/span-list.ts';
import type { TextFeatures } from '../scan/text-features.ts';
import { DetectorPriority, type Detector, type ScanContext } from './detector.ts';

/**
 * IBAN length per country, from the SWIFT IBAN registry
 * (https://www.swift.com/standards/data-standards/iban-international-bank-account-number).
 */
// prettier-ignore
export const IBAN_LENGTHS: Readonly<Record<string, number>> = Object.freeze({
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28,
  CH: 21, CR: 22, CY: 28, CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18,
  FK: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HN: 28, HR: 21, HU: 28,
  IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20,
  LU: 20, LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19, MN: 20, MR: 27, MT: 31, MU: 30, NI: 28,
  NL: 18, NO: 15, OM: 23, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, RU: 33, SA: 24,
  SC: 31, SD: 18, SE: 24, SI: 19, SK: 24, SM: 27, SO: 23, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26,
  UA: 29, VA: 22, VG: 24, XK: 20, YE: 30,
});

/**
 * ISO 13616 check: move the first four characters to the end, letters become 10..35, and the
 * number mod 97 must be 1. Computed digit by digit so no big integers are needed.
 */
export function ibanMod97(compact: string): number {
  let rem = 0;
  const n = compact.length;
  for (let k = 0; k < n; k++) {
    const c = compact.charCodeAt((k + 4) % n);
    if (c >= 48 && c <= 57) rem = (rem * 10 + (c - 48)) % 97;
    else if (c >= 65 && c <= 90) rem = (rem * 100 + (c - 55)) % 97;
    else return -1;
  }
  return rem;
}

/** True when `text` (optionally space-separated) is an IBAN of the right length for its country. */
export function isValidIban(text: string): boolean {
  const compact = text.replace(/ /g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(compact)) return false;
  return IBAN_LENGTHS[compact.slice(0, 2)] === compact.length && ibanMod97(compact) === 1;
}

/** Electronic (`DE89370400440532013000`) or printed (`DE89 3704 0044 0532 0130 00`) form. */
const CANDIDATE = /(?<![\w-])[A-Z]{2}\d{2}(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,4})?(?!\w)/g;

/**
 * IBANs: country code from the registry table, exact length for that country, mod-97 = 1. When
 * the candidate ran on into a following word, it is cut at the country's length if that falls on
 * a group boundary.
 */
export function createIbanDetector(slot: number): Detector {
  return {
    slot,
    priority: DetectorPriority.Iban,
    detect(text: string, features: TextFeatures, _context: ScanContext, out: SpanList): void {
      if (features.length < 15 || features.digits < 4) return;
      CANDIDATE.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = CANDIDATE.exec(text)) !== null) {
        const candidate = m[0];
        const expected = IBAN_LENGTHS[candidate.slice(0, 2)];
        if (expected === undefined) continue;
        let compact = '';
        let end = -1;
        for (let i = 0; i < candidate.length; i++) {
          const c = candidate.charCodeAt(i);
          if (c === 32) continue;
          compact += c >= 97 ? String.fromCharCode(c - 32) : candidate[i];
          if (compact.length === expected) {
            end = i + 1;
            break;
          }
        }
        if (end < 0 || (end < candidate.length && candidate.charCodeAt(end) !== 32)) continue;
        if (ibanMod97(compact) === 1) out.push(m.index, m.index + end, slot, DetectorPriority.Iban);
      }
    },
  };
}
