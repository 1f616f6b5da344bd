import { isValidPhoneNumber, type CountryCode } from 'libphonenumber-js/max';
import metadataJson from 'libphonenumber-js/max/metadata';

// A port of the parse + isValid path of libphonenumber-js 1.13.16 (`isValidPhoneNumber`, `max`
// metadata) for the shapes the phone detector produces: an optional leading `+`, ASCII digits and
// the separators space . - ( ). Every metadata pattern is compiled once; the library builds a
// RegExp per pattern per call, which made it a quarter of the masking service's CPU. Function
// names in comments are the library's (node_modules/libphonenumber-js/source/); anything else is
// passed to `isValidPhoneNumber` itself, so the answers are the library's by construction there.

/** constants.js: bounds of a national (significant) number. */
const MIN_LENGTH_FOR_NSN = 2;
const MAX_LENGTH_FOR_NSN = 17;
/** constants.js: a calling code has one to three digits. */
const MAX_LENGTH_COUNTRY_CODE = 3;
/** parse.js: longer input is refused as TOO_LONG (left to the library here). */
const MAX_INPUT_STRING_LENGTH = 250;
/** metadata.js `getType`: the ten number types are the first ten entries of a plan's types. */
const NUMBER_TYPE_COUNT = 10;

const PLUS = 43;
const ZERO = 48;
const NINE = 57;
const NON_DIGITS = /[^0-9]/g;

/** One number type of a plan as the metadata stores it: pattern, then its own possible lengths. */
type TypeTuple = readonly [pattern: string, possibleLengths?: readonly number[]];

/**
 * The positions of a v4 numbering-plan tuple that validation reads (metadata.js `NumberingPlan`);
 * the metadata writes 0 for an absent value.
 */
type PlanTuple = readonly [
  callingCode: string,
  iddPrefix: string | 0,
  nationalNumberPattern: string,
  possibleLengths: readonly number[] | 0,
  formats?: unknown,
  nationalPrefix?: string | 0,
  nationalPrefixFormattingRule?: unknown,
  nationalPrefixForParsing?: string | 0,
  nationalPrefixTransformRule?: string | 0,
  nationalPrefixIsOptionalWhenFormatting?: unknown,
  leadingDigits?: string | 0,
  types?: readonly (TypeTuple | 0)[] | 0,
  ...rest: unknown[],
];

/** The subset of the `max` metadata JSON the port reads. */
interface MetadataV4 {
  readonly version: number;
  readonly country_calling_codes: Readonly<Record<string, readonly string[]>>;
  readonly countries: Readonly<Record<string, PlanTuple>>;
  readonly nonGeographic: Readonly<Record<string, PlanTuple>>;
}

/** checkNumberLength.js results that the validity path distinguishes. */
const LengthCheck = {
  IsPossible: 'IS_POSSIBLE',
  TooShort: 'TOO_SHORT',
  TooLong: 'TOO_LONG',
  InvalidLength: 'INVALID_LENGTH',
} as const;
type LengthCheck = (typeof LengthCheck)[keyof typeof LengthCheck];

/** checkNumberLength.js `checkNumberLengthForType` without a type. */
function checkNumberLength(nationalNumber: string, lengths: readonly number[] | undefined): LengthCheck {
  if (lengths === undefined) return LengthCheck.IsPossible;
  const length = nationalNumber.length;
  // `?? NaN` keeps the library's comparisons with `undefined` for an empty list.
  const minimum = lengths[0] ?? NaN;
  if (minimum === length) return LengthCheck.IsPossible;
  if (minimum > length) return LengthCheck.TooShort;
  if ((lengths[lengths.length - 1] ?? NaN) < length) return LengthCheck.TooLong;
  return lengths.indexOf(length, 1) >= 0 ? LengthCheck.IsPossible : LengthCheck.InvalidLength;
}

/** `^(?:pattern)$`, as helpers/matchesEntirely.js builds it on every call. */
const entire = (pattern: string): RegExp => new RegExp(`^(?:${pattern})$`);
/** A match at index 0: what `text.search(pattern) === 0` and `new RegExp('^(?:' + p + ')')` test. */
const atStart = (pattern: string): RegExp => new RegExp(`^(?:${pattern})`);

/** One number type with its pattern compiled (helpers/getNumberType.js `isNumberTypeEqualTo`). */
interface NumberType {
  readonly pattern: RegExp;
  readonly lengths: readonly number[] | undefined;
}

/** A calling code and the countries that share it (undefined for a non-geographic code). */
interface CallingCode {
  readonly code: string;
  readonly countries: readonly string[] | undefined;
  readonly nonGeographic: PlanTuple | undefined;
}

/** One numbering plan (a country's, or a non-geographic calling code's) with its patterns compiled. */
class NumberingPlan {
  readonly callingCode: CallingCode;
  readonly iddPrefix: RegExp | undefined;
  readonly nationalNumber: RegExp;
  readonly possibleLengths: readonly number[] | undefined;
  readonly nationalPrefixForParsing: RegExp | undefined;
  readonly nationalPrefixTransformRule: string | undefined;
  readonly leadingDigits: RegExp | undefined;
  /** Undefined when the plan lists no types: validity is then the national number pattern alone. */
  readonly types: readonly NumberType[] | undefined;

  constructor(tuple: PlanTuple, callingCode: CallingCode) {
    this.callingCode = callingCode;
    this.iddPrefix = tuple[1] ? atStart(tuple[1]) : undefined;
    this.nationalNumber = entire(tuple[2]);
    this.possibleLengths = tuple[3] || undefined;
    // nationalPrefixForParsing() falls back to the national prefix itself.
    const prefixForParsing = tuple[7] || tuple[5];
    this.nationalPrefixForParsing = prefixForParsing ? atStart(prefixForParsing) : undefined;
    this.nationalPrefixTransformRule = tuple[8] || undefined;
    this.leadingDigits = tuple[10] ? atStart(tuple[10]) : undefined;
    const types = tuple[11];
    if (!types || types.length === 0) {
      this.types = undefined;
    } else {
      const compiled: NumberType[] = [];
      for (const type of types.slice(0, NUMBER_TYPE_COUNT)) {
        // A type with an empty pattern (US mobile) never matches.
        if (!type || !type[0]) continue;
        compiled.push({ pattern: entire(type[0]), lengths: type[1] || this.possibleLengths });
      }
      this.types = compiled;
    }
  }

  /** helpers/getNumberType.js returns a type: the number matches the plan and one of its types. */
  hasNumberType(nationalNumber: string): boolean {
    if (this.types === undefined || !this.nationalNumber.test(nationalNumber)) return false;
    const length = nationalNumber.length;
    for (const type of this.types) {
      if (type.lengths !== undefined && type.lengths.indexOf(length) < 0) continue;
      if (type.pattern.test(nationalNumber)) return true;
    }
    return false;
  }

  /** isValid.js `isValidNumber` for a national number of this plan. */
  isValidNationalNumber(nationalNumber: string): boolean {
    return this.types === undefined
      ? this.nationalNumber.test(nationalNumber)
      : this.hasNumberType(nationalNumber);
  }

  /** helpers/stripIddPrefix.js: the digits after an IDD prefix, or undefined when none is stripped. */
  stripIddPrefix(digits: string): string | undefined {
    if (this.iddPrefix === undefined) return undefined;
    const match = this.iddPrefix.exec(digits);
    if (match === null) return undefined;
    const rest = digits.slice(match[0].length);
    // A `0` after the IDD prefix is not a calling code: the number stays national.
    return rest.charCodeAt(0) === ZERO ? undefined : rest;
  }
}

/**
 * The metadata's plans and calling codes, each plan compiled on first use and kept, and the parse +
 * isValid path over them (no per-call RegExp, no Metadata or PhoneNumber objects).
 */
class NumberingPlans {
  private readonly metadata: MetadataV4;
  /** Calling codes by numeric value: none starts with 0, so values of different lengths differ. */
  private readonly callingCodes: (CallingCode | undefined)[] = new Array<CallingCode | undefined>(1000);
  private readonly countryPlans = new Map<string, NumberingPlan>();
  private readonly nonGeographicPlans = new Map<string, NumberingPlan>();

  constructor(metadata: MetadataV4) {
    this.metadata = metadata;
    for (const [code, countries] of Object.entries(metadata.country_calling_codes)) {
      // metadata.js `getCountryCodesForCallingCode`: a lone 3-letter entry ("001") is no country.
      const geographic = !(countries.length === 1 && countries[0]?.length === 3);
      this.callingCodes[Number(code)] = {
        code,
        countries: geographic ? countries : undefined,
        nonGeographic: geographic ? undefined : metadata.nonGeographic[code],
      };
    }
    for (const [code, tuple] of Object.entries(metadata.nonGeographic)) {
      this.callingCodes[Number(code)] ??= { code, countries: undefined, nonGeographic: tuple };
    }
  }

  /** The plan of a country the metadata lists, else undefined. */
  country(country: string): NumberingPlan | undefined {
    let plan = this.countryPlans.get(country);
    if (plan === undefined && Object.hasOwn(this.metadata.countries, country)) {
      const tuple = this.metadata.countries[country]!;
      plan = new NumberingPlan(tuple, this.callingCodes[Number(tuple[0])]!);
      this.countryPlans.set(country, plan);
    }
    return plan;
  }

  /** metadata.js `selectNumberingPlan(callingCode)`: the first country's plan, or the non-geographic one. */
  forCallingCode(callingCode: CallingCode): NumberingPlan | undefined {
    const first = callingCode.countries?.[0];
    if (first !== undefined) return this.country(first);
    let plan = this.nonGeographicPlans.get(callingCode.code);
    if (plan === undefined && callingCode.nonGeographic !== undefined) {
      plan = new NumberingPlan(callingCode.nonGeographic, callingCode);
      this.nonGeographicPlans.set(callingCode.code, plan);
    }
    return plan;
  }

  /**
   * helpers/extractCountryCallingCode.js after the `+`: the shortest known calling code that
   * `digits` starts with, at most three digits long.
   */
  callingCodeAt(digits: string): CallingCode | undefined {
    if (digits.charCodeAt(0) === ZERO) return undefined;
    let value = 0;
    const limit = Math.min(MAX_LENGTH_COUNTRY_CODE, digits.length);
    for (let i = 0; i < limit; i++) {
      value = value * 10 + digits.charCodeAt(i) - ZERO;
      const callingCode = this.callingCodes[value];
      if (callingCode !== undefined) return callingCode;
    }
    return undefined;
  }

  /**
   * helpers/getCountryByCallingCode.js and getCountryByNationalNumber.js: the plan of the country
   * a national number belongs to among those sharing its calling code, or undefined.
   */
  exactCountry(callingCode: CallingCode, nationalNumber: string): NumberingPlan | undefined {
    const countries = callingCode.countries;
    if (countries === undefined) return undefined;
    if (countries.length === 1) return this.country(countries[0]!);
    for (const country of countries) {
      const plan = this.country(country)!;
      if (plan.leadingDigits !== undefined) {
        if (nationalNumber !== '' && plan.leadingDigits.test(nationalNumber)) return plan;
      } else if (plan.hasNumberType(nationalNumber)) {
        return plan;
      }
    }
    return undefined;
  }

  /**
   * helpers/extractNationalNumber.js: `number` without its national prefix (and carrier code), or
   * with the prefix transformed, unless the result would not be a possible number of the plan.
   */
  nationalNumber(number: string, plan: NumberingPlan): string {
    const prefix = plan.nationalPrefixForParsing;
    if (number === '' || prefix === undefined) return number;
    const match = prefix.exec(number);
    if (match === null) return number;
    const groups = match.length - 1;
    const hasCapturedGroups = groups > 0 && !!match[groups];
    const nationalNumber =
      plan.nationalPrefixTransformRule !== undefined && hasCapturedGroups
        ? number.replace(prefix, plan.nationalPrefixTransformRule)
        : number.slice(match[0].length);
    if (nationalNumber === number) return number;
    // shouldHaveExtractedNationalPrefix(): keep a number that only matched with its prefix.
    if (plan.nationalNumber.test(number) && !plan.nationalNumber.test(nationalNumber)) return number;
    if (plan.possibleLengths !== undefined) {
      const lengths = (this.exactCountry(plan.callingCode, nationalNumber) ?? plan).possibleLengths;
      const check = checkNumberLength(nationalNumber, lengths);
      if (check === LengthCheck.TooShort || check === LengthCheck.InvalidLength) return number;
    }
    return nationalNumber;
  }

  /** `+` then `digits`: helpers/extractCountryCallingCode.js, then the national part. */
  isValidInternational(digits: string): boolean {
    const callingCode = this.callingCodeAt(digits);
    if (callingCode === undefined) return false;
    const number = digits.slice(callingCode.code.length);
    if (number === '') return false;
    const plan = this.forCallingCode(callingCode)!;
    return this.isValidNational(number, plan, callingCode, plan);
  }

  /**
   * Digits without `+`: an IDD prefix of the region makes them international; so does the region's
   * own calling code when the rest reads better without it
   * (helpers/extractCountryCallingCodeFromInternationalNumberWithoutPlusSign.js); else national.
   */
  isValidWithoutPlus(digits: string, region: NumberingPlan): boolean {
    const afterIdd = region.stripIddPrefix(digits);
    if (afterIdd !== undefined && afterIdd !== '' && afterIdd !== digits) {
      return this.isValidInternational(afterIdd);
    }
    const own = region.callingCode;
    if (digits.startsWith(own.code)) {
      const shorter = digits.slice(own.code.length);
      const shorterNational = this.nationalNumber(shorter, region);
      const national = this.nationalNumber(digits, region);
      if (
        (!region.nationalNumber.test(national) && region.nationalNumber.test(shorterNational)) ||
        checkNumberLength(national, region.possibleLengths) === LengthCheck.TooLong
      ) {
        if (shorter === '') return false;
        // The calling code selects its first country's plan, not the region's.
        const plan = this.forCallingCode(own)!;
        return this.isValidNational(shorter, plan, own, plan);
      }
    }
    return this.isValidNational(digits, region, own, region);
  }

  /**
   * parse.js `parsePhoneNumber` from the national part on: strip the national prefix with `plan`,
   * pick the exact country among those sharing the calling code, check the length limits, and
   * validate against that country's plan, or `fallback` when none was picked.
   */
  private isValidNational(
    number: string,
    plan: NumberingPlan,
    callingCode: CallingCode,
    fallback: NumberingPlan,
  ): boolean {
    const nationalNumber = this.nationalNumber(number, plan);
    if (nationalNumber.length < MIN_LENGTH_FOR_NSN || nationalNumber.length > MAX_LENGTH_FOR_NSN)
      return false;
    const exact = this.exactCountry(callingCode, nationalNumber);
    return (exact ?? fallback).isValidNationalNumber(nationalNumber);
  }
}

let sharedPlans: NumberingPlans | undefined;

/**
 * The compiled plans over the very metadata object `isValidPhoneNumber` uses; undefined for a
 * metadata format the port does not know, and then every call goes to the library.
 */
function numberingPlans(): NumberingPlans | undefined {
  const metadata = metadataJson as unknown as MetadataV4;
  if (metadata.version !== 4) return undefined;
  sharedPlans ??= new NumberingPlans(metadata);
  return sharedPlans;
}

/**
 * `isValidPhoneNumber(candidate, region)` from `libphonenumber-js/max`, with the same answers, for
 * one default region. Plans are compiled once and shared by every instance. Candidates other than
 * an optional leading `+`, ASCII digits and the separators space . - ( ) go to the library.
 */
export class PhoneValidity {
  /** The default region national numbers are read in. */
  readonly region: CountryCode;
  private readonly plans: NumberingPlans | undefined;
  /** Undefined when the region is unknown to the metadata: every call then goes to the library. */
  private readonly regionPlan: NumberingPlan | undefined;

  constructor(region: CountryCode) {
    this.region = region;
    this.plans = numberingPlans();
    this.regionPlan = this.plans?.country(region);
  }

  /** True exactly when `isValidPhoneNumber(candidate, this.region)` is. */
  isValid(candidate: string): boolean {
    const { plans, regionPlan } = this;
    const length = candidate.length;
    if (plans === undefined || regionPlan === undefined || length === 0 || length > MAX_INPUT_STRING_LENGTH) {
      return isValidPhoneNumber(candidate, this.region);
    }
    const plus = candidate.charCodeAt(0) === PLUS;
    let digitCount = 0;
    for (let i = plus ? 1 : 0; i < length; i++) {
      const c = candidate.charCodeAt(i);
      if (c >= ZERO && c <= NINE) digitCount++;
      // space . - ( ): anything else (letters, extensions, `tel:`, other digits) is the library's.
      else if (c !== 32 && c !== 46 && c !== 45 && c !== 40 && c !== 41) {
        return isValidPhoneNumber(candidate, this.region);
      }
    }
    // helpers/isViablePhoneNumber.js: three digits, or two digits and nothing else.
    if (digitCount < 3 && !(digitCount === 2 && length === 2)) return false;
    const start = plus ? 1 : 0;
    const digits =
      digitCount === length - start
        ? plus
          ? candidate.slice(1)
          : candidate
        : candidate.replace(NON_DIGITS, '');
    return plus ? plans.isValidInternational(digits) : plans.isValidWithoutPlus(digits, regionPlan);
  }
}

const byRegion = new Map<CountryCode, PhoneValidity>();

/** The shared {@link PhoneValidity} of a default region, built on first use. */
export function phoneValidityFor(region: CountryCode): PhoneValidity {
  let validity = byRegion.get(region);
  if (validity === undefined) {
    validity = new PhoneValidity(region);
    byRegion.set(region, validity);
  }
  return validity;
}
