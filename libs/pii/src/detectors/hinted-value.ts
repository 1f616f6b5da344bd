import type { SpanList } from '../scan/span-list.ts';
import type { TextFeatures } from '../scan/text-features.ts';
import { DetectorPriority, type Detector, type ScanContext } from './detector.ts';
import { hasLabelBefore } from './label-context.ts';

/** Values that mean "nothing recorded", in any hinted column. */
const PLACEHOLDER =
  /^(?:n\/?a|none|null|nil|unknown|unspecified|not (?:provided|given|set)|-+|\?+|tbd|redacted|\[redacted[^\]]*\])$/i;
const LETTER = /\p{L}/u;
const LETTER_OR_DIGIT = /[\p{L}\d]/u;

/** Which hint-only entity a {@link createHintedValueDetector} reports. */
export const HintedKind = { Name: 'name', Address: 'address', Dob: 'dob' } as const;
/** One hint-only entity kind. */
export type HintedKind = (typeof HintedKind)[keyof typeof HintedKind];

const MONTHS = 'jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec';
/** Dates as people write a birth date: ISO, D/M/Y or M/D/Y with `/ . -`, `17 May 1990`, `May 17, 1990`, `19900517`. */
const DATE = new RegExp(
  [
    '(?<!\\d)(?:',
    '(\\d{4})-(\\d{1,2})-(\\d{1,2})',
    '|(\\d{1,2})[/.-](\\d{1,2})[/.-](\\d{4}|\\d{2})',
    `|\\d{1,2}(?:st|nd|rd|th)? (?:${MONTHS})[a-z]*\\.?,? \\d{4}`,
    `|(?:${MONTHS})[a-z]*\\.? \\d{1,2}(?:st|nd|rd|th)?,? \\d{4}`,
    '|(19\\d\\d|20[0-2]\\d)(0[1-9]|1[0-2])(0[1-9]|[12]\\d|3[01])',
    ')(?!\\d)',
  ].join(''),
  'i',
);

const DATE_ANYWHERE = new RegExp(DATE.source, 'gi');
/** A birth-date label before a date in free text: `DOB: 1990-05-17`, `born on May 17, 1990`. */
const DOB_LABEL = /\b(?:dob|d\.o\.b\.?|date of birth|birth ?date|birthday|born(?: on)?)\W{0,4}$/i;
/** Cheap pre-check: no label word, no labelled date (skips the date regex on most text). */
const DOB_WORD = /dob|d\.o\.b|birth|born/i;

/** True when `text` contains a plausible calendar date (month 1-12, day 1-31 in some order). */
export function findDate(text: string): RegExpExecArray | null {
  const m = DATE.exec(text);
  if (m === null) return null;
  if (m[1] !== undefined) return inRange(Number(m[2]), 12) && inRange(Number(m[3]), 31) ? m : null;
  if (m[4] !== undefined) {
    const a = Number(m[4]);
    const b = Number(m[5]);
    return (inRange(a, 12) && inRange(b, 31)) || (inRange(b, 12) && inRange(a, 31)) ? m : null;
  }
  return m;
}

function inRange(value: number, max: number): boolean {
  return value >= 1 && value <= max;
}

/** Dates right after a birth-date label, in any text. */
function findLabelledDates(text: string, slot: number, out: SpanList): void {
  if (!DOB_WORD.test(text)) return;
  DATE_ANYWHERE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = DATE_ANYWHERE.exec(text)) !== null) {
    if (!hasLabelBefore(text, m.index, DOB_LABEL)) continue;
    const valid = findDate(m[0]);
    if (valid !== null) out.push(m.index, m.index + m[0].length, slot, DetectorPriority.HintedWhole);
  }
}

/**
 * Names, postal addresses and dates of birth have no reliable shape of their own: they are
 * reported only where a hint says the text holds one (column `first_name`, JSON key `address`),
 * and then the whole value (trimmed) is the entity, unless it is a placeholder such as `N/A`.
 * A birth date must also contain a date; in free text a date after a `DOB:` label is one too.
 */
export function createHintedValueDetector(slot: number, kind: HintedKind): Detector {
  return {
    slot,
    priority: DetectorPriority.HintedWhole,
    detect(text: string, features: TextFeatures, context: ScanContext, out: SpanList): void {
      if (context.hint !== slot) {
        if (kind === HintedKind.Dob && features.digits >= 4) findLabelledDates(text, slot, out);
        return;
      }
      if (features.length === 0) return;
      let start = 0;
      let end = text.length;
      while (start < end && text.charCodeAt(start) <= 32) start++;
      while (end > start && text.charCodeAt(end - 1) <= 32) end--;
      if (start === end) return;
      const value = start === 0 && end === text.length ? text : text.slice(start, end);
      if (PLACEHOLDER.test(value)) return;
      if (kind === HintedKind.Dob) {
        const m = findDate(value);
        if (m !== null)
          out.push(start + m.index, start + m.index + m[0].length, slot, DetectorPriority.HintedWhole);
        return;
      }
      const ok = kind === HintedKind.Name ? LETTER.test(value) : LETTER_OR_DIGIT.test(value);
      if (ok) out.push(start, end, slot, DetectorPriority.HintedWhole);
    },
  };
}
