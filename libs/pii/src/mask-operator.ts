/**
 * How a detected value is replaced. One `as const` object drives the {@link MaskOperator} union and
 * the runtime list {@link MASK_OPERATORS}.
 *
 * - `redact`: a fixed token such as `[REDACTED:email]` (typed columns get a fixed valid value instead).
 * - `partial`: keep the least identifying part: the last 4 digits of a card/phone/SSN/IBAN, the
 *   domain of an email, the /24 (IPv4) or /48 (IPv6) network, the year of a birth date, initials.
 * - `hash`: keyed HMAC-SHA-256, `h:` + 16 hex digits; stable per key so joins still work.
 * - `nullify`: SQL NULL (the whole cell, even when the value was found inside free text).
 * - `fake`: a deterministic, type-preserving fake derived from the HMAC (same input, same fake).
 */
export const MaskOperator = {
  Redact: 'redact',
  Partial: 'partial',
  Hash: 'hash',
  Nullify: 'nullify',
  Fake: 'fake',
} as const;

/** One masking operator name. */
export type MaskOperator = (typeof MaskOperator)[keyof typeof MaskOperator];

/** Every masking operator. */
export const MASK_OPERATORS: readonly MaskOperator[] = Object.freeze(Object.values(MaskOperator));

const operatorSet: ReadonlySet<string> = new Set(MASK_OPERATORS);

/** True when `value` names a masking operator. */
export function isMaskOperator(value: unknown): value is MaskOperator {
  return typeof value === 'string' && operatorSet.has(value);
}
