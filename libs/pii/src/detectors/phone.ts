import type { CountryCode } from 'libphonenumber-js/max';
import type { SpanList } from '../scan/span-list.ts';
import type { TextFeatures } from '../scan/text-features.ts';
import { DetectorPriority, type Detector, type ScanContext } from './detector.ts';
import { hasLabelBefore } from './label-context.ts';
import { phoneValidityFor, type PhoneValidity } from './phone-validity.ts';

/**
 * Formatted phone candidates in free text (validity is decided by libphonenumber, not here):
 * international with `+`; NANP `(415) 555-0123` / `415-555-0123` / `1-800-555-0199`; national
 * numbers with a trunk `0` (`020 7946 0958`, `01 23 45 67 89`). Separators: space, dot, dash.
 */
const FORMATTED = new RegExp(
  [
    '(?<![\\w+.,-]|\\d[ ])(?:',
    '\\+\\d{1,3}(?:[ .-]?\\(\\d{1,4}\\))?(?:[ .-]?\\d{1,5}){1,6}',
    '|(?:1[ .-])?(?:\\(\\d{3}\\) ?|\\d{3}[ .-])\\d{3}[ .-]\\d{4}',
    '|\\(\\d{3}\\)\\d{3}-\\d{4}',
    '|\\(?0\\d{1,4}\\)?[ .-]\\d{2,4}(?:[ .-]\\d{2,4}){1,3}',
    ')(?!\\w|[.,-]\\d)',
  ].join(''),
  'g',
);
/** A bare digit run: a phone only with a hint or a label such as `tel:` or `call me at`. */
const BARE = /(?<![\w+.,-])\d{7,15}(?!\w|[.,-]\d)/g;
const LABEL =
  /\b(?:tel|phone|ph|mobile|mob|cell|fax|sms|whatsapp|call(?:ed)?|text(?:ed)?|contact|reach|dial(?:l?ed)?)\b(?: +(?:me|us|him|her|them|back|no|number|nr))?(?: +(?:at|on))?\W{0,4}$/i;
/** A whole cell that is nothing but a phone number in some format. */
const WHOLE = /^\+?[\d(][\d ().-]{5,22}\d$/;

/**
 * True when `candidate` is a valid phone number (E.164 with `+`, otherwise national for `region`):
 * libphonenumber-js `isValidPhoneNumber`, answered by {@link PhoneValidity}.
 */
export function isPhoneNumber(candidate: string, region: CountryCode): boolean {
  return phoneValidityFor(region).isValid(candidate);
}

/**
 * Tries `candidate`, then shorter versions that drop trailing digit groups, so that
 * `+1 415 555 0123 12 items` still yields the phone number. Returns the valid length or 0.
 */
function validPrefixLength(candidate: string, validity: PhoneValidity): number {
  let end = candidate.length;
  for (let attempts = 0; attempts < 3; attempts++) {
    const text = candidate.slice(0, end);
    let digits = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 48 && c <= 57) digits++;
    }
    if (digits < 7) return 0;
    if (digits <= 15 && validity.isValid(text)) return end;
    const cut = Math.max(text.lastIndexOf(' '), text.lastIndexOf('-'), text.lastIndexOf('.'));
    if (cut <= 0) return 0;
    end = cut;
  }
  return 0;
}

/**
 * Phone numbers validated as libphonenumber-js `isValidPhoneNumber` (full metadata) would, by
 * {@link PhoneValidity} with its patterns compiled once. In free
 * text only formatted numbers count, or a bare digit run after a label; a whole cell may be any
 * format, E.164 or national for the profile's default region, unless the column holds identifiers.
 */
export function createPhoneDetector(slot: number, region: CountryCode): Detector {
  const validity = phoneValidityFor(region);
  return {
    slot,
    priority: DetectorPriority.Phone,
    detect(text: string, features: TextFeatures, context: ScanContext, out: SpanList): void {
      if (features.digits < 7) return;
      if (context.wholeCell && (!context.identifier || context.hint === slot)) {
        const start = leadingSpaces(text);
        const end = text.length - trailingSpaces(text);
        if (end - start <= 24) {
          const core = start === 0 && end === text.length ? text : text.slice(start, end);
          if (WHOLE.test(core) && validity.isValid(core)) {
            out.push(start, end, slot, DetectorPriority.Phone);
            return;
          }
        }
      }
      let m: RegExpExecArray | null;
      FORMATTED.lastIndex = 0;
      while ((m = FORMATTED.exec(text)) !== null) {
        const length = validPrefixLength(m[0], validity);
        if (length > 0) out.push(m.index, m.index + length, slot, DetectorPriority.Phone);
      }
      BARE.lastIndex = 0;
      while ((m = BARE.exec(text)) !== null) {
        if (context.hint !== slot && !hasLabelBefore(text, m.index, LABEL)) continue;
        if (validity.isValid(m[0])) out.push(m.index, m.index + m[0].length, slot, DetectorPriority.Phone);
      }
    },
  };
}

function leadingSpaces(text: string): number {
  let i = 0;
  while (i < text.length && text.charCodeAt(i) === 32) i++;
  return i;
}

function trailingSpaces(text: string): number {
  let i = 0;
  while (i < text.length && text.charCodeAt(text.length - 1 - i) === 32) i++;
  return i;
}
