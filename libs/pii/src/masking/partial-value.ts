import { EntitySlot } from '../profile/entity-slot.ts';
import { truncateIp } from './ip-address.ts';

/** Replaces every digit except the last `keep` with `*`; separators and `+` stay. */
export function maskDigitsExceptLast(value: string, keep: number): string {
  let remaining = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) remaining++;
  }
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      out += remaining > keep ? '*' : value[i];
      remaining--;
    } else out += value[i];
  }
  return out;
}

/** True for an ASCII letter or digit. Module level: a closure per call costs more than the loop. */
function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122);
}

/** Replaces every letter and digit except the last `keep` with `*`. */
export function maskAlnumExceptLast(value: string, keep: number): string {
  let remaining = 0;
  for (let i = 0; i < value.length; i++) if (isAlnum(value.charCodeAt(i))) remaining++;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    if (isAlnum(value.charCodeAt(i))) {
      out += remaining > keep ? '*' : value[i];
      remaining--;
    } else out += value[i];
  }
  return out;
}

/** `J. S.` for `Jane Smith`. */
function initials(value: string): string {
  const words = value
    .trim()
    .split(/[\s,]+/u)
    .filter((w) => w.length > 0);
  return words.map((w) => `${String.fromCodePoint(w.codePointAt(0)!).toUpperCase()}.`).join(' ');
}

/** `1990-**-**` for `1990-05-17`: the year stays, every other digit becomes `*`. */
function yearOnly(value: string): string {
  const year = /(?<!\d)\d{4}(?!\d)/.exec(value);
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    const inYear = year !== null && i >= year.index && i < year.index + 4;
    out += c >= 48 && c <= 57 && !inYear ? '*' : value[i];
  }
  return out;
}

/** A credential's vendor prefix says which system it opens, not how: safe to keep. */
const VENDOR_PREFIX =
  /^(?:AKIA|ASIA|AIza|gh[pousr]_|github_pat_|xox[a-z]-|[sr]k_live_|sk-ant-|sk-proj-|sk-|eyJ)/;

/**
 * The `partial` operator on a text value: last 4 digits of a card, phone or SSN; last 4
 * characters of an IBAN; the domain of an email (`****@example.com`); the /24 or /48 network of an
 * IP; initials of a name; the year of a birth date; the vendor prefix of a credential (`ghp_****`).
 * Addresses and other secrets have no safe partial form and get the redaction token.
 */
export function partialText(value: string, slot: number, redactToken: string): string {
  switch (slot) {
    case EntitySlot.card:
    case EntitySlot.phone:
    case EntitySlot.ssn:
      return maskDigitsExceptLast(value, 4);
    case EntitySlot.iban:
      return maskAlnumExceptLast(value, 4);
    case EntitySlot.email: {
      const at = value.lastIndexOf('@');
      return at < 0 ? redactToken : `****${value.slice(at)}`;
    }
    case EntitySlot.ipv4:
    case EntitySlot.ipv6:
      return truncateIp(value) ?? redactToken;
    case EntitySlot.name:
      return initials(value) || redactToken;
    case EntitySlot.dob:
      return yearOnly(value);
    case EntitySlot.secret: {
      const prefix = VENDOR_PREFIX.exec(value);
      return prefix === null ? redactToken : `${prefix[0]}****`;
    }
    case EntitySlot.address:
      return redactToken;
    default:
      return maskAlnumExceptLast(value, 4);
  }
}
