import type { SpanList } from '../scan/span-list.ts';
import type { TextFeatures } from '../scan/text-features.ts';
import { DetectorPriority, digitsOf, type Detector, type ScanContext } from './detector.ts';

/** A card scheme: its issuer identification number (IIN) ranges and the lengths it issues. */
export interface CardIssuer {
  /** Scheme name, e.g. `visa`. */
  readonly name: string;
  /** Inclusive IIN prefix ranges; both ends have the same number of digits. */
  readonly ranges: readonly (readonly [number, number])[];
  /** Valid card number lengths (PAN digits). */
  readonly lengths: readonly number[];
}

/**
 * IIN ranges and lengths per scheme (ISO/IEC 7812; scheme rules as published by the networks,
 * summarised at https://en.wikipedia.org/wiki/Payment_card_number#Issuer_identification_number_(IIN)).
 * Discover's UnionPay co-brand range is listed before UnionPay so it reports as Discover.
 */
export const CARD_ISSUERS: readonly CardIssuer[] = [
  { name: 'visa', ranges: [[4, 4]], lengths: [13, 16, 19] },
  {
    name: 'mastercard',
    ranges: [
      [51, 55],
      [2221, 2720],
    ],
    lengths: [16],
  },
  {
    name: 'amex',
    ranges: [
      [34, 34],
      [37, 37],
    ],
    lengths: [15],
  },
  {
    name: 'discover',
    ranges: [
      [6011, 6011],
      [644, 649],
      [65, 65],
      [622126, 622925],
    ],
    lengths: [16, 17, 18, 19],
  },
  { name: 'jcb', ranges: [[3528, 3589]], lengths: [16, 17, 18, 19] },
  {
    name: 'diners',
    ranges: [
      [300, 305],
      [3095, 3095],
      [36, 36],
      [38, 39],
    ],
    lengths: [14, 15, 16, 17, 18, 19],
  },
  {
    name: 'unionpay',
    ranges: [
      [62, 62],
      [81, 81],
    ],
    lengths: [16, 17, 18, 19],
  },
];

/** The scheme and the matched IIN prefix length of a card number. */
export interface CardIssuerMatch {
  /** The scheme. */
  readonly issuer: CardIssuer;
  /** How many leading digits identify the scheme (kept by the fake operator). */
  readonly prefixLength: number;
}

/** The scheme whose IIN range and length fit `digits`, or undefined. */
export function cardIssuerOf(digits: string): CardIssuerMatch | undefined {
  for (const issuer of CARD_ISSUERS) {
    if (!issuer.lengths.includes(digits.length)) continue;
    for (const [lo, hi] of issuer.ranges) {
      const width = String(lo).length;
      const prefix = Number(digits.slice(0, width));
      if (prefix >= lo && prefix <= hi) return { issuer, prefixLength: width };
    }
  }
  return undefined;
}

/** Luhn (mod 10) checksum over a digit string: https://en.wikipedia.org/wiki/Luhn_algorithm */
export function luhnValid(digits: string): boolean {
  if (digits.length < 2) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** The digit that makes `partial + digit` pass the Luhn check. */
export function luhnCheckDigit(partial: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(partial + d)) return String(d);
  throw new RangeError('unreachable: one Luhn check digit always exists');
}

/** True when `text` (digits with optional space/dash separators) is a valid card number. */
export function isPaymentCard(text: string): boolean {
  if (!/^\d[\d -]{11,22}\d$/.test(text)) return false;
  const digits = digitsOf(text);
  return cardIssuerOf(digits) !== undefined && luhnValid(digits);
}

/*
 * Candidates: 13-19 contiguous digits, or the printed groupings 4-4-4-4(-3), 4-6-5 / 4-6-4
 * (Amex, Diners) and 4-3-3-3 (13-digit Visa) with one consistent separator. The lookbehind refuses to start inside a longer number (digits,
 * decimals, another spaced group); the lookaheads refuse to stop inside one (a fifth 4-digit
 * group means a tracking or reference number, while `exp 12/25` or a CVV may follow a card).
 */
const CANDIDATE =
  /(?<![\w.,+-]|\d[ ])(?:\d{13,19}|\d{4}([ -])\d{4}\1\d{4}\1\d{4}(?:\1\d{3}(?![ -]?\d))?(?!\1\d{4})|\d{4}([ -])\d{6}\2\d{4,5}|\d{4}([ -])\d{3}\3\d{3}\3\d{3})(?!\w|[.,-]\d)/g;

/** Payment card numbers: IIN range and length per scheme, then Luhn. */
export function createPaymentCardDetector(slot: number): Detector {
  return {
    slot,
    priority: DetectorPriority.Card,
    detect(text: string, features: TextFeatures, _context: ScanContext, out: SpanList): void {
      if (features.digits < 13) return;
      CANDIDATE.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = CANDIDATE.exec(text)) !== null) {
        const digits = digitsOf(m[0]);
        if (luhnValid(digits) && cardIssuerOf(digits) !== undefined) {
          out.push(m.index, m.index + m[0].length, slot, DetectorPriority.Card);
        }
      }
    },
  };
}
