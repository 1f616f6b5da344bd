import { loadConfig } from '@gatehouse/config';
import { createDatabase, migrateToLatest, type Kysely } from '@gatehouse/db';
import { TokenVerifier } from '@gatehouse/identity';
import { createLogger } from '@gatehouse/logging';
import { connectBus } from '@gatehouse/nats';
import { ServiceMetrics, startHttpService } from '@gatehouse/service-host';
import { approvalConfigSpec } from './approval-config.ts';
import { ApprovalModule } from './approval.module.ts';
import { approvalMigrations } from './storage/approval-migrations.ts';
import type { ApprovalDatabase } from './storage/approval-tables.ts';

const config = loadConfig(approvalConfigSpec, { env: process.env });
const logger = createLogger({ service: 'approval', level: config.logLevel });
const db = createDatabase<ApprovalDatabase>({ url: config.databaseUrl, applicationName: 'approval' });
await migrateToLatest(db as Kysely<unknown>, 'approval', approvalMigrations);
const bus = await connectBus({ url: config.natsUrl, name: 'approval', logger });
const tokenVerifier = new TokenVerifier({
  issuer: config.oidcIssuer,
  audience: config.oidcAudience,
  groupsClaim: config.oidcGroupsClaim,
  maxTokenLifetimeSeconds: config.maxTokenLifetime / 1000,
});
const metrics = new ServiceMetrics('approval');
const runtime = { config, logger, bus, db, metrics, tokenVerifier };
await startHttpService(ApprovalModule.forRoot(runtime), {
  host: config.httpHost,
  port: config.httpPort,
  logger,
});
logger.info({ port: config.httpPort }, 'approval ready');
