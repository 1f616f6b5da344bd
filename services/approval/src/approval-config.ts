import { commonFields, env, identityFields } from '@gatehouse/config';

/** Everything approval reads from its environment. */
export const approvalConfigSpec = {
  ...commonFields,
  ...identityFields,
  httpPort: env.port('APPROVAL_HTTP_PORT', {
    default: 8081,
    description: 'Approver API, health and metrics port',
  }),
  databaseUrl: env.url('DATABASE_URL', {
    protocols: ['postgres:', 'postgresql:'],
    default: 'postgres://postgres@127.0.0.1:5432/gatehouse',
    description: 'PostgreSQL database holding the approval tables',
  }),
  approverGroup: env.string('APPROVAL_APPROVER_GROUP', {
    default: 'approvers',
    description:
      'Group whose members may read every review request (oversight); voting always needs one of the groups the request names',
  }),
  sweepInterval: env.duration('APPROVAL_SWEEP_INTERVAL', {
    default: 1000,
    description:
      'How often pending requests past their hold timeout expire and unannounced outcomes are re-published',
  }),
  batchSize: env.integer('APPROVAL_BATCH_SIZE', {
    default: 64,
    min: 1,
    max: 1000,
    description: 'Review requests stored per consumer batch',
  }),
};
