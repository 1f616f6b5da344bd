import { MaskOperator } from '../mask-operator.ts';
import { PII_ENTITIES, type PiiEntity } from '../pii-entity.ts';
import type { MaskingProfile } from './masking-profile.ts';

/**
 * `default`: keep what helps debugging and nothing that identifies: last 4 digits of cards,
 * phones, SSNs and IBANs, the domain of emails, the network of IPs; secrets, names, addresses and
 * birth dates redacted.
 */
const defaultProfile: MaskingProfile = Object.freeze({
  name: 'default',
  entities: Object.freeze({
    card: MaskOperator.Partial,
    phone: MaskOperator.Partial,
    ssn: MaskOperator.Partial,
    iban: MaskOperator.Partial,
    email: MaskOperator.Partial,
    ipv4: MaskOperator.Partial,
    ipv6: MaskOperator.Partial,
    secret: MaskOperator.Redact,
    name: MaskOperator.Redact,
    address: MaskOperator.Redact,
    dob: MaskOperator.Redact,
  }),
  defaultRegion: 'US',
});

/** `strict`: every entity redacted. */
const strictProfile: MaskingProfile = Object.freeze({
  name: 'strict',
  entities: Object.freeze(
    Object.fromEntries(PII_ENTITIES.map((e) => [e, MaskOperator.Redact])) as Record<PiiEntity, MaskOperator>,
  ),
  defaultRegion: 'US',
});

/** The profiles every deployment has, by name. Plain data: compile with `compileProfile`. */
export const builtInProfiles: Readonly<Record<'default' | 'strict', MaskingProfile>> = Object.freeze({
  default: defaultProfile,
  strict: strictProfile,
});
