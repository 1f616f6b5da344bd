import type { SpanList } from '../scan/span-list.ts';
import type { TextFeatures } from '../scan/text-features.ts';
import { DetectorPriority, type Detector, type ScanContext } from './detector.ts';
import { hasLabelBefore } from './label-context.ts';

/**
 * SSA rules for a Social Security number (https://www.ssa.gov/employer/randomization.html):
 * area not 000, 666 or 900-999; group not 00; serial not 0000. The two numbers the SSA voided
 * after they were printed in advertising (078-05-1120, 219-09-9999) are refused as well.
 */
export function isValidSsnParts(area: string, group: string, serial: string): boolean {
  if (area.length !== 3 || group.length !== 2 || serial.length !== 4) return false;
  if (area === '000' || area === '666' || area.charCodeAt(0) === 57 /* 9xx */) return false;
  if (group === '00' || serial === '0000') return false;
  const whole = area + group + serial;
  return whole !== '078051120' && whole !== '219099999';
}

/** True when `text` is an SSN in dashed (`123-45-6789`), spaced or bare 9-digit form. */
export function isValidSsn(text: string): boolean {
  const m = /^(\d{3})([- ]?)(\d{2})\2(\d{4})$/.exec(text);
  return m !== null && isValidSsnParts(m[1]!, m[3]!, m[4]!);
}

const DASHED = /(?<![\w-]|\d[ .])(\d{3})-(\d{2})-(\d{4})(?![\w-]|[.,]\d)/g;
const BARE_OR_SPACED = /(?<![\w.,+-]|\d[ ])(\d{3})( ?)(\d{2})\2(\d{4})(?![\w-]|[.,]\d| \d)/g;
/** Labels that make a bare number an SSN in free text: `SSN: 123456789`, `social security no 123 45 6789`. */
const LABEL = /(?:\bssn|\bsocial(?:[ _-]?security)?(?:[ _-]?(?:number|no|num|#))?|\bss#)\W{0,4}$/i;

/**
 * US Social Security numbers. The dashed form is reported anywhere; a bare or space-separated
 * 9-digit number only where a hint says SSN (column name, JSON key, or an `SSN:` label just before
 * it in the text): on its own it is indistinguishable from an order or account number.
 */
export function createUsSsnDetector(slot: number): Detector {
  return {
    slot,
    priority: DetectorPriority.Ssn,
    detect(text: string, features: TextFeatures, context: ScanContext, out: SpanList): void {
      if (features.digits < 9) return;
      let m: RegExpExecArray | null;
      if (features.dash >= 2) {
        DASHED.lastIndex = 0;
        while ((m = DASHED.exec(text)) !== null) {
          if (isValidSsnParts(m[1]!, m[2]!, m[3]!)) {
            out.push(m.index, m.index + m[0].length, slot, DetectorPriority.Ssn);
          }
        }
      }
      BARE_OR_SPACED.lastIndex = 0;
      while ((m = BARE_OR_SPACED.exec(text)) !== null) {
        if (!isValidSsnParts(m[1]!, m[3]!, m[4]!)) continue;
        if (context.hint === slot || hasLabelBefore(text, m.index, LABEL)) {
          out.push(m.index, m.index + m[0].length, slot, DetectorPriority.Ssn);
        }
      }
    },
  };
}
