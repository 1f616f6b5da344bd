import { loadConfig } from '@gatehouse/config';
import { createLogger } from '@gatehouse/logging';
import { connectBus } from '@gatehouse/nats';
import { ServiceMetrics, startHttpService } from '@gatehouse/service-host';
import { CopyStatementParser } from './copy/copy-statement.ts';
import { maskingConfigSpec } from './masking-config.ts';
import { MaskingModule } from './masking.module.ts';
import { ProfileCatalog } from './profiles/profile-catalog.ts';

const config = loadConfig(maskingConfigSpec, { env: process.env });
const logger = createLogger({ service: 'masking', level: config.logLevel });
const profiles = ProfileCatalog.fromFile(config.profilesFile, config.hashKey);
if (profiles.ephemeralHashKey) {
  logger.warn(
    'MASKING_HASH_KEY is unset: hash and fake values use a per-process key and differ across restarts and replicas',
  );
}
const copyParser = await CopyStatementParser.create();
const bus = await connectBus({ url: config.natsUrl, name: 'masking', logger });
const metrics = new ServiceMetrics('masking');
await startHttpService(MaskingModule.forRoot({ config, logger, bus, metrics }, { profiles, copyParser }), {
  host: config.httpHost,
  port: config.httpPort,
  logger,
});
logger.info({ port: config.httpPort, profiles: profiles.names() }, 'masking ready');
