import { loadConfig } from '@gatehouse/config';
import { createLogger } from '@gatehouse/logging';
import { connectBus } from '@gatehouse/nats';
import { ServiceMetrics, startHttpService } from '@gatehouse/service-host';
import { auditConfigSpec } from './audit-config.ts';
import { AuditModule } from './audit.module.ts';

const config = loadConfig(auditConfigSpec, { env: process.env });
const logger = createLogger({ service: 'audit', level: config.logLevel });
const bus = await connectBus({ url: config.natsUrl, name: 'audit', logger });
const metrics = new ServiceMetrics('audit');
await startHttpService(AuditModule.forRoot({ config, logger, bus, metrics }), {
  host: config.httpHost,
  port: config.httpPort,
  logger,
});
logger.info({ port: config.httpPort }, 'audit ready');
