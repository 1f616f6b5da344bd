import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { digitsOf } from '../detectors/detector.ts';
import { ibanMod97 } from '../detectors/iban.ts';
import { cardIssuerOf, luhnCheckDigit } from '../detectors/payment-card.ts';
import { EntitySlot } from '../profile/entity-slot.ts';
import {
  FAKE_CITIES,
  FAKE_EMAIL_DOMAINS,
  FAKE_FAMILY_NAMES,
  FAKE_GIVEN_NAMES,
  FAKE_STREET_SUFFIXES,
  FAKE_STREETS,
} from './fake-data.ts';
import { fakeIp } from './ip-address.ts';
import type { DigestStream } from './keyed-digest.ts';

/** Puts `digits` into the digit positions of `layout`, keeping every other character. */
export function layoutDigits(layout: string, digits: string): string {
  let out = '';
  let k = 0;
  for (let i = 0; i < layout.length; i++) {
    const c = layout.charCodeAt(i);
    out += c >= 48 && c <= 57 && k < digits.length ? digits[k++] : layout[i];
  }
  return out;
}

/** `count` digits from `stream`; the first is never 0 when `nonZeroFirst`. */
export function randomDigits(stream: DigestStream, count: number, nonZeroFirst = false): string {
  let out = '';
  for (let i = 0; i < count; i++)
    out += i === 0 && nonZeroFirst ? String(1 + stream.below(9)) : stream.digit();
  return out;
}

/**
 * A Luhn-valid card number with the same scheme prefix and length as `digits` (a non-card length
 * keeps only the length). The body comes from `stream`.
 */
export function fakeCardDigits(digits: string, stream: DigestStream): string {
  const match = cardIssuerOf(digits);
  const prefix = match === undefined ? String(1 + stream.below(9)) : digits.slice(0, match.prefixLength);
  const body = prefix + randomDigits(stream, Math.max(0, digits.length - 1 - prefix.length));
  return body + luhnCheckDigit(body);
}

/** A 9-digit SSN in the 900-999 area, which the SSA never issues (so it cannot be anyone's). */
export function fakeSsnDigits(stream: DigestStream): string {
  const group = String(1 + stream.below(99)).padStart(2, '0');
  const serial = String(1 + stream.below(9999)).padStart(4, '0');
  return `9${randomDigits(stream, 2)}${group}${serial}`;
}

/**
 * Phone digits in the layout of `value`. NANP numbers get a random area code and the fictional
 * 555-01XX line range; international numbers keep their country calling code.
 */
export function fakePhoneDigits(value: string, stream: DigestStream, region: CountryCode): string {
  const digits = digitsOf(value);
  const international = value.trimStart().startsWith('+');
  const nanp =
    (international && digits.length === 11 && digits[0] === '1') ||
    (!international &&
      (region === 'US' || region === 'CA') &&
      (digits.length === 10 || (digits.length === 11 && digits[0] === '1')));
  if (nanp) {
    const lead = digits.length === 11 ? '1' : '';
    return `${lead}${2 + stream.below(8)}${randomDigits(stream, 2)}55501${randomDigits(stream, 2)}`;
  }
  let keep = 0;
  if (international) keep = parsePhoneNumberFromString(value)?.countryCallingCode.length ?? 1;
  else if (digits[0] === '0') keep = 1; // trunk prefix
  return digits.slice(0, keep) + randomDigits(stream, digits.length - keep);
}

/** A mod-97-valid IBAN with the same country and length, letters and digits where `value` has them. */
export function fakeIban(value: string, stream: DigestStream): string {
  const compact = value.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
  const country = compact.slice(0, 2);
  let bban = '';
  for (let i = 4; i < compact.length; i++) {
    const c = compact.charCodeAt(i);
    bban += c >= 48 && c <= 57 ? stream.digit() : String.fromCharCode(65 + stream.below(26));
  }
  const check = String(98 - ibanMod97(`${country}00${bban}`)).padStart(2, '0');
  const fake = country + check + bban;
  let out = '';
  let k = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i) | 32;
    const alnum = (c >= 48 && c <= 57) || (c >= 97 && c <= 122);
    out += alnum ? fake[k++] : value[i];
  }
  return out;
}

function fakeEmail(stream: DigestStream): string {
  const given = stream.pick(FAKE_GIVEN_NAMES).toLowerCase();
  const family = stream.pick(FAKE_FAMILY_NAMES).toLowerCase();
  return `${given}.${family}${stream.below(100)}@${stream.pick(FAKE_EMAIL_DOMAINS)}`;
}

function fakeName(value: string, stream: DigestStream): string {
  const words = value.trim().split(/\s+/u).length;
  const given = stream.pick(FAKE_GIVEN_NAMES);
  const family = stream.pick(FAKE_FAMILY_NAMES);
  const name =
    words === 1
      ? given
      : words === 2
        ? `${given} ${family}`
        : `${given} ${String.fromCharCode(65 + stream.below(26))}. ${family}`;
  return value === value.toUpperCase() && value !== value.toLowerCase() ? name.toUpperCase() : name;
}

function fakeAddress(value: string, stream: DigestStream): string {
  const trimmed = value.trim();
  if (/^[\d -]+$/.test(trimmed)) return layoutDigits(trimmed, randomDigits(stream, digitsOf(trimmed).length));
  if (!/\d/.test(trimmed)) return stream.pick(FAKE_CITIES);
  return `${1 + stream.below(9999)} ${stream.pick(FAKE_STREETS)} ${stream.pick(FAKE_STREET_SUFFIXES)}`;
}

/**
 * A birth date from 1940-2005 in the shape of `value`. Day and month are both kept in 1..12 for
 * `NN/NN/YYYY` shapes, so the fake is valid whether the reader takes it as M/D or D/M.
 */
export function fakeDate(value: string, stream: DigestStream): string {
  const year = String(1940 + stream.below(66));
  const two = (n: number): string => String(n).padStart(2, '0');
  const iso = /^(\s*)\d{4}-\d{1,2}-\d{1,2}/.exec(value);
  if (iso !== null)
    return `${iso[1]}${year}-${two(1 + stream.below(12))}-${two(1 + stream.below(28))}${value.slice(iso[0].length)}`;
  const dmy = /^(\s*)\d{1,2}([/.-])\d{1,2}\2\d{4}/.exec(value);
  if (dmy !== null) {
    const sep = dmy[2]!;
    return `${dmy[1]}${two(1 + stream.below(12))}${sep}${two(1 + stream.below(12))}${sep}${year}${value.slice(dmy[0].length)}`;
  }
  return `${year}-${two(1 + stream.below(12))}-${two(1 + stream.below(28))}`;
}

/** Each digit, lower-case and upper-case letter replaced by a random one of its class. */
export function fakeSameShape(value: string, stream: DigestStream): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) out += stream.digit();
    else if (c >= 97 && c <= 122) out += String.fromCharCode(97 + stream.below(26));
    else if (c >= 65 && c <= 90) out += String.fromCharCode(65 + stream.below(26));
    else out += value[i];
  }
  return out;
}

const VENDOR_PREFIX = /^(?:AKIA|ASIA|AIza|gh[pousr]_|github_pat_|xox[a-z]-|[sr]k_live_|sk-ant-|sk-proj-|sk-)/;

/**
 * The `fake` operator on a text value of entity `slot`: a realistic value of the same kind,
 * derived only from `stream` (seeded by the keyed digest of the original), so repeated values get
 * the same fake and joins survive. Private keys have no useful fake and get `redactToken`.
 */
export function fakeText(
  value: string,
  slot: number,
  stream: DigestStream,
  region: CountryCode,
  redactToken: string,
): string {
  switch (slot) {
    case EntitySlot.card:
      return layoutDigits(value, fakeCardDigits(digitsOf(value), stream));
    case EntitySlot.ssn:
      return layoutDigits(value, fakeSsnDigits(stream));
    case EntitySlot.phone:
      return layoutDigits(value, fakePhoneDigits(value, stream, region));
    case EntitySlot.iban:
      return fakeIban(value, stream);
    case EntitySlot.email:
      return fakeEmail(stream);
    case EntitySlot.name:
      return fakeName(value, stream);
    case EntitySlot.address:
      return fakeAddress(value, stream);
    case EntitySlot.dob:
      return fakeDate(value, stream);
    case EntitySlot.ipv4:
    case EntitySlot.ipv6:
      return fakeIp(value.trim(), stream);
    case EntitySlot.secret: {
      if (value.includes('PRIVATE KEY')) return redactToken;
      const prefix = VENDOR_PREFIX.exec(value)?.[0] ?? '';
      return prefix + fakeSameShape(value.slice(prefix.length), stream);
    }
    default:
      return fakeSameShape(value, stream);
  }
}
