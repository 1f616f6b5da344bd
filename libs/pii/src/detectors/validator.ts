import type { CountryCode } from 'libphonenumber-js/max';
import { digitsOf } from './detector.ts';
import { isEmail } from './email.ts';
import { isValidIban } from './iban.ts';
import { isIpv4 } from './ipv4.ts';
import { isIpv6 } from './ipv6.ts';
import { isJwt } from './jwt.ts';
import { isPaymentCard, luhnValid } from './payment-card.ts';
import { isPhoneNumber } from './phone.ts';
import { isValidSsn } from './us-ssn.ts';

/**
 * Built-in validators a custom rule may name to confirm its regex matches. One `as const` object
 * drives the {@link Validator} union and the runtime list {@link VALIDATORS}.
 */
export const Validator = {
  Luhn: 'luhn',
  PaymentCard: 'payment-card',
  UsSsn: 'us-ssn',
  Email: 'email',
  Phone: 'phone',
  Iban: 'iban',
  Ipv4: 'ipv4',
  Ipv6: 'ipv6',
  Jwt: 'jwt',
} as const;

/** One built-in validator name. */
export type Validator = (typeof Validator)[keyof typeof Validator];

/** Every built-in validator. */
export const VALIDATORS: readonly Validator[] = Object.freeze(Object.values(Validator));

/** True when `value` names a built-in validator. */
export function isValidator(value: unknown): value is Validator {
  return typeof value === 'string' && (VALIDATORS as readonly string[]).includes(value);
}

/** The check behind a validator name; `region` is the default country for phone numbers. */
export function validatorCheck(name: Validator, region: CountryCode): (match: string) => boolean {
  switch (name) {
    case Validator.Luhn:
      return (match) => luhnValid(digitsOf(match));
    case Validator.PaymentCard:
      return isPaymentCard;
    case Validator.UsSsn:
      return isValidSsn;
    case Validator.Email:
      return isEmail;
    case Validator.Phone:
      return (match) => isPhoneNumber(match, region);
    case Validator.Iban:
      return isValidIban;
    case Validator.Ipv4:
      return isIpv4;
    case Validator.Ipv6:
      return isIpv6;
    case Validator.Jwt:
      return isJwt;
  }
}
