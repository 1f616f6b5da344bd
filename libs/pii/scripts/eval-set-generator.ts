/**
 * Deterministic generator of the PII evaluation set: realistic rows of customers, orders,
 * payments, support tickets, application logs and accounts, each cell labelled with the entities
 * it truly holds. Labels come from how a value was built (a card is built Luhn-valid, a hard
 * negative is built to fail), never from running the detectors. Hard negatives sit next to the
 * positives: order and tracking numbers, Luhn-failing 16-digit numbers, bare 9-digit ids, UUIDs,
 * version strings, timestamps, prices, sha1/sha256 hashes, ISBNs, MAC addresses.
 *
 * Free-text names and street addresses are labelled too, although only column hints find them:
 * the table then shows that limit instead of hiding it.
 */

/** One labelled cell of the evaluation set. */
export interface EvalCell {
  /** Table the row belongs to. */
  readonly table: string;
  /** Column name (drives column hints exactly as in production). */
  readonly column: string;
  /** PostgreSQL type name of the column. */
  readonly type: string;
  /** Row number within the table. */
  readonly row: number;
  /** Cell text (text format). */
  readonly value: string;
  /** Entities the cell holds, sorted. */
  readonly labels: readonly string[];
}

/** Seed of the committed fixture. */
export const EVAL_SEED = 20240517;

/** Small fast seeded PRNG (mulberry32). */
class Rng {
  constructor(private state: number) {}

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)]!;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }

  chars(alphabet: string, n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[this.int(0, alphabet.length - 1)];
    return s;
  }
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const ALNUM = UPPER + LOWER + DIGITS;
const HEX = '0123456789abcdef';
const B64URL = ALNUM + '-_';

// prettier-ignore
const FIRST = ['James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth', 'William', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Carlos', 'Maria', 'Wei', 'Mei', 'Aisha', 'Omar', 'Priya', 'Raj', 'Sofia', 'Lucas', 'Emma', 'Noah', 'Olivia', 'Liam', 'Chloé', 'José', 'Zoë', 'Björn', 'Siobhan', 'Kwame', 'Yuki', 'Hiroshi'];
// prettier-ignore
const LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Wilson', 'Anderson', 'Taylor', 'Thomas', 'Moore', 'Martin', 'Lee', "O'Brien", 'Nguyen', 'Patel', 'Kim', 'Müller', 'Schmidt', 'Dubois', 'Rossi', 'Kowalski', 'Andersson', 'Tanaka', 'Okafor', 'Fernández', 'Smith-Jones', 'van der Berg'];
// prettier-ignore
const STREETS = ['Oak', 'Maple', 'Cedar', 'Pine', 'Elm', 'Washington', 'Lake', 'Hill', 'Park', 'Main', 'Church', 'High', 'Station', 'Mill', 'Victoria', 'Baker', 'Sunset', 'Ridge'];
const SUFFIXES = ['St', 'Street', 'Ave', 'Avenue', 'Rd', 'Road', 'Ln', 'Dr', 'Blvd', 'Way', 'Ct'];
// prettier-ignore
const CITIES = ['Springfield', 'Portland', 'Austin', 'Denver', 'Boston', 'Seattle', 'Chicago', 'London', 'Manchester', 'Berlin', 'Munich', 'Paris', 'Lyon', 'Madrid', 'Amsterdam', 'Toronto', 'Dublin', 'São Paulo'];
// prettier-ignore
const DOMAINS = ['example.com', 'gmail.com', 'yahoo.com', 'outlook.com', 'proton.me', 'acme-corp.com', 'mail.example.org', 'uni-heidelberg.de', 'bbc.co.uk', 'orange.fr', 'web.de', 'company.io', 'startup.ai', 'shop.example.net', 'city.gov', 'college.edu'];
// prettier-ignore
const AREA_CODES = ['212', '213', '312', '415', '617', '646', '702', '305', '512', '206', '303', '404', '503', '718', '773', '818', '917', '972', '202', '480'];
const AGENTS = ['Dana', 'Lee', 'Sam', 'Chris', 'Pat', 'Alex', 'Robin'];
const PRODUCTS = [
  'USB-C cable',
  'desk lamp',
  'coffee grinder',
  'running shoes',
  'wireless mouse',
  'yoga mat',
  'kettle',
];
// prettier-ignore
const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  'curl/8.5.0',
  'okhttp/4.12.0',
  'python-requests/2.31.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
];

// ---- value builders: each returns the text; labels are decided by the caller ----

function luhnCheck(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

interface CardScheme {
  readonly prefixes: readonly string[];
  readonly length: number;
  readonly groups: readonly number[];
}

// prettier-ignore
const SCHEMES: readonly CardScheme[] = [
  { prefixes: ['4'], length: 16, groups: [4, 4, 4, 4] },
  { prefixes: ['4'], length: 13, groups: [4, 3, 3, 3] },
  { prefixes: ['51', '52', '53', '54', '55'], length: 16, groups: [4, 4, 4, 4] },
  { prefixes: ['2221', '2300', '2500', '2720'], length: 16, groups: [4, 4, 4, 4] },
  { prefixes: ['34', '37'], length: 15, groups: [4, 6, 5] },
  { prefixes: ['6011', '65', '644', '649'], length: 16, groups: [4, 4, 4, 4] },
  { prefixes: ['3528', '3530', '3589'], length: 16, groups: [4, 4, 4, 4] },
  { prefixes: ['36', '300', '305'], length: 14, groups: [4, 6, 4] },
  { prefixes: ['62'], length: 16, groups: [4, 4, 4, 4] },
  { prefixes: ['62'], length: 19, groups: [4, 4, 4, 4, 3] },
];

function cardDigits(rng: Rng, valid: boolean): { digits: string; scheme: CardScheme } {
  const scheme = rng.pick(SCHEMES);
  const prefix = rng.pick(scheme.prefixes);
  const body = prefix + rng.digits(scheme.length - 1 - prefix.length);
  const check = luhnCheck(body);
  const digit = valid ? check : String((Number(check) + rng.int(1, 9)) % 10);
  return { digits: body + digit, scheme };
}

function formatGroups(digits: string, groups: readonly number[], separator: string): string {
  const parts: string[] = [];
  let at = 0;
  for (const g of groups) {
    parts.push(digits.slice(at, at + g));
    at += g;
  }
  return parts.join(separator);
}

function card(rng: Rng, valid = true): string {
  const { digits, scheme } = cardDigits(rng, valid);
  const style = rng.int(0, 2);
  return style === 0 ? digits : formatGroups(digits, scheme.groups, style === 1 ? ' ' : '-');
}

function ssnParts(rng: Rng): [string, string, string] {
  let area = rng.int(1, 899);
  if (area === 666) area = 667;
  return [
    String(area).padStart(3, '0'),
    String(rng.int(1, 99)).padStart(2, '0'),
    String(rng.int(1, 9999)).padStart(4, '0'),
  ];
}

function invalidSsnParts(rng: Rng): [string, string, string] {
  const [a, g, s] = ssnParts(rng);
  switch (rng.int(0, 3)) {
    case 0:
      return ['000', g, s];
    case 1:
      return ['666', g, s];
    case 2:
      return [String(rng.int(900, 999)), g, s];
    default:
      return [a, '00', s];
  }
}

function usPhone(rng: Rng): string {
  const area = rng.pick(AREA_CODES);
  const exchange = `${rng.int(2, 9)}${rng.int(0, 9)}${rng.int(2, 9)}`;
  const line = rng.digits(4);
  switch (rng.int(0, 7)) {
    case 0:
      return `(${area}) ${exchange}-${line}`;
    case 1:
      return `${area}-${exchange}-${line}`;
    case 2:
      return `${area}.${exchange}.${line}`;
    case 3:
      return `+1 ${area} ${exchange} ${line}`;
    case 4:
      return `+1${area}${exchange}${line}`;
    case 5:
      return `+1 (${area}) ${exchange}-${line}`;
    case 6:
      return `1-${area}-${exchange}-${line}`;
    default:
      return `${area} ${exchange} ${line}`;
  }
}

function intlPhone(rng: Rng): string {
  switch (rng.int(0, 6)) {
    case 0:
      return `+44 20 7${rng.digits(3)} ${rng.digits(4)}`;
    case 1:
      return `+44 7${rng.pick(['4', '5', '7', '8', '9'])}${rng.digits(2)} ${rng.digits(6)}`; // 076 is pagers
    case 2:
      return `+49 30 ${rng.int(2, 9)}${rng.digits(7)}`;
    case 3:
      // 06 39 / 06 90-97 are overseas departments' ranges, not metropolitan mobiles
      return `+33 6 ${rng.int(10, 38)} ${rng.digits(2)} ${rng.digits(2)} ${rng.digits(2)}`;
    case 4:
      return `+61 2 9${rng.digits(3)} ${rng.digits(4)}`;
    case 5:
      return `+81 3-${rng.int(2, 9)}${rng.digits(3)}-${rng.digits(4)}`; // Tokyo numbers never start with 0 or 1
    default:
      return `+34 91 ${rng.digits(3)} ${rng.digits(2)} ${rng.digits(2)}`;
  }
}

function phone(rng: Rng): string {
  return rng.chance(0.7) ? usPhone(rng) : intlPhone(rng);
}

function email(rng: Rng, first = rng.pick(FIRST), last = rng.pick(LAST)): string {
  const f = first
    .normalize('NFD')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
  const l = last
    .normalize('NFD')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
  const local = rng.pick([
    `${f}.${l}`,
    `${f}${l}`,
    `${f[0]}${l}`,
    `${f}_${l}${rng.int(1, 99)}`,
    `${f}+orders`,
    `${l}.${f}`,
  ]);
  const out = `${local}@${rng.pick(DOMAINS)}`;
  return rng.chance(0.1) ? out.replace(/^./, (c) => c.toUpperCase()) : out;
}

// prettier-ignore
const IBAN_FORMATS: Readonly<Record<string, string>> = {
  DE: 'n18', GB: 'a4n14', FR: 'n23', NL: 'a4n10', ES: 'n20', IT: 'a1n22', CH: 'n17', BE: 'n12',
  AT: 'n16', PL: 'n24', SE: 'n20', NO: 'n11', DK: 'n14', IE: 'a4n14', PT: 'n21', FI: 'n14',
};

function ibanCheckDigits(country: string, bban: string): string {
  const rearranged = `${bban}${country}00`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  return String(98n - (BigInt(rearranged) % 97n)).padStart(2, '0');
}

function iban(rng: Rng, valid = true): string {
  const country = rng.pick(Object.keys(IBAN_FORMATS));
  let bban = '';
  for (const [, kind, n] of IBAN_FORMATS[country]!.matchAll(/([an])(\d+)/g)) {
    bban += kind === 'a' ? rng.chars(UPPER, Number(n)) : rng.digits(Number(n));
  }
  let check = ibanCheckDigits(country, bban);
  if (!valid) check = String((Number(check) + rng.int(1, 50)) % 100).padStart(2, '0');
  const compact = country + check + bban;
  return rng.chance(0.5) ? compact : compact.replace(/(.{4})/g, '$1 ').trim();
}

function ipv4(rng: Rng): string {
  switch (rng.int(0, 3)) {
    case 0:
      return `10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
    case 1:
      return `192.168.${rng.int(0, 255)}.${rng.int(1, 254)}`;
    case 2:
      return `203.0.113.${rng.int(1, 254)}`;
    default:
      return `${rng.int(11, 223)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
  }
}

function ipv6(rng: Rng): string {
  const g = (): string => rng.int(0, 0xffff).toString(16);
  switch (rng.int(0, 4)) {
    case 0:
      return `2001:db8:${g()}:${g()}::${g()}`;
    case 1:
      return `fe80::${g()}:${g()}:${g()}:${g()}`;
    case 2:
      return [g(), g(), g(), g(), g(), g(), g(), g()].join(':');
    case 3:
      return `2a02:${g()}:${g()}:${g()}:${g()}:${g()}:${g()}:${g()}`;
    default:
      return `::ffff:${ipv4(rng)}`;
  }
}

function b64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function jwt(rng: Rng): string {
  const header = b64url(JSON.stringify({ alg: rng.pick(['HS256', 'RS256', 'ES256']), typ: 'JWT' }));
  const payload = b64url(
    JSON.stringify({ sub: `user_${rng.digits(6)}`, iat: 1715900000 + rng.int(0, 99999), scope: 'read' }),
  );
  return `${header}.${payload}.${rng.chars(B64URL, 43)}`;
}

function vendorSecret(rng: Rng): string {
  switch (rng.int(0, 8)) {
    case 0:
      return `AKIA${rng.chars(UPPER + '234567', 16)}`;
    case 1:
      return `ASIA${rng.chars(UPPER + '234567', 16)}`;
    case 2:
      return `ghp_${rng.chars(ALNUM, 36)}`;
    case 3:
      return `github_pat_${rng.chars(ALNUM, 22)}_${rng.chars(ALNUM, 59)}`;
    case 4:
      return `xoxb-${rng.digits(12)}-${rng.digits(13)}-${rng.chars(ALNUM, 24)}`;
    case 5:
      return `sk_live_${rng.chars(ALNUM, 24)}`;
    case 6:
      return `AIza${rng.chars(ALNUM + '-_', 35)}`;
    case 7:
      return `sk-proj-${rng.chars(B64URL, 48)}`;
    default:
      return `sk-ant-api03-${rng.chars(B64URL, 93)}AA`;
  }
}

function pem(rng: Rng): string {
  const kind = rng.pick(['RSA ', 'EC ', 'OPENSSH ', '']);
  const lines = Array.from({ length: rng.int(3, 6) }, () => rng.chars(ALNUM + '+/', 64));
  return `-----BEGIN ${kind}PRIVATE KEY-----\n${lines.join('\n')}\n-----END ${kind}PRIVATE KEY-----`;
}

function randomToken(rng: Rng): string {
  switch (rng.int(0, 2)) {
    case 0:
      return rng.chars(HEX, rng.pick([32, 40, 64]));
    case 1:
      return rng.chars(ALNUM + '-_', 43);
    default:
      return rng.chars(ALNUM, 32);
  }
}

function uuid(rng: Rng): string {
  const h = rng.chars(HEX, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[rng.int(0, 3)]}${h.slice(17, 20)}-${h.slice(20)}`;
}

function timestamp(rng: Rng, iso = rng.chance(0.5)): string {
  const d = `2024-0${rng.int(1, 9)}-${String(rng.int(1, 28)).padStart(2, '0')}`;
  const t = `${String(rng.int(0, 23)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}`;
  return iso ? `${d}T${t}.${rng.digits(3)}Z` : `${d} ${t}+00`;
}

function dob(rng: Rng): string {
  const y = rng.int(1940, 2005);
  const m = rng.int(1, 12);
  const d = rng.int(1, 28);
  const months = [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ];
  const two = (n: number): string => String(n).padStart(2, '0');
  switch (rng.int(0, 3)) {
    case 0:
      return `${y}-${two(m)}-${two(d)}`;
    case 1:
      return `${two(m)}/${two(d)}/${y}`;
    case 2:
      return `${two(d)}.${two(m)}.${y}`;
    default:
      return `${months[m - 1]} ${d}, ${y}`;
  }
}

function streetAddress(rng: Rng): string {
  const base = `${rng.int(1, 9999)} ${rng.pick(STREETS)} ${rng.pick(SUFFIXES)}`;
  return rng.chance(0.2) ? `${base}, Apt ${rng.int(1, 40)}${rng.pick(['', 'B', 'C'])}` : base;
}

function postcode(rng: Rng): string {
  switch (rng.int(0, 3)) {
    case 0:
      return rng.digits(5);
    case 1:
      return `${rng.digits(5)}-${rng.digits(4)}`;
    case 2:
      return `${rng.chars(UPPER, 2)}${rng.int(1, 9)} ${rng.int(1, 9)}${rng.chars(UPPER, 2)}`;
    default:
      return String(rng.int(10000, 99999));
  }
}

function fullName(rng: Rng): string {
  const first = rng.pick(FIRST);
  const last = rng.pick(LAST);
  return rng.chance(0.15) ? `${first} ${rng.chars(UPPER, 1)}. ${last}` : `${first} ${last}`;
}

function price(rng: Rng): string {
  return rng.pick([
    `$${rng.int(1, 999)}.${rng.digits(2)}`,
    `$${rng.int(1, 9)},${rng.digits(3)}.${rng.digits(2)}`,
    `EUR ${rng.int(1, 500)},${rng.digits(2)}`,
  ]);
}

function isbn(rng: Rng): string {
  const body = `978${rng.int(0, 1)}${rng.digits(8)}`;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(body[i]) * (i % 2 === 0 ? 1 : 3);
  const check = String((10 - (sum % 10)) % 10);
  const full = body + check;
  return rng.chance(0.5)
    ? full
    : `${full.slice(0, 3)}-${full.slice(3, 4)}-${full.slice(4, 7)}-${full.slice(7, 12)}-${full.slice(12)}`;
}

function tracking(rng: Rng): string {
  switch (rng.int(0, 3)) {
    case 0:
      return `1Z${rng.chars(UPPER + DIGITS, 6)}${rng.digits(10)}`;
    case 1:
      return rng.chance(0.5) ? `${rng.int(2, 9)}${rng.digits(11)}` : `96${rng.digits(20)}`;
    case 2:
      return `94${rng.digits(2)} ${rng.digits(4)} ${rng.digits(4)} ${rng.digits(4)} ${rng.digits(4)} ${rng.digits(2)}`;
    default:
      return `JD${rng.digits(16)}GB`;
  }
}

function orderNumber(rng: Rng): string {
  return rng.pick([
    `ORD-2024-${rng.digits(6)}`,
    `#${rng.int(100000, 999999)}`,
    `${rng.int(1, 9)}${rng.digits(9)}`,
    `SO${rng.digits(8)}`,
  ]);
}

function version(rng: Rng, parts: number): string {
  return Array.from({ length: parts }, (_, i) => String(i === 0 ? rng.int(0, 12) : rng.int(0, 40))).join('.');
}

function macAddress(rng: Rng): string {
  return Array.from({ length: 6 }, () => rng.chars(HEX, 2)).join(':');
}

function luhnFailing16(rng: Rng): string {
  const { digits } = (() => {
    for (;;) {
      const c = cardDigits(rng, false);
      if (c.digits.length === 16) return c;
    }
  })();
  return rng.chance(0.5) ? digits : formatGroups(digits, [4, 4, 4, 4], ' ');
}

function bareNineDigits(rng: Rng): string {
  return `${rng.int(1, 8)}${rng.digits(8)}`;
}

// ---- free text: each template returns the text and its labels ----

interface Labelled {
  readonly text: string;
  readonly labels: readonly string[];
}

type Template = (rng: Rng) => Labelled;

const positiveNotes: readonly Template[] = [
  (r) => ({ text: `Customer called from ${usPhone(r)} about a late delivery.`, labels: ['phone'] }),
  (r) => ({
    text: `Please update the billing email to ${email(r)} before the next invoice.`,
    labels: ['email'],
  }),
  (r) => ({ text: `Card on file ${card(r)} was declined, asked for a new card.`, labels: ['card'] }),
  (r) => ({ text: `Refund sent to IBAN ${iban(r)} on ${dob(r)}.`, labels: ['iban'] }),
  (r) => {
    const [a, g, s] = ssnParts(r);
    return { text: `Identity verified with SSN ${a}-${g}-${s} by agent ${r.pick(AGENTS)}.`, labels: ['ssn'] };
  },
  (r) => {
    const [a, g, s] = ssnParts(r);
    return { text: `SSN: ${a}${g}${s} (verbal confirmation)`, labels: ['ssn'] };
  },
  (r) => ({ text: `Login from ${ipv4(r)} at ${timestamp(r)} flagged as unusual.`, labels: ['ipv4'] }),
  (r) => ({ text: `VPN session from ${ipv6(r)} dropped twice.`, labels: ['ipv6'] }),
  (r) => ({ text: `Reach me at ${email(r)} or ${phone(r)}, thanks!`, labels: ['email', 'phone'] }),
  (r) => ({ text: `Prefers WhatsApp: ${intlPhone(r)}`, labels: ['phone'] }),
  (r) => ({
    text: `Contact: ${email(r)}; backup contact (mobile) ${usPhone(r)}`,
    labels: ['email', 'phone'],
  }),
  (r) => ({
    text: `Paid with ${r.pick(['Visa', 'Mastercard', 'Amex', 'card'])} ${card(r)}, exp ${r.int(1, 12)}/${r.int(25, 30)}.`,
    labels: ['card'],
  }),
  (r) => ({ text: `Wire transfer from ${iban(r)} received, ref ${orderNumber(r)}.`, labels: ['iban'] }),
  (r) => ({ text: `DOB ${dob(r)} confirmed over the phone.`, labels: ['dob'] }),
  (r) => ({ text: `Spoke with ${fullName(r)} about the refund.`, labels: ['name'] }),
  (r) => ({ text: `Ship to ${streetAddress(r)}, ${r.pick(CITIES)} instead.`, labels: ['address'] }),
  (r) => ({
    text: `call me at ${r.pick(AREA_CODES)}${r.int(2, 9)}${r.digits(6)} after 5pm`,
    labels: ['phone'],
  }),
  (r) => ({ text: `${email(r)}`, labels: ['email'] }),
  (r) => ({ text: `${usPhone(r)}`, labels: ['phone'] }),
  (r) => ({ text: `Forwarded from ${fullName(r)} <${email(r)}>`, labels: ['email', 'name'] }),
  (r) => ({ text: `Unsubscribe link was mailto:${email(r)}.`, labels: ['email'] }),
  (r) => ({
    text: `Customer (${email(r)}) wants a callback at ${usPhone(r)} ext. ${r.int(10, 999)}`,
    labels: ['email', 'phone'],
  }),
  (r) => ({ text: `card#${cardDigits(r, true).digits} entered twice`, labels: ['card'] }),
  (r) => {
    const [a, g, s] = ssnParts(r);
    return {
      text: r.chance(0.5) ? `SSN#${a}-${g}-${s}` : `social security number ${a} ${g} ${s}`,
      labels: ['ssn'],
    };
  },
  (r) => ({ text: `IBAN:${iban(r).replace(/ /g, '')}`, labels: ['iban'] }),
  (r) => ({ text: `X-Forwarded-For: ${ipv4(r)}, ${ipv4(r)}`, labels: ['ipv4'] }),
  (r) => ({ text: `tel:+1${r.pick(AREA_CODES)}${r.int(2, 9)}${r.digits(6)}`, labels: ['phone'] }),
  (r) => ({
    text: `Sent from ${email(r).replace(/@(.*)$/, (_m, d: string) => `@${d.toUpperCase()}`)}`,
    labels: ['email'],
  }),
  (r) => ({
    text: `Link-local peer fe80::${r.int(1, 0xffff).toString(16)}:${r.int(1, 0xffff).toString(16)}%eth0 seen`,
    labels: ['ipv6'],
  }),
];

const negativeNotes: readonly Template[] = [
  (r) => ({ text: `Order ${orderNumber(r)} shipped via UPS, tracking ${tracking(r)}.`, labels: [] }),
  (r) => ({ text: `Total ${price(r)} incl. tax, paid ${timestamp(r)}.`, labels: [] }),
  (r) => ({ text: `Reference number ${luhnFailing16(r)} quoted by customer.`, labels: [] }),
  (r) => ({
    text: `Ticket merged into #${r.int(10000, 99999)}; customer id ${bareNineDigits(r)}.`,
    labels: [],
  }),
  (r) => ({ text: `Book ISBN ${isbn(r)} backordered until ${dob(r)}.`, labels: [] }),
  (r) => ({ text: `App upgraded to version ${version(r, 3)} (build ${version(r, 4)}).`, labels: [] }),
  (r) => ({ text: `Request ${uuid(r)} failed with 502 after 30s.`, labels: [] }),
  (r) => ({ text: `Attachment sha256 ${r.chars(HEX, 64)} scanned clean.`, labels: [] }),
  (r) => ({ text: `Commit ${r.chars(HEX, 40)} fixed the checkout bug.`, labels: [] }),
  (r) => ({
    text: `Item ${r.pick(PRODUCTS)} x${r.int(1, 5)}, SKU ${r.chars(UPPER, 3)}-${r.digits(5)}.`,
    labels: [],
  }),
  (r) => ({
    text: `Router MAC ${macAddress(r)} replaced at ${r.int(1, 12)}:${r.int(10, 59)} pm.`,
    labels: [],
  }),
  (r) => ({ text: `Invoice ${r.int(1, 9)}${r.digits(9)} is overdue by ${r.int(2, 40)} days.`, labels: [] }),
  (r) => ({
    text: `Customer asked about the @${r.pick(LAST).toLowerCase()} handle and logo@2x.png size.`,
    labels: [],
  }),
  (r) => ({ text: `Zip ${r.digits(5)}-${r.digits(4)} is outside our delivery zone.`, labels: [] }),
  (r) => ({ text: `Masked card ending ${r.digits(4)} (************${r.digits(4)}) on file.`, labels: [] }),
  (r) => ({ text: `Call window 9-5, room ${r.int(100, 999)}, ratio 16:9 screen.`, labels: [] }),
  (r) => ({ text: `Delivered ${dob(r)}; rating ${r.int(1, 5)}.${r.int(0, 9)} of 5.`, labels: [] }),
  (r) => ({ text: `Coupon code SAVE${r.int(10, 50)} applied to order ${orderNumber(r)}.`, labels: [] }),
  (r) => ({ text: `Wrong IBAN given: ${iban(r, false)} (check digits fail).`, labels: [] }),
  (r) => ({ text: `Old card ${luhnFailing16(r)} typed wrong, rejected by form.`, labels: [] }),
  (r) => ({ text: `Store coordinates 37.${r.digits(4)}, -122.${r.digits(4)} updated.`, labels: [] }),
  (r) => ({
    text: `Release ${r.int(1, 12)}.${r.int(0, 9)}.${r.int(0, 99)}.${r.int(0, 255)} fixes the login loop.`,
    labels: [],
  }),
  (r) => ({ text: `Epoch ${r.int(1700000000, 1719999999)} seen in the webhook.`, labels: [] }),
  (r) => ({
    text: `Amount ${r.int(1, 9)}.${r.digits(3)}.${r.digits(3)},${r.digits(2)} EUR disputed.`,
    labels: [],
  }),
  (_r) => ({ text: `Relay noreply@mail.internal bounced it back.`, labels: [] }),
  (r) => ({ text: `Built from v${version(r, 3)}-${r.int(1, 99)}-g${r.chars(HEX, 7)}.`, labels: [] }),
  (r) => ({ text: `Brand color #${r.chars(HEX, 6)}, hours 10:00-18:30.`, labels: [] }),
  (r) => ({ text: `Device serial SN-${r.digits(12)} registered.`, labels: [] }),
  (r) => ({ text: `Long batch id ${r.int(1, 9)}${r.digits(21)} reprocessed.`, labels: [] }),
];

const logLines: readonly Template[] = [
  (r) => ({
    text: `${timestamp(r, true)} INFO [http] ${ipv4(r)} - - "GET /api/v1/orders/${r.int(1000, 99999)} HTTP/1.1" 200 ${r.int(100, 9999)} "-" "${r.pick(USER_AGENTS)}"`,
    labels: ['ipv4'],
  }),
  (r) => ({
    text: `${timestamp(r, true)} WARN auth failed for user=${email(r)} from ${ipv6(r)}`,
    labels: ['email', 'ipv6'],
  }),
  (r) => ({
    text: `${timestamp(r, true)} DEBUG outbound call Authorization: Bearer ${jwt(r)}`,
    labels: ['secret'],
  }),
  (r) => ({ text: `${timestamp(r, true)} INFO deployed build ${version(r, 4)} to production`, labels: [] }),
  (r) => ({
    text: `${timestamp(r, true)} INFO cache hit ratio 0.${r.digits(2)} for key sku:${r.chars(UPPER, 2)}-${r.digits(4)}`,
    labels: [],
  }),
  (r) => ({
    text: `${timestamp(r, true)} ERROR db timeout after ${r.int(1000, 30000)}ms request_id=${uuid(r)}`,
    labels: [],
  }),
  (r) => ({
    text: `${timestamp(r, true)} INFO payment processed amount=${r.int(1, 999)}.${r.digits(2)} card=************${r.digits(4)}`,
    labels: [],
  }),
  (r) => ({
    text: `${timestamp(r, true)} DEBUG git sha ${r.chars(HEX, 40)} built in ${r.int(20, 300)}s`,
    labels: [],
  }),
  (r) => ({
    text: `${timestamp(r, true)} WARN slow query ${r.int(1, 9)}.${r.digits(3)}s on ${ipv4(r)}:5432`,
    labels: ['ipv4'],
  }),
  (r) => ({
    text: `${timestamp(r, true)} INFO snmp trap oid=1.3.6.1.4.1.${r.int(1000, 9999)}.${r.int(1, 20)}.1.3.1`,
    labels: [],
  }),
  (r) => ({ text: `${timestamp(r, true)} INFO link up mac=${macAddress(r)} speed=1000`, labels: [] }),
  (r) => ({
    text: `${timestamp(r, true)} DEBUG aws client using key ${vendorSecret(r)}`,
    labels: ['secret'],
  }),
  (r) => ({
    text: `${timestamp(r, true)} INFO config DATABASE_URL=postgres://app:${r.chars(ALNUM, 14)}@db.internal:5432/app`,
    labels: ['secret'],
  }),
  (r) => ({
    text: `${timestamp(r, true)} INFO user ${r.digits(6)} logged in password=${r.chars(ALNUM, r.int(8, 14))}`,
    labels: ['secret'],
  }),
  (r) => ({ text: `${timestamp(r, true)} INFO checksum sha1=${r.chars(HEX, 40)} ok`, labels: [] }),
  (r) => ({
    text: `${timestamp(r, true)} INFO worker ${r.int(1, 16)}/16 processed ${r.int(10, 9999)} jobs in ${r.int(1, 59)}.${r.digits(2)}s`,
    labels: [],
  }),
  (r) => ({ text: `${timestamp(r, true)} INFO upgraded agent to v${version(r, 4)}`, labels: [] }),
  (r) => ({ text: `${timestamp(r, true)} INFO sms sent to ${phone(r)} status=delivered`, labels: ['phone'] }),
  (r) => ({
    text: `${timestamp(r, true)} INFO listening on ${ipv4(r)}:8080 and [${ipv6(r)}]:8080`,
    labels: ['ipv4', 'ipv6'],
  }),
  (r) => ({
    text: `${timestamp(r, true)} ERROR std::vector bounds check failed at 0x${r.chars(HEX, 12)}`,
    labels: [],
  }),
];

// ---- tables ----

interface Column {
  readonly name: string;
  readonly type: string;
  readonly cell: (rng: Rng, row: number) => Labelled;
}

const plain = (text: string, ...labels: string[]): Labelled => ({ text, labels });

function mostly(rng: Rng, p: number, yes: () => Labelled, no: () => Labelled): Labelled {
  return rng.chance(p) ? yes() : no();
}

const PLACEHOLDERS = ['', 'N/A', 'unknown', '-'];

const TABLES: Readonly<Record<string, { readonly rows: number; readonly columns: readonly Column[] }>> = {
  customers: {
    rows: 160,
    columns: [
      { name: 'id', type: 'int4', cell: (_r, i) => plain(String(1000 + i)) },
      {
        name: 'full_name',
        type: 'text',
        cell: (r) =>
          mostly(
            r,
            0.95,
            () => plain(fullName(r), 'name'),
            () => plain(r.pick(PLACEHOLDERS)),
          ),
      },
      {
        name: 'email',
        type: 'varchar',
        cell: (r) =>
          mostly(
            r,
            0.95,
            () => plain(email(r), 'email'),
            () => plain(r.pick(['', 'N/A', 'jane.doe@', 'unknown'])),
          ),
      },
      {
        name: 'phone',
        type: 'varchar',
        cell: (r) =>
          mostly(
            r,
            0.93,
            () => plain(phone(r), 'phone'),
            () => plain(r.pick(['', 'N/A', '555-0100', '000-000-0000'])),
          ),
      },
      {
        name: 'date_of_birth',
        type: 'date',
        cell: (r) =>
          plain(
            `${r.int(1940, 2005)}-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}`,
            'dob',
          ),
      },
      {
        name: 'ssn',
        type: 'text',
        cell: (r) => {
          if (r.chance(0.1)) {
            const [a, g, s] = invalidSsnParts(r);
            return plain(r.chance(0.5) ? `${a}-${g}-${s}` : `${a}${g}${s}`);
          }
          const [a, g, s] = ssnParts(r);
          return plain(r.pick([`${a}-${g}-${s}`, `${a}${g}${s}`, `${a} ${g} ${s}`]), 'ssn');
        },
      },
      { name: 'street_address', type: 'text', cell: (r) => plain(streetAddress(r), 'address') },
      { name: 'city', type: 'text', cell: (r) => plain(r.pick(CITIES), 'address') },
      { name: 'postcode', type: 'varchar', cell: (r) => plain(postcode(r), 'address') },
      {
        name: 'notes',
        type: 'text',
        cell: (r) =>
          r.chance(0.25) ? plain('') : r.chance(0.5) ? r.pick(positiveNotes)(r) : r.pick(negativeNotes)(r),
      },
      { name: 'created_at', type: 'timestamptz', cell: (r) => plain(timestamp(r, false)) },
    ],
  },
  orders: {
    rows: 160,
    columns: [
      { name: 'order_number', type: 'text', cell: (r) => plain(orderNumber(r)) },
      { name: 'tracking_number', type: 'text', cell: (r) => plain(tracking(r)) },
      { name: 'isbn', type: 'varchar', cell: (r) => plain(r.chance(0.6) ? isbn(r) : '') },
      { name: 'amount', type: 'numeric', cell: (r) => plain(`${r.int(1, 2999)}.${r.digits(2)}`) },
      {
        name: 'shipping_address',
        type: 'text',
        cell: (r) => plain(`${streetAddress(r)}, ${r.pick(CITIES)} ${postcode(r)}`, 'address'),
      },
      { name: 'contact_phone', type: 'text', cell: (r) => plain(usPhone(r), 'phone') },
      {
        name: 'delivery_notes',
        type: 'text',
        cell: (r) => (r.chance(0.4) ? r.pick(positiveNotes)(r) : r.pick(negativeNotes)(r)),
      },
    ],
  },
  payments: {
    rows: 160,
    columns: [
      { name: 'payment_id', type: 'uuid', cell: (r) => plain(uuid(r)) },
      {
        name: 'card_number',
        type: 'text',
        cell: (r) =>
          mostly(
            r,
            0.92,
            () => plain(card(r), 'card'),
            () => plain(`**** **** **** ${r.digits(4)}`),
          ),
      },
      {
        name: 'iban',
        type: 'text',
        cell: (r) =>
          mostly(
            r,
            0.9,
            () => plain(iban(r), 'iban'),
            () => plain(iban(r, false)),
          ),
      },
      {
        name: 'reference',
        type: 'text',
        cell: (r) => plain(r.chance(0.5) ? luhnFailing16(r) : orderNumber(r)),
      },
      { name: 'payer_email', type: 'text', cell: (r) => plain(email(r), 'email') },
      {
        name: 'memo',
        type: 'text',
        cell: (r) =>
          r.pick<Template>([
            (x) => ({ text: `Chargeback on ${card(x)} disputed.`, labels: ['card'] }),
            (x) => ({ text: `Transfer to ${iban(x)}`, labels: ['iban'] }),
            (x) => ({ text: `Payout batch ${x.digits(8)} ${price(x)}`, labels: [] }),
            (x) => ({ text: `Test card ${luhnFailing16(x)} rejected`, labels: [] }),
            (x) => ({ text: `Receipt sent to ${email(x)}`, labels: ['email'] }),
            (x) => ({ text: `3DS challenge from ${ipv4(x)}`, labels: ['ipv4'] }),
          ])(r),
      },
      { name: 'metadata', type: 'jsonb', cell: (r) => jsonMetadata(r) },
    ],
  },
  support_tickets: {
    rows: 220,
    columns: [
      { name: 'ticket_id', type: 'int8', cell: (_r, i) => plain(String(500000 + i)) },
      {
        name: 'subject',
        type: 'text',
        cell: (r) =>
          plain(
            r.pick([
              'Refund request',
              'Late delivery',
              'Cannot log in',
              'Wrong item',
              'Card declined',
              'Change address',
            ]),
          ),
      },
      {
        name: 'body',
        type: 'text',
        cell: (r) => {
          const parts = [
            r.pick(positiveNotes)(r),
            r.pick(negativeNotes)(r),
            ...(r.chance(0.4) ? [r.pick(positiveNotes)(r)] : []),
          ];
          return {
            text: parts.map((p) => p.text).join(' '),
            labels: [...new Set(parts.flatMap((p) => p.labels))],
          };
        },
      },
      { name: 'customer_email', type: 'text', cell: (r) => plain(email(r), 'email') },
    ],
  },
  app_logs: {
    rows: 320,
    columns: [
      { name: 'logged_at', type: 'timestamptz', cell: (r) => plain(timestamp(r, false)) },
      { name: 'level', type: 'text', cell: (r) => plain(r.pick(['INFO', 'WARN', 'ERROR', 'DEBUG'])) },
      { name: 'message', type: 'text', cell: (r) => r.pick(logLines)(r) },
      {
        name: 'client_ip',
        type: 'text',
        cell: (r) =>
          r.chance(0.75) ? plain(ipv4(r), 'ipv4') : r.chance(0.8) ? plain(ipv6(r), 'ipv6') : plain('-'),
      },
      { name: 'user_agent', type: 'text', cell: (r) => plain(r.pick(USER_AGENTS)) },
      { name: 'build_version', type: 'text', cell: (r) => plain(version(r, r.chance(0.5) ? 4 : 3)) },
      { name: 'request_id', type: 'text', cell: (r) => plain(uuid(r)) },
    ],
  },
  accounts: {
    rows: 120,
    columns: [
      {
        name: 'username',
        type: 'text',
        cell: (r) =>
          plain(
            `${r
              .pick(FIRST)
              .toLowerCase()
              .normalize('NFD')
              .replace(/[^a-z]/g, '')}${r.int(1, 999)}`,
          ),
      },
      {
        name: 'api_token',
        type: 'text',
        cell: (r) =>
          mostly(
            r,
            0.85,
            () => plain(r.chance(0.5) ? randomToken(r) : vendorSecret(r), 'secret'),
            () => plain(r.pick(['', 'revoked', 'pending'])),
          ),
      },
      { name: 'file_sha256', type: 'text', cell: (r) => plain(r.chars(HEX, 64)) },
      { name: 'config', type: 'text', cell: (r) => configBlob(r) },
      { name: 'last_login_ip', type: 'inet', cell: (r) => plain(ipv4(r), 'ipv4') },
    ],
  },
};

function jsonMetadata(rng: Rng): Labelled {
  const doc: Record<string, unknown> = {
    source: rng.pick(['web', 'ios', 'android', 'pos']),
    attempt: rng.int(1, 3),
  };
  const labels: string[] = [];
  if (rng.chance(0.5)) {
    doc['customer_email'] = email(rng);
    labels.push('email');
  }
  if (rng.chance(0.4)) {
    doc['ip'] = ipv4(rng);
    labels.push('ipv4');
  }
  if (rng.chance(0.3)) {
    const [a, g, s] = ssnParts(rng);
    doc['ssn'] = `${a}${g}${s}`;
    labels.push('ssn');
  }
  if (rng.chance(0.3)) doc['device_id'] = uuid(rng);
  if (rng.chance(0.3)) doc['card_last4'] = rng.digits(4);
  return { text: JSON.stringify(doc).replace(/,"/g, ', "').replace(/":/g, '": '), labels: labels.sort() };
}

function configBlob(rng: Rng): Labelled {
  switch (rng.int(0, 4)) {
    case 0:
      return { text: pem(rng), labels: ['secret'] };
    case 1:
      return {
        text: `region=us-east-1\naws_access_key_id=${vendorSecret(rng)}\nretries=3`,
        labels: ['secret'],
      };
    case 2:
      return { text: `timeout=30\nmax_connections=${rng.int(10, 200)}\nlog_level=info`, labels: [] };
    case 3:
      return {
        text: `endpoint=https://api.example.com/v${rng.int(1, 3)}\nbuild=${version(rng, 4)}`,
        labels: [],
      };
    default:
      return {
        text: `client_secret=${rng.chars(ALNUM, 40)}\nclient_id=${rng.digits(12)}`,
        labels: ['secret'],
      };
  }
}

/** Generates every labelled cell of the evaluation set for `seed`, in a stable order. */
export function generateEvalSet(seed: number = EVAL_SEED): EvalCell[] {
  const rng = new Rng(seed);
  const cells: EvalCell[] = [];
  for (const [table, spec] of Object.entries(TABLES)) {
    for (let row = 0; row < spec.rows; row++) {
      for (const column of spec.columns) {
        const { text, labels } = column.cell(rng, row);
        cells.push({
          table,
          column: column.name,
          type: column.type,
          row,
          value: text,
          labels: [...new Set(labels)].sort(),
        });
      }
    }
  }
  return cells;
}

/** The evaluation set as JSON Lines, one cell per line. */
export function evalSetJsonl(seed: number = EVAL_SEED): string {
  return generateEvalSet(seed)
    .map((c) => JSON.stringify(c))
    .join('\n')
    .concat('\n');
}
