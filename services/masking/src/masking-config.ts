import { commonFields, env } from '@gatehouse/config';

/** Everything masking reads from its environment. */
export const maskingConfigSpec = {
  ...commonFields,
  httpPort: env.port('MASKING_HTTP_PORT', { default: 8085, description: 'masking health and metrics port' }),
  profilesFile: env.optionalString('MASKING_PROFILES_FILE', {
    description:
      'YAML `profiles: { name: { entities, columnHints, customRules, hashKey, defaultRegion } }` added to (or replacing) the built-in `default` and `strict`',
  }),
  hashKey: env.optionalString('MASKING_HASH_KEY', {
    description:
      'Key (16+ characters) of the hash and fake operators for profiles without their own hashKey. Unset: a random key per process, so hashed values no longer join across restarts or replicas',
  }),
  targetsFile: env.optionalString('TARGETS_FILE', {
    description:
      'Targets YAML (as the edges read it); masking reads each target catalog to trace result columns to table columns',
  }),
  catalogTtl: env.duration('MASKING_CATALOG_TTL', {
    default: 60_000,
    description: 'How long resolved table and column names are reused before the catalog is read again',
  }),
  catalogTimeout: env.duration('MASKING_CATALOG_TIMEOUT', {
    default: 2000,
    description: 'Deadline for connecting to a target and reading its catalog',
  }),
};
