// Fake payment card numbers: test BINs that card networks and processors publish for testing,
// random account digits, and a Luhn check digit.
import { luhnCheckDigit } from './luhn.ts';
import type { SeededRandom } from './seeded-random.ts';

/** A card scheme as the generator uses it. */
export interface DemoCardScheme {
  /** Scheme name, e.g. `visa`. */
  readonly name: string;
  /** Issuer prefixes (test and sample BINs) new numbers start with. */
  readonly prefixes: readonly string[];
  /** Number of digits of the whole card number. */
  readonly length: number;
  /** Digit group sizes of the printed form (`4111 1111 1111 1111`, Amex `3782 822463 10005`). */
  readonly groups: readonly number[];
  /** Relative share of cards. */
  readonly weight: number;
}

/** The schemes the demo data uses, with their printed digit grouping. */
export const demoCardSchemes: readonly DemoCardScheme[] = [
  {
    name: 'visa',
    prefixes: ['411111', '424242', '401288', '400005'],
    length: 16,
    groups: [4, 4, 4, 4],
    weight: 40,
  },
  {
    name: 'mastercard',
    prefixes: ['555555', '510510', '222300', '520082'],
    length: 16,
    groups: [4, 4, 4, 4],
    weight: 30,
  },
  { name: 'amex', prefixes: ['378282', '371449', '378734'], length: 15, groups: [4, 6, 5], weight: 12 },
  { name: 'discover', prefixes: ['601111', '601100', '644564'], length: 16, groups: [4, 4, 4, 4], weight: 8 },
  { name: 'jcb', prefixes: ['353011', '356600'], length: 16, groups: [4, 4, 4, 4], weight: 5 },
  { name: 'diners', prefixes: ['305693', '361489', '381520'], length: 14, groups: [4, 6, 4], weight: 5 },
];

/** How a card number is written in a cell or a note. */
export const CardLayout = { Plain: 'plain', Spaced: 'spaced', Dashed: 'dashed' } as const;
/** One of the {@link CardLayout} values. */
export type CardLayout = (typeof CardLayout)[keyof typeof CardLayout];

/** A Luhn-valid number of `scheme` (digits only). */
export function cardNumber(random: SeededRandom, scheme: DemoCardScheme): string {
  const prefix = random.pick(scheme.prefixes);
  const payload = prefix + random.digits(scheme.length - prefix.length - 1);
  return payload + luhnCheckDigit(payload);
}

/** `digits` in the scheme's grouping, separated by spaces or dashes, or unchanged for `plain`. */
export function formatCardNumber(digits: string, scheme: DemoCardScheme, layout: CardLayout): string {
  if (layout === CardLayout.Plain) return digits;
  const parts: string[] = [];
  let offset = 0;
  for (const size of scheme.groups) {
    parts.push(digits.slice(offset, offset + size));
    offset += size;
  }
  return parts.join(layout === CardLayout.Spaced ? ' ' : '-');
}
