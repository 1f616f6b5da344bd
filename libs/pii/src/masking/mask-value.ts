import { digitsOf } from '../detectors/detector.ts';
import { MaskOperator } from '../mask-operator.ts';
import { EntitySlot } from '../profile/entity-slot.ts';
import { fakeText } from './fake-value.ts';
import { DigestStream, keyedDigest } from './keyed-digest.ts';
import type { MaskingKeys } from './masking-keys.ts';
import { partialText } from './partial-value.ts';

/** Prefix of a keyed-hash output in text columns. */
export const HASH_PREFIX = 'h:';
/** Hex digits of the HMAC kept after {@link HASH_PREFIX} (64 bits: collisions are negligible per column). */
export const HASH_HEX_DIGITS = 16;

/**
 * The form of a value that hashing and faking see, so that `4111 1111 1111 1111` and
 * `4111-1111-1111-1111` (or `Ann@Example.com` and `ann@example.com`) give the same output and
 * joins across formats still work.
 */
export function canonicalForm(value: string, slot: number): string {
  switch (slot) {
    case EntitySlot.card:
    case EntitySlot.ssn:
    case EntitySlot.phone:
      return digitsOf(value);
    case EntitySlot.iban:
      return value.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
    case EntitySlot.email:
    case EntitySlot.ipv4:
    case EntitySlot.ipv6:
      return value.trim().toLowerCase();
    default:
      return value.trim();
  }
}

/** The keyed digest of a value's canonical form; throws if the profile has no key (compile prevents it). */
export function digestOf(keys: MaskingKeys, purpose: string, value: string, slot: number): Uint8Array {
  if (keys.hmac === undefined) throw new TypeError('hash/fake operator used without a hashKey');
  return keyedDigest(keys.hmac, purpose, keys.entityNames[slot]!, canonicalForm(value, slot));
}

const HEX = '0123456789abcdef';

/** Lower-case hex of the first `bytes` bytes. */
export function hexPrefix(digest: Uint8Array, bytes: number): string {
  let out = '';
  for (let i = 0; i < bytes; i++) out += HEX[digest[i]! >>> 4]! + HEX[digest[i]! & 15]!;
  return out;
}

/** A deterministic stream for the `fake` operator, seeded by the keyed digest of the value. */
export function fakeStream(keys: MaskingKeys, value: string, slot: number): DigestStream {
  return new DigestStream(digestOf(keys, 'fake', value, slot));
}

/**
 * Masks one text value (a whole text cell or a span found inside one) of entity `slot` with
 * `operator`. Returns null for `nullify`: the caller turns that into SQL NULL for the cell.
 */
export function maskTextValue(
  value: string,
  slot: number,
  operator: MaskOperator,
  keys: MaskingKeys,
): string | null {
  switch (operator) {
    case MaskOperator.Nullify:
      return null;
    case MaskOperator.Redact:
      return keys.redactTokens[slot]!;
    case MaskOperator.Partial:
      return partialText(value, slot, keys.redactTokens[slot]!);
    case MaskOperator.Hash:
      return HASH_PREFIX + hexPrefix(digestOf(keys, 'hash', value, slot), HASH_HEX_DIGITS / 2);
    case MaskOperator.Fake:
      return fakeText(value, slot, fakeStream(keys, value, slot), keys.region, keys.redactTokens[slot]!);
  }
}
