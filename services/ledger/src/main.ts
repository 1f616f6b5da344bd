import { loadConfig } from '@gatehouse/config';
import { createDatabase, migrateToLatest, type Kysely } from '@gatehouse/db';
import { TokenVerifier } from '@gatehouse/identity';
import { createLogger } from '@gatehouse/logging';
import { connectBus } from '@gatehouse/nats';
import { ServiceMetrics, startHttpService } from '@gatehouse/service-host';
import { ledgerConfigSpec } from './ledger-config.ts';
import { LedgerModule } from './ledger.module.ts';
import { ledgerMigrations } from './storage/ledger-migrations.ts';
import type { LedgerDatabase } from './storage/ledger-tables.ts';

const config = loadConfig(ledgerConfigSpec, { env: process.env });
const logger = createLogger({ service: 'ledger', level: config.logLevel });
const db = createDatabase<LedgerDatabase>({ url: config.databaseUrl, applicationName: 'ledger' });
await migrateToLatest(db as Kysely<unknown>, 'ledger', ledgerMigrations);
const bus = await connectBus({ url: config.natsUrl, name: 'ledger', logger });
const tokenVerifier = new TokenVerifier({
  issuer: config.oidcIssuer,
  audience: config.oidcAudience,
  groupsClaim: config.oidcGroupsClaim,
  maxTokenLifetimeSeconds: config.maxTokenLifetime / 1000,
});
const metrics = new ServiceMetrics('ledger');
const runtime = { config, logger, bus, db, metrics, tokenVerifier };
await startHttpService(LedgerModule.forRoot(runtime), {
  host: config.httpHost,
  port: config.httpPort,
  logger,
});
logger.info({ port: config.httpPort }, 'ledger ready');
