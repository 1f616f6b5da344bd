import { commonFields, env, identityFields } from '@gatehouse/config';

/** Everything the ledger reads from its environment. */
export const ledgerConfigSpec = {
  ...commonFields,
  ...identityFields,
  httpPort: env.port('LEDGER_HTTP_PORT', {
    default: 8082,
    description: 'Auditor API, health and metrics port',
  }),
  databaseUrl: env.url('DATABASE_URL', {
    protocols: ['postgres:', 'postgresql:'],
    default: 'postgres://postgres@127.0.0.1:5432/gatehouse',
    description: 'PostgreSQL database holding the ledger tables',
  }),
  batchSize: env.integer('LEDGER_BATCH_SIZE', {
    default: 512,
    min: 1,
    max: 10_000,
    description: 'Records appended per transaction',
  }),
  auditorGroup: env.string('LEDGER_AUDITOR_GROUP', {
    default: 'auditors',
    description: 'Group allowed to read the auditor API',
  }),
  leaderRetry: env.duration('LEDGER_LEADER_RETRY', {
    default: 2000,
    description: 'How often a standby replica tries to become the writer',
  }),
};
