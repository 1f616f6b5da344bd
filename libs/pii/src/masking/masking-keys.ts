import type { CountryCode } from 'libphonenumber-js/max';
import type { HmacSha256 } from './hmac-sha256.ts';

/** What the operators need from a compiled profile (kept structural to avoid an import cycle). */
export interface MaskingKeys {
  /** Entity name per slot. */
  readonly entityNames: readonly string[];
  /** `[REDACTED:<entity>]` per slot, built once. */
  readonly redactTokens: readonly string[];
  /** HMAC-SHA-256 under the profile key, for `hash` and `fake`; present whenever the profile uses either. */
  readonly hmac: HmacSha256 | undefined;
  /** Default country for national phone numbers. */
  readonly region: CountryCode;
}
