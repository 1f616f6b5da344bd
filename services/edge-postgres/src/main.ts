import { loadConfig } from '@gatehouse/config';
import { createLogger } from '@gatehouse/logging';
import { connectBus } from '@gatehouse/nats';
import { startHttpService } from '@gatehouse/service-host';
import { createEdgeParts } from './create-edge-parts.ts';
import { edgeConfigSpec } from './edge-config.ts';
import { EdgeModule } from './edge.module.ts';

const config = loadConfig(edgeConfigSpec, { env: process.env });
const logger = createLogger({ service: 'edge-postgres', level: config.logLevel });
const bus = await connectBus({ url: config.natsUrl, name: 'edge-postgres', logger });
const { metrics, cache, sessionDeps } = await createEdgeParts(config, logger, bus);
await startHttpService(EdgeModule.forRoot({ config, logger, bus, metrics, sessionDeps }, cache), {
  host: config.httpHost,
  port: config.httpPort,
  logger,
});
