import type { KeyObject } from 'node:crypto';
import type { CountryCode } from 'libphonenumber-js/max';

/** What the operators need from a compiled profile (kept structural to avoid an import cycle). */
export interface MaskingKeys {
  /** Entity name per slot. */
  readonly entityNames: readonly string[];
  /** `[REDACTED:<entity>]` per slot, built once. */
  readonly redactTokens: readonly string[];
  /** HMAC key for `hash` and `fake`; present whenever the profile uses either. */
  readonly hashKey: KeyObject | undefined;
  /** Default country for national phone numbers. */
  readonly region: CountryCode;
}
