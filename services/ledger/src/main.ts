import { loadConfig } from '@gatehouse/config';
import { TokenVerifier } from '@gatehouse/identity';
import { createLogger } from '@gatehouse/logging';
import { connectBus } from '@gatehouse/nats';
import { ServiceMetrics, startHttpService } from '@gatehouse/service-host';
import { loadSigningKey } from './checkpoint/signing-key.ts';
import { ledgerConfigSpec } from './ledger-config.ts';
import { LedgerModule } from './ledger.module.ts';
import { migrateLedger, openLedgerStorage } from './storage/open-ledger-storage.ts';

const config = loadConfig(ledgerConfigSpec, { env: process.env });
const logger = createLogger({ service: 'ledger', level: config.logLevel });
if (config.migrate === 'only') {
  await migrateLedger(config);
  logger.info('ledger migrations applied');
  process.exit(0);
}
const origin = config.origin ?? `gatehouse.dev/ledger/${config.subjectPrefix}`;
const { key: signingKey, generated } = await loadSigningKey(config.signingKeyFile, origin);
if (generated) logger.warn({ file: config.signingKeyFile }, 'generated a new checkpoint signing key');
const db = await openLedgerStorage(config);
const bus = await connectBus({ url: config.natsUrl, name: 'ledger', logger });
const tokenVerifier = new TokenVerifier({
  issuer: config.oidcIssuer,
  audience: config.oidcAudience,
  groupsClaim: config.oidcGroupsClaim,
  maxTokenLifetimeSeconds: config.maxTokenLifetime / 1000,
});
const metrics = new ServiceMetrics('ledger');
const runtime = { config, logger, bus, db, metrics, tokenVerifier, origin, signingKey };
await startHttpService(LedgerModule.forRoot(runtime), {
  host: config.httpHost,
  port: config.httpPort,
  logger,
});
logger.info({ port: config.httpPort, origin, verifierKey: signingKey.verifierKey }, 'ledger ready');
