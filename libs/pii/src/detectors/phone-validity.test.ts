import {
  getCountries,
  getCountryCallingCode,
  isValidPhoneNumber,
  parsePhoneNumber,
  type CountryCode,
  type PhoneNumber,
} from 'libphonenumber-js/max';
import metadata from 'libphonenumber-js/max/metadata';
import examples from 'libphonenumber-js/mobile/examples';
import { describe, expect, it } from 'vitest';
import { PhoneValidity, phoneValidityFor } from './phone-validity.ts';

// The oracle is libphonenumber-js itself: every candidate is asked of `isValidPhoneNumber` and of
// `PhoneValidity.isValid` for the same default region, and any difference fails with both answers.

/** Twelve large markets, plus regions with shared calling codes and national prefix rules. */
const REGIONS: readonly CountryCode[] = [
  'US', 'GB', 'DE', 'FR', 'IN', 'BR', 'AU', 'IT', 'AR', 'MX', 'JP', 'RU',
  'CA', 'KZ', 'GG', 'VA', 'SM', 'CO', 'CN', 'KR',
]; // prettier-ignore

const SEPARATORS = [' ', '-', '.'] as const;

/** Seeded mulberry32, so a failure names a candidate that reproduces. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Draw {
  readonly random: () => number;
  int(below: number): number;
  pick<T>(list: readonly T[]): T;
  digits(count: number): string;
}

function draw(seed: number): Draw {
  const random = seeded(seed);
  const int = (below: number): number => Math.floor(random() * below);
  return {
    random,
    int,
    pick: <T>(list: readonly T[]): T => list[int(list.length)]!,
    digits: (count) => {
      let out = '';
      for (let i = 0; i < count; i++) out += String(int(10));
      return out;
    },
  };
}

/** The tally of one comparison run; `disagreements` names region, candidate and both answers. */
interface Tally {
  cases: number;
  valid: number;
  readonly disagreements: string[];
}

/**
 * libphonenumber-js 1.13.16 checks a `;phone-context=` value with a RegExp that has the `g` flag
 * (helpers/extractPhoneContext.js), so a valid context passes on one call and fails on the next.
 * A failing context resets that RegExp; the oracle does so before each such candidate is asked.
 */
const PHONE_CONTEXT = ';phone-context=';
const resetPhoneContextPattern = (): boolean => isValidPhoneNumber(`${PHONE_CONTEXT}+`, 'US');

function compare(candidates: Iterable<string>, region: CountryCode, tally: Tally): void {
  const validity = new PhoneValidity(region);
  for (const candidate of candidates) {
    const stateful = candidate.includes(PHONE_CONTEXT);
    if (stateful) resetPhoneContextPattern();
    const expected = isValidPhoneNumber(candidate, region);
    if (stateful) resetPhoneContextPattern();
    const actual = validity.isValid(candidate);
    tally.cases++;
    if (expected) tally.valid++;
    if (actual !== expected) {
      tally.disagreements.push(`${region} ${JSON.stringify(candidate)}: library ${expected}, port ${actual}`);
    }
  }
}

const newTally = (): Tally => ({ cases: 0, valid: 0, disagreements: [] });

type PlanLengths = Readonly<Record<string, readonly unknown[]>>;

/**
 * Valid numbers of every country: the mobile example, a variant of it with new last digits, and
 * numbers of other types (fixed line, toll free, ...) found by drawing national numbers of the
 * plan's possible lengths and keeping the first valid one of each type.
 */
function sampleNumbers(d: Draw): PhoneNumber[] {
  const countries = (metadata as unknown as { countries: PlanLengths }).countries;
  const numbers: PhoneNumber[] = [];
  for (const country of getCountries()) {
    const example = examples[country];
    if (example) {
      const parsed = parsePhoneNumber(example, country);
      if (parsed) numbers.push(parsed);
      const variant = parsePhoneNumber(example.slice(0, -3) + d.digits(3), country);
      if (variant?.isValid()) numbers.push(variant);
    }
    const lengths = (countries[country]?.[3] ?? []) as readonly number[];
    const callingCode = getCountryCallingCode(country);
    const types = new Set<string>(['MOBILE']);
    for (let attempt = 0; attempt < 150 && lengths.length > 0; attempt++) {
      const parsed = parsePhoneNumber(`+${callingCode}${d.digits(d.pick(lengths))}`);
      const type = parsed?.isValid() ? String(parsed.getType()) : undefined;
      if (parsed && type !== undefined && !types.has(type)) {
        types.add(type);
        numbers.push(parsed);
      }
    }
  }
  return numbers;
}

/** A parsed metadata pattern: the metadata uses only \d, [classes], (?:groups), |, ?, {n} and {n,m}. */
type PatternNode =
  | { readonly kind: 'choice'; readonly options: readonly (readonly PatternNode[])[] }
  | { readonly kind: 'chars'; readonly chars: string }
  | { readonly kind: 'repeat'; readonly node: PatternNode; readonly min: number; readonly max: number };

function parsePattern(source: string): PatternNode {
  let at = 0;
  const fail = (): never => {
    throw new Error(`unexpected ${JSON.stringify(source[at])} at ${at} in ${source}`);
  };
  const choice = (): PatternNode => {
    const options: PatternNode[][] = [[]];
    while (at < source.length && source[at] !== ')') {
      if (source[at] === '|') {
        at++;
        options.push([]);
        continue;
      }
      options[options.length - 1]!.push(quantified(atom()));
    }
    return { kind: 'choice', options };
  };
  const atom = (): PatternNode => {
    const c = source[at++];
    if (c === '(') {
      if (source.slice(at, at + 2) !== '?:') fail();
      at += 2;
      const inner = choice();
      if (source[at++] !== ')') fail();
      return inner;
    }
    if (c === '[') {
      let chars = '';
      while (source[at] !== ']') {
        const from = source[at++]!;
        if (source[at] === '-' && source[at + 1] !== ']') {
          const to = source[at + 1]!;
          at += 2;
          for (let code = from.charCodeAt(0); code <= to.charCodeAt(0); code++)
            chars += String.fromCharCode(code);
        } else {
          chars += from;
        }
      }
      at++;
      return { kind: 'chars', chars };
    }
    if (c === '\\') {
      if (source[at++] !== 'd') fail();
      return { kind: 'chars', chars: '0123456789' };
    }
    if (c === undefined || !/[0-9]/.test(c)) return fail();
    return { kind: 'chars', chars: c };
  };
  const quantified = (node: PatternNode): PatternNode => {
    if (source[at] === '?') {
      at++;
      return { kind: 'repeat', node, min: 0, max: 1 };
    }
    if (source[at] !== '{') return node;
    const end = source.indexOf('}', at);
    const [min, max] = source.slice(at + 1, end).split(',');
    at = end + 1;
    return { kind: 'repeat', node, min: Number(min), max: max === undefined ? Number(min) : Number(max) };
  };
  const root = choice();
  if (at !== source.length) fail();
  return root;
}

/** A random string the pattern matches entirely. */
function sampleOf(node: PatternNode, d: Draw): string {
  switch (node.kind) {
    case 'chars':
      return node.chars[d.int(node.chars.length)]!;
    case 'choice':
      return d
        .pick(node.options)
        .map((part) => sampleOf(part, d))
        .join('');
    case 'repeat': {
      let out = '';
      const count = node.min + d.int(node.max - node.min + 1);
      for (let i = 0; i < count; i++) out += sampleOf(node.node, d);
      return out;
    }
  }
}

/** A national significant number drawn from a plan's pattern, with what is needed to write it. */
interface PlanSample {
  readonly callingCode: string;
  readonly nationalPrefix: string;
  readonly nationalNumber: string;
}

type PlanTupleView = readonly [string, unknown, string, unknown, unknown, unknown, ...unknown[]];

/**
 * National numbers drawn from every plan's national number pattern and from each of its number
 * types (fixed line, mobile, toll free, ...), geographic and non-geographic: numbers of every
 * type near the edges of its lengths, which examples alone do not reach.
 */
function planSamples(d: Draw, perPattern: number): PlanSample[] {
  const json = metadata as unknown as {
    countries: Record<string, PlanTupleView>;
    nonGeographic: Record<string, PlanTupleView>;
  };
  const samples: PlanSample[] = [];
  for (const tuple of [...Object.values(json.countries), ...Object.values(json.nonGeographic)]) {
    const types = (tuple[11] || []) as readonly (readonly [string] | 0)[];
    const patterns = [tuple[2], ...types.map((type) => (type ? type[0] : '')).filter((p) => p !== '')];
    const nationalPrefix = typeof tuple[5] === 'string' ? tuple[5] : '';
    for (const pattern of patterns) {
      const node = parsePattern(pattern);
      for (let i = 0; i < perPattern; i++) {
        samples.push({ callingCode: tuple[0], nationalPrefix, nationalNumber: sampleOf(node, d) });
      }
    }
  }
  return samples;
}

/** A few ways to write a drawn national number, chosen at random, as seen from any region. */
function writeSample(d: Draw, sample: PlanSample): string {
  const { callingCode, nationalPrefix, nationalNumber } = sample;
  const digits = d.int(5) === 0 ? mutate(d, nationalNumber) : nationalNumber;
  switch (d.int(7)) {
    case 0:
      return `+${callingCode}${digits}`;
    case 1:
      return `+${callingCode} ${grouped(d, digits)}`;
    case 2:
      return grouped(d, nationalPrefix + digits);
    case 3:
      return digits;
    case 4:
      return `${callingCode}${digits}`;
    case 5:
      return `${d.pick(['00', '011', '0011', '810', '8 10', '001', '0 0'])} ${callingCode} ${grouped(d, digits)}`;
    default:
      return `+${callingCode} (${nationalPrefix}) ${grouped(d, digits)}`;
  }
}

/** `+44 20 7946 0958` → `+44 (20) 7946 0958`. */
function parenthesizeArea(international: string): string {
  const groups = international.split(' ');
  if (groups.length < 3) return international;
  return [groups[0], `(${groups[1]})`, ...groups.slice(2)].join(' ');
}

/** One valid number written the ways people and systems write it, as seen from `region`. */
function formatsOf(number: PhoneNumber, region: CountryCode): string[] {
  const international = number.formatInternational();
  const national = number.formatNational();
  const cc = number.countryCallingCode;
  const nn = number.nationalNumber;
  const out = [
    number.number,
    international,
    parenthesizeArea(international),
    `+${cc} (0) ${nn}`,
    `+${cc}0${nn}`,
    national,
    national.replace(/[^0-9]/g, ''),
    nn,
    `${cc}${nn}`,
    `${cc} ${national}`,
    `00${cc}${nn}`,
    `011 ${cc} ${nn}`,
    `1-${national}`,
  ];
  for (const separator of SEPARATORS) {
    out.push(international.replaceAll(' ', separator), national.replaceAll(' ', separator));
  }
  try {
    const idd = number.format('IDD', { fromCountry: region });
    if (idd) out.push(idd);
  } catch {
    // No IDD prefix from this region: nothing to add.
  }
  return out;
}

/** Digits grouped by random separators, sometimes with a parenthesized group. */
function grouped(d: Draw, digits: string): string {
  let out = '';
  let i = 0;
  while (i < digits.length) {
    const size = 1 + d.int(5);
    const group = digits.slice(i, i + size);
    const wrap = d.int(8) === 0;
    if (i > 0) out += d.int(4) === 0 ? '' : d.pick(SEPARATORS);
    out += wrap ? `(${group})` : group;
    i += size;
  }
  return out;
}

const PREFIXES = [
  '',
  '',
  '',
  '1',
  '0',
  '00',
  '000',
  '011',
  '0110',
  '+1',
  '+44 0',
  '+7',
  '8',
  '0011',
  '+',
  '(0)',
  '1-',
] as const;

/** One digit changed, dropped, added, or two swapped. */
function mutate(d: Draw, digits: string): string {
  if (digits.length < 2) return digits;
  const at = d.int(digits.length);
  switch (d.int(4)) {
    case 0:
      return digits.slice(0, at) + String(d.int(10)) + digits.slice(at + 1);
    case 1:
      return digits.slice(0, at) + digits.slice(at + 1);
    case 2:
      return digits.slice(0, at) + String(d.int(10)) + digits.slice(at);
    default:
      return at + 1 < digits.length
        ? digits.slice(0, at) + digits[at + 1]! + digits[at]! + digits.slice(at + 2)
        : digits;
  }
}

/** Candidates in the shapes the detector passes: `+`?, digits, space . - ( ). */
function* randomCandidates(d: Draw, numbers: readonly PhoneNumber[], count: number): Generator<string> {
  for (let i = 0; i < count; i++) {
    switch (d.int(4)) {
      case 0: {
        const run = d.digits(5 + d.int(16));
        yield d.int(2) === 0 ? run : `+${run}`;
        break;
      }
      case 1:
        yield d.pick(PREFIXES) + grouped(d, d.digits(5 + d.int(12)));
        break;
      case 2: {
        const number = d.pick(numbers);
        const digits =
          d.int(2) === 0 ? number.nationalNumber : number.countryCallingCode + number.nationalNumber;
        yield d.pick(PREFIXES) + grouped(d, mutate(d, digits));
        break;
      }
      default: {
        // A formatted number cut after a separator, as the detector retries shorter candidates.
        const formatted =
          d.int(2) === 0 ? d.pick(numbers).formatInternational() : d.pick(numbers).formatNational();
        const cut = formatted.lastIndexOf(' ');
        yield d.int(2) === 0 || cut <= 0 ? formatted : formatted.slice(0, cut);
      }
    }
  }
}

/** Inputs outside the fast path: the port hands them to the library. */
function* delegatedCandidates(d: Draw, numbers: readonly PhoneNumber[], count: number): Generator<string> {
  const toDigits = (text: string, zero: number): string =>
    text.replace(/[0-9]/g, (c) => String.fromCharCode(zero + c.charCodeAt(0) - 48));
  const shapes: ((n: PhoneNumber) => string)[] = [
    (n) => `${n.formatInternational()} ext. 12`,
    (n) => `${n.formatNational()} x123`,
    (n) => `${n.formatNational()}#`,
    (n) => `${n.formatNational()} #45`,
    (n) => `tel:${n.number}`,
    (n) => `tel:${n.nationalNumber};phone-context=+${n.countryCallingCode}`,
    (n) => `tel:${n.number};ext=7`,
    (n) => `${n.number};isub=12`,
    (n) => toDigits(n.formatNational(), 0xff10),
    (n) => toDigits(n.number, 0x0660),
    (n) => toDigits(n.formatInternational(), 0x06f0),
    (n) => n.formatInternational().replaceAll(' ', '/'),
    (n) => n.formatInternational().replaceAll(' ', '\u00a0'),
    (n) => n.formatNational().replaceAll(' ', '\u2013'),
    (n) => n.formatNational().replaceAll(' ', '~'),
    (n) => ` ${n.number}`,
    (n) => `${n.formatNational()} `,
    (n) => `++${n.countryCallingCode}${n.nationalNumber}`,
    (n) => `${n.countryCallingCode}+${n.nationalNumber}`,
    (n) => `\uff0b${n.countryCallingCode}${n.nationalNumber}`,
    (n) => `phone ${n.number}`,
    (n) => `${n.number}a`,
    (n) => `[${n.nationalNumber}]`,
    (n) => `${n.number},,12`,
    (n) => `${n.number};12`,
    (n) => `${n.formatNational()}\t`,
  ];
  yield* ['', '+', '12', '1 2', '+12', '123', '+123', '(1)', '..', '1-800-FLOWERS', 'x', 'ext', '+1 ()'];
  yield '1'.repeat(251);
  yield `+1 ${'2'.repeat(249)}`;
  yield `+1 415 555 0123${' '.repeat(240)}`;
  for (let i = 0; i < count; i++) yield d.pick(shapes)(d.pick(numbers));
}

const NUMBERS = sampleNumbers(draw(7));

describe('phone validity', () => {
  it('phone-validity - gives the library answer on hand-picked numbers of several countries', () => {
    const us = new PhoneValidity('US');
    expect(us.isValid('(415) 555-0123')).toBe(true);
    expect(us.isValid('+1 415 555 0123')).toBe(true);
    expect(us.isValid('1-415-555-0123')).toBe(true);
    expect(us.isValid('011 44 20 7946 0958')).toBe(true); // IDD prefix from the US
    expect(us.isValid('020 7946 0958')).toBe(false);
    expect(us.isValid('123456789')).toBe(false);
    expect(us.isValid('+0 415 555 0123')).toBe(false);
    expect(us.isValid('+44 20 7946 0958 ext. 12')).toBe(true); // delegated: the extension is dropped
    expect(phoneValidityFor('GB').isValid('020 7946 0958')).toBe(true);
    expect(phoneValidityFor('GB').isValid('44 20 7946 0958')).toBe(true); // calling code without `+`
    expect(phoneValidityFor('RU').isValid('8 (800) 555-35-35')).toBe(true); // national prefix 8
    expect(phoneValidityFor('AR').isValid('011 15-2345-6789')).toBe(true); // 15 → 9 transform rule
    expect(phoneValidityFor('IN').isValid('000 800 467 1565')).toBe(true); // `00` then `0` is no IDD
    expect(phoneValidityFor('GB')).toBe(phoneValidityFor('GB'));
  });

  it('phone-validity - agrees with the library on every country example in every format and region', () => {
    expect(NUMBERS.length).toBeGreaterThan(getCountries().length * 2);
    const tally = newTally();
    for (const region of REGIONS) {
      compare(
        NUMBERS.flatMap((n) => formatsOf(n, region)),
        region,
        tally,
      );
    }
    expect(tally.disagreements).toEqual([]);
    expect(tally.cases).toBeGreaterThan(200_000);
    expect(tally.valid).toBeGreaterThan(tally.cases / 4);
  }, 120_000);

  it('phone-validity - agrees with the library on numbers drawn from every plan and number-type pattern', () => {
    const samples = planSamples(draw(11), 4);
    const tally = newTally();
    for (const [index, region] of REGIONS.entries()) {
      const d = draw(3000 + index);
      compare(
        samples.flatMap((sample) => [writeSample(d, sample), writeSample(d, sample)]),
        region,
        tally,
      );
    }
    expect(tally.disagreements).toEqual([]);
    expect(tally.cases).toBe(samples.length * 2 * REGIONS.length);
    expect(tally.valid).toBeGreaterThan(tally.cases / 10);
  }, 120_000);

  it('phone-validity - agrees with the library on 200,000 seeded random candidates in the detector shapes', () => {
    const tally = newTally();
    for (const [index, region] of REGIONS.entries()) {
      compare(randomCandidates(draw(1000 + index), NUMBERS, 10_000), region, tally);
    }
    expect(tally.disagreements).toEqual([]);
    expect(tally.cases).toBe(REGIONS.length * 10_000);
    expect(tally.valid).toBeGreaterThan(tally.cases / 20);
  }, 120_000);

  it('phone-validity - agrees with the library on inputs it delegates (extensions, tel: URIs, other digits)', () => {
    const tally = newTally();
    for (const [index, region] of REGIONS.entries()) {
      compare(delegatedCandidates(draw(2000 + index), NUMBERS, 1_000), region, tally);
    }
    expect(tally.disagreements).toEqual([]);
    expect(tally.valid).toBeGreaterThan(tally.cases / 10);
  }, 120_000);
});
