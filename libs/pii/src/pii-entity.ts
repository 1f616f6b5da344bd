/**
 * The personal-data entities Gatehouse detects. A single `as const` object drives both the
 * {@link PiiEntity} union and the runtime list {@link PII_ENTITIES}.
 */
export const PiiEntity = {
  Card: 'card',
  Ssn: 'ssn',
  Email: 'email',
  Phone: 'phone',
  Iban: 'iban',
  Ipv4: 'ipv4',
  Ipv6: 'ipv6',
  Secret: 'secret',
  Name: 'name',
  Address: 'address',
  Dob: 'dob',
} as const;

/** One built-in entity name, e.g. `'email'`. */
export type PiiEntity = (typeof PiiEntity)[keyof typeof PiiEntity];

/** Every built-in entity, in a fixed order (the order is the entity's slot in counters). */
export const PII_ENTITIES: readonly PiiEntity[] = Object.freeze(Object.values(PiiEntity));

const entitySet: ReadonlySet<string> = new Set(PII_ENTITIES);

/** True when `value` names a built-in entity. */
export function isPiiEntity(value: unknown): value is PiiEntity {
  return typeof value === 'string' && entitySet.has(value);
}
