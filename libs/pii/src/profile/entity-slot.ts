import { PII_ENTITIES, type PiiEntity } from '../pii-entity.ts';

/**
 * Fixed counter slot of each built-in entity (its index in {@link PII_ENTITIES}); custom entities
 * get the slots after these, per compiled profile.
 */
export const EntitySlot = Object.freeze(
  Object.fromEntries(PII_ENTITIES.map((entity, index) => [entity, index])) as Record<PiiEntity, number>,
);

/** Number of built-in entity slots. */
export const BUILT_IN_SLOTS = PII_ENTITIES.length;
