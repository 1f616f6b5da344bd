import { demoCountries, type DemoCountry } from './demo-countries.ts';
import { printedIban } from './iban.ts';
import { CardLayout, cardNumber, demoCardSchemes, formatCardNumber } from './payment-cards.ts';
import { SeededRandom } from './seeded-random.ts';

/** One row of the demo `customers` table. */
export interface DemoCustomer {
  id: number;
  fullName: string;
  email: string;
  /** E.164 (`+14155550134`) or, for some US customers, national (`(415) 555-0134`). */
  phone: string;
  /** Luhn-valid, plain or grouped; null for customers without a card on file. */
  cardNumber: string | null;
  /** Dashed SSN, US customers only. */
  ssn: string | null;
  /** Electronic or printed IBAN, customers outside the US only. */
  iban: string | null;
  streetAddress: string;
  city: string;
  postcode: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** `YYYY-MM-DD`. */
  dateOfBirth: string;
  /** Free text; some notes hold an email, a phone number, a card number, an IBAN or an SSN. */
  notes: string | null;
  /** `YYYY-MM-DD HH:MM:SS+00`. */
  createdAt: string;
}

/** One row of the demo `orders` table. */
export interface DemoOrder {
  id: number;
  customerId: number;
  /** Decimal text with two places, e.g. `129.90`. */
  amount: string;
  status: OrderStatus;
  /** `ORD-<year>-<six-digit sequence within the year>`. */
  orderNumber: string;
  /** `YYYY-MM-DD HH:MM:SS+00`. */
  createdAt: string;
}

/** Order states, in lifecycle order. */
export const orderStatuses = ['pending', 'paid', 'shipped', 'delivered', 'refunded', 'cancelled'] as const;
/** One of {@link orderStatuses}. */
export type OrderStatus = (typeof orderStatuses)[number];

/** The whole demo data set. */
export interface DemoDataset {
  customers: DemoCustomer[];
  orders: DemoOrder[];
}

/** Size and seed of a generated data set. */
export interface DemoDatasetOptions {
  /** PRNG seed; the default produces the committed demo.sql. */
  seed?: number;
  /** Number of customers (default 240). */
  customers?: number;
  /** Number of orders (default 500). */
  orders?: number;
}

// Times are whole seconds since the epoch: timestamps are written to the second.
const firstSignup = Date.UTC(2021, 0, 1) / 1000;
const lastSignup = Date.UTC(2024, 9, 1) / 1000;
const lastOrder = Date.UTC(2025, 0, 1) / 1000 - 1;
const oldestBirth = Date.UTC(1950, 0, 1);
const youngestBirth = Date.UTC(2005, 11, 31);

/** Generates the demo customers and orders; the same options always give the same data. */
export function generateDemoDataset(options: DemoDatasetOptions = {}): DemoDataset {
  const random = new SeededRandom(options.seed ?? 20_240_501);
  const customerCount = options.customers ?? 240;
  const orderCount = options.orders ?? 500;

  // Ids follow sign-up time, as a serial column would have assigned them.
  const signups = Array.from({ length: customerCount }, () => random.int(firstSignup, lastSignup)).sort(
    (a, b) => a - b,
  );
  const usedEmails = new Set<string>();
  const customers = signups.map((time, index) => fakeCustomer(random, index + 1, time, usedEmails));

  const orderTimes = Array.from({ length: orderCount }, () => {
    // Frequent buyers: the lower of two draws favours some customers over others.
    const customer = customers[Math.min(random.int(0, customerCount - 1), random.int(0, customerCount - 1))]!;
    return { customer, time: random.int(signups[customer.id - 1]!, lastOrder) };
  }).sort((a, b) => a.time - b.time);
  const perYear = new Map<number, number>();
  const orders = orderTimes.map(({ customer, time }, index): DemoOrder => {
    const year = new Date(time * 1000).getUTCFullYear();
    const sequence = (perYear.get(year) ?? 0) + 1;
    perYear.set(year, sequence);
    // Most orders are small; a cubic curve gives a long tail of large ones.
    const cents = 500 + Math.round(random.next() ** 3 * 149_500);
    return {
      id: index + 1,
      customerId: customer.id,
      amount: (cents / 100).toFixed(2),
      status: random.weighted([
        ['delivered', 50],
        ['shipped', 12],
        ['paid', 12],
        ['pending', 10],
        ['refunded', 6],
        ['cancelled', 10],
      ] as const),
      orderNumber: `ORD-${year}-${String(sequence).padStart(6, '0')}`,
      createdAt: timestamp(time),
    };
  });
  return { customers, orders };
}

function fakeCustomer(
  random: SeededRandom,
  id: number,
  signup: number,
  usedEmails: Set<string>,
): DemoCustomer {
  const country = random.weighted(demoCountries.map((entry) => [entry, entry.weight] as const));
  const first = random.pick(country.firstNames);
  const last = random.pick(country.lastNames);
  const city = random.pick(country.cities);
  const birth = random.int(oldestBirth / 86_400_000, youngestBirth / 86_400_000) * 86_400_000;
  const e164 = city.phone(random);
  const iban = country.iban(random);
  const hasCard = random.chance(0.9);
  const card = hasCard ? fakeCard(random) : null;
  const ssn = country.code === 'US' ? fakeSsn(random) : null;
  const email = uniqueEmail(random, first, last, birth, country, usedEmails);
  return {
    id,
    fullName: `${first} ${last}`,
    email,
    phone: country.code === 'US' && random.chance(0.5) ? nanpNational(e164) : e164,
    cardNumber: card,
    ssn,
    iban: iban === undefined ? null : random.chance(0.3) ? printedIban(iban) : iban,
    streetAddress: country.street(random),
    city: city.name,
    postcode: city.postcode(random),
    country: country.code,
    dateOfBirth: new Date(birth).toISOString().slice(0, 10),
    notes: fakeNote(random, country, first, last, birth, usedEmails),
    createdAt: timestamp(signup),
  };
}

function fakeCard(random: SeededRandom): string {
  const scheme = random.weighted(demoCardSchemes.map((entry) => [entry, entry.weight] as const));
  const layout = random.weighted([
    [CardLayout.Plain, 5],
    [CardLayout.Spaced, 4],
    [CardLayout.Dashed, 1],
  ] as const);
  return formatCardNumber(cardNumber(random, scheme), scheme, layout);
}

// Area 001-899 without 666, group 01-99, serial 0001-9999 (SSA rules); the two SSNs the SSA
// voided after they appeared in advertising are skipped.
function fakeSsn(random: SeededRandom): string {
  for (;;) {
    const area = random.int(1, 899);
    if (area === 666) continue;
    const ssn = `${String(area).padStart(3, '0')}-${String(random.int(1, 99)).padStart(2, '0')}-${String(random.int(1, 9999)).padStart(4, '0')}`;
    if (ssn !== '078-05-1120' && ssn !== '219-09-9999') return ssn;
  }
}

const noteTemplates: readonly ((facts: NoteFacts) => string)[] = [
  (f) => `Prefers contact by email at ${f.email}.`,
  (f) => `Called from ${f.phone} about a late delivery; promised a call back.`,
  (f) => `Card ${f.card} was declined twice, customer asked us to retry next week.`,
  (f) => `Reach me on ${f.phone} or ${f.email} after 6pm.`,
  (f) => `Refund approved. Customer read out card number ${f.card} over the phone - do not store!`,
  (f) => `Wants refunds paid to ${f.iban ?? f.card} instead of the card on file.`,
  (f) => (f.ssn ? `Identity verified with SSN ${f.ssn} on the phone.` : `Identity verified by a video call.`),
  (f) => `Forwarded invoice to ${f.email}, cc accounting.`,
];

const plainNotes: readonly string[] = [
  'VIP customer since the spring sale.',
  'Asked to be removed from the newsletter.',
  'Prefers deliveries after 5pm.',
  'Left a five-star review.',
  'Gift wrapping on every order.',
  'Moved recently; double-check the shipping address.',
];

interface NoteFacts {
  email: string;
  phone: string;
  card: string;
  iban: string | undefined;
  ssn: string | undefined;
}

function fakeNote(
  random: SeededRandom,
  country: DemoCountry,
  first: string,
  last: string,
  birth: number,
  usedEmails: Set<string>,
): string | null {
  const kind = random.weighted([
    ['none', 35],
    ['plain', 25],
    ['pii', 40],
  ] as const);
  if (kind === 'none') return null;
  if (kind === 'plain') return random.pick(plainNotes);
  const phone = random.pick(country.cities).phone(random);
  const facts: NoteFacts = {
    // A second address of the same person, as people give them in conversation.
    email: uniqueEmail(random, first, last, birth, country, usedEmails),
    phone: country.code === 'US' ? random.pick([phone, nanpNational(phone), nanpDashed(phone)]) : phone,
    card: fakeCard(random),
    iban: country.iban(random),
    ssn: country.code === 'US' ? fakeSsn(random) : undefined,
  };
  return random.pick(noteTemplates)(facts);
}

function uniqueEmail(
  random: SeededRandom,
  first: string,
  last: string,
  birth: number,
  country: DemoCountry,
  used: Set<string>,
): string {
  const f = asciiLocal(first);
  const l = asciiLocal(last);
  const year = String(new Date(birth).getUTCFullYear());
  const shapes = [
    `${f}.${l}`,
    `${f[0]}${l}`,
    `${f}${l}${year.slice(2)}`,
    `${f}_${l}`,
    `${l}.${f}${random.int(1, 99)}`,
  ];
  for (let attempt = 0; ; attempt++) {
    const local = attempt < shapes.length ? random.pick(shapes) : `${f}.${l}${attempt}`;
    const email = `${local}@${random.pick(country.emailDomains)}`;
    if (!used.has(email)) {
      used.add(email);
      return email;
    }
  }
}

// Lower-case ASCII for an email local part: accents folded (Müller → muller), other marks dropped.
function asciiLocal(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace('ı', 'i')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

function nanpNational(e164: string): string {
  return `(${e164.slice(2, 5)}) ${e164.slice(5, 8)}-${e164.slice(8)}`;
}

function nanpDashed(e164: string): string {
  return `${e164.slice(2, 5)}-${e164.slice(5, 8)}-${e164.slice(8)}`;
}

function timestamp(epochSeconds: number): string {
  return `${new Date(epochSeconds * 1000).toISOString().slice(0, 19).replace('T', ' ')}+00`;
}
