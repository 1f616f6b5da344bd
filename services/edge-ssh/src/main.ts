import { loadConfig } from '@gatehouse/config';
import { createLogger } from '@gatehouse/logging';
import { connectBus } from '@gatehouse/nats';
import { startHttpService } from '@gatehouse/service-host';
import { createEdgeRuntime } from './create-edge-runtime.ts';
import { edgeConfigSpec } from './edge-config.ts';
import { EdgeModule } from './edge.module.ts';

const config = loadConfig(edgeConfigSpec, { env: process.env });
const logger = createLogger({ service: 'edge-ssh', level: config.logLevel });
const bus = await connectBus({ url: config.natsUrl, name: 'edge-ssh', logger });
const runtime = createEdgeRuntime(config, logger, bus);
await startHttpService(EdgeModule.forRoot(runtime), {
  host: config.httpHost,
  port: config.httpPort,
  logger,
});
