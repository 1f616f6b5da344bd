import { loadConfig } from '@gatehouse/config';
import { createLogger } from '@gatehouse/logging';
import { connectBus } from '@gatehouse/nats';
import { ServiceMetrics, startHttpService } from '@gatehouse/service-host';
import { createSqlClassifier } from '@gatehouse/sql-risk';
import { authzConfigSpec } from './authz-config.ts';
import { AuthzModule } from './authz.module.ts';

const config = loadConfig(authzConfigSpec, { env: process.env });
const logger = createLogger({ service: 'authz', level: config.logLevel });
const sqlClassifier = await createSqlClassifier({ maxStatementBytes: config.maxStatementBytes });
const bus = await connectBus({ url: config.natsUrl, name: 'authz', logger });
const metrics = new ServiceMetrics('authz');
await startHttpService(AuthzModule.forRoot({ config, logger, bus, metrics, sqlClassifier }), {
  host: config.httpHost,
  port: config.httpPort,
  logger,
});
logger.info({ port: config.httpPort, policySource: config.policySource }, 'authz ready');
