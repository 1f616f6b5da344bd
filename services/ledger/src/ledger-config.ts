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
  migrationsDatabaseUrl: env.optionalString('LEDGER_MIGRATIONS_DATABASE_URL', {
    description:
      'URL of a role that owns the ledger tables, used only to run migrations at start (default DATABASE_URL)',
  }),
  migrate: env.oneOf('LEDGER_MIGRATE', ['start', 'skip', 'only'] as const, {
    default: 'start',
    description:
      'start: migrate, then serve; skip: serve only (a separate job migrates); only: migrate and exit',
  }),
  databaseRole: env.string('LEDGER_DB_ROLE', {
    default: 'gatehouse_ledger',
    description:
      'Role every ledger connection switches to (SET ROLE): SELECT and INSERT only. `none` keeps the login role',
  }),
  batchSize: env.integer('LEDGER_BATCH_SIZE', {
    default: 1000,
    min: 1,
    max: 10_000,
    description:
      'Records per append transaction: whole ledger messages are taken until this many (one message, up to 1024 records, is never split)',
  }),
  auditorGroup: env.string('LEDGER_AUDITOR_GROUP', {
    default: 'auditors',
    description: 'Group allowed to read the auditor API',
  }),
  leaderRetry: env.duration('LEDGER_LEADER_RETRY', {
    default: 2000,
    description: 'How often a standby replica tries to become the writer, and the writer checks its lock',
  }),
  origin: env.optionalString('LEDGER_ORIGIN', {
    description: 'Checkpoint origin line (default gatehouse.dev/ledger/<GATEHOUSE_PREFIX>)',
  }),
  signingKeyFile: env.string('LEDGER_SIGNING_KEY_FILE', {
    default: '.state/ledger-signing-key',
    description:
      'Checkpoint signer key (PRIVATE+KEY+... note key); generated with its .pub verifier key when absent',
  }),
  checkpointInterval: env.duration('LEDGER_CHECKPOINT_INTERVAL', {
    default: 1000,
    description: 'Least time between two signed checkpoints while the tree grows',
  }),
};
