import { commonFields, env } from '@gatehouse/config';

/** Everything audit reads from its environment. */
export const auditConfigSpec = {
  ...commonFields,
  httpPort: env.port('AUDIT_HTTP_PORT', { default: 8083, description: 'audit API, health and metrics port' }),
  batchSize: env.integer('AUDIT_BATCH_SIZE', {
    default: 256,
    min: 1,
    max: 10_000,
    description: 'Evidence records forwarded per batch',
  }),
};
