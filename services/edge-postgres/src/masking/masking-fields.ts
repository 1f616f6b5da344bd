import { env } from '@gatehouse/config';

/** What the PostgreSQL edge reads about masking; spread into the edge's config spec. */
export const maskingFields = {
  maskingTimeout: env.duration('EDGE_MASKING_TIMEOUT', {
    default: 2000,
    description:
      'Deadline for a masking plan or batch; a missed deadline fails the statement (no row is sent unmasked)',
  }),
  maskingBatchRows: env.integer('EDGE_MASKING_BATCH_ROWS', {
    default: 500,
    min: 1,
    max: 100_000,
    description: 'DataRows sent to masking in one request at most',
  }),
  maskingBatchBytes: env.integer('EDGE_MASKING_BATCH_BYTES', {
    default: 256 * 1024,
    min: 1024,
    max: 768 * 1024,
    description:
      'DataRow bytes sent to masking in one request at most (NATS max_payload is 1 MiB by default)',
  }),
  maskingMaxInFlight: env.integer('EDGE_MASKING_MAX_IN_FLIGHT', {
    default: 2,
    min: 1,
    max: 16,
    description: 'Batches of one result being masked at once; bounds memory per session with the batch size',
  }),
  maskingPlanTtl: env.duration('EDGE_MASKING_PLAN_TTL', {
    default: 60_000,
    description: 'How long a masking plan is reused for the same profile, target and RowDescription',
  }),
};
