import { loadConfig } from '@gatehouse/config';
import { AuthFailureLimiter, DecisionCache } from '@gatehouse/edge-gate';
import { TokenVerifier } from '@gatehouse/identity';
import { createLogger } from '@gatehouse/logging';
import { connectBus, jetstream } from '@gatehouse/nats';
import { ServiceMetrics, startHttpService } from '@gatehouse/service-host';
import { edgeConfigSpec } from './edge-config.ts';
import { EdgeModule } from './edge.module.ts';
import { EvidencePublisher } from './gate/evidence-publisher.ts';
import { MaskingClient } from './masking/masking-client.ts';
import { StatementGate } from './gate/statement-gate.ts';
import { AddressRateLimiter } from './session/address-rate-limiter.ts';
import { CancelForwarder } from './session/cancel-forwarder.ts';
import { CancelRegistry } from './session/cancel-registry.ts';
import { TargetRegistry } from './targets/target-registry.ts';
import { loadTlsMaterial } from './tls/tls-material.ts';

const config = loadConfig(edgeConfigSpec, { env: process.env });
const logger = createLogger({ service: 'edge-postgres', level: config.logLevel });
const bus = await connectBus({ url: config.natsUrl, name: 'edge-postgres', logger });
const metrics = new ServiceMetrics('edge-postgres');
const cache = new DecisionCache();
const gate = new StatementGate({
  bus,
  jetStream: jetstream(bus),
  evidence: new EvidencePublisher(bus, config.evidenceTimeout, (error) =>
    logger.error({ err: error }, 'an evidence acknowledgement callback failed'),
  ),
  prefix: config.subjectPrefix,
  decideTimeoutMs: config.decideTimeout,
  evidenceTimeoutMs: config.evidenceTimeout,
  cache,
});
const tls = config.tlsEnabled
  ? (await loadTlsMaterial(config.tlsCertFile, config.tlsKeyFile)).context
  : undefined;
const tokenVerifier = new TokenVerifier({
  issuer: config.oidcIssuer,
  audience: config.oidcAudience,
  groupsClaim: config.oidcGroupsClaim,
  maxTokenLifetimeSeconds: config.maxTokenLifetime / 1000,
  cacheMaxEntries: 10_000,
});
const cancels = new CancelRegistry();
const cancelForwarder = new CancelForwarder(bus, config.subjectPrefix, cancels, logger);
cancelForwarder.start();
const sessionDeps = {
  logger,
  metrics,
  gate,
  tls,
  tokenVerifier,
  targets: TargetRegistry.fromFile(config.targetsFile),
  cancels,
  cancelForwarder,
  // Generous for real clients (one cancel per running query), tight for a key-guessing loop.
  cancelLimiter: new AddressRateLimiter(100, 10_000),
  authFailures: new AuthFailureLimiter(),
  allowPlaintextLoopback: config.allowPlaintextLoopback,
  maxMessageBytes: config.maxMessageBytes,
  idleSessionTimeoutMs: config.idleSessionTimeout,
  statementTimeoutMs: config.statementTimeout,
  authenticationTimeoutMs: config.authenticationTimeout,
  masking: new MaskingClient({
    bus,
    prefix: config.subjectPrefix,
    timeoutMs: config.maskingTimeout,
    planTtlMs: config.maskingPlanTtl,
    batchRows: config.maskingBatchRows,
    batchBytes: config.maskingBatchBytes,
    maxInFlight: config.maskingMaxInFlight,
  }),
};
await startHttpService(EdgeModule.forRoot({ config, logger, bus, metrics, sessionDeps }, cache), {
  host: config.httpHost,
  port: config.httpPort,
  logger,
});
