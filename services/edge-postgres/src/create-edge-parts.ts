import type { ConfigOf } from '@gatehouse/config';
import { subjectsFor } from '@gatehouse/contracts';
import { AuthFailureLimiter, DecisionCache, EvidencePublisher } from '@gatehouse/edge-gate';
import { TokenVerifier } from '@gatehouse/identity';
import type { Logger } from '@gatehouse/logging';
import { jetstream, type NatsConnection } from '@gatehouse/nats';
import { ServiceMetrics } from '@gatehouse/service-host';
import type { edgeConfigSpec } from './edge-config.ts';
import { StatementGate } from './gate/statement-gate.ts';
import { MaskingClient } from './masking/masking-client.ts';
import { AddressRateLimiter } from './session/address-rate-limiter.ts';
import { CancelForwarder } from './session/cancel-forwarder.ts';
import { CancelRegistry } from './session/cancel-registry.ts';
import type { SessionDeps } from './session/session-deps.ts';
import { TargetRegistry } from './targets/target-registry.ts';
import { loadTlsMaterial } from './tls/tls-material.ts';

/** What main.ts hands to the Nest module: the shared session dependencies and their cache. */
export interface EdgeParts {
  metrics: ServiceMetrics;
  cache: DecisionCache;
  sessionDeps: SessionDeps;
}

/** Builds everything sessions share, once per process, from the parsed configuration. */
export async function createEdgeParts(
  config: ConfigOf<typeof edgeConfigSpec>,
  logger: Logger,
  bus: NatsConnection,
): Promise<EdgeParts> {
  const metrics = new ServiceMetrics('edge-postgres');
  const cache = new DecisionCache();
  const gate = new StatementGate({
    bus,
    jetStream: jetstream(bus),
    evidence: new EvidencePublisher(bus, {
      subject: subjectsFor(config.subjectPrefix).evidence,
      timeoutMs: config.evidenceTimeout,
      onCallbackError: (error) => logger.error({ err: error }, 'an evidence acknowledgement callback failed'),
      onBatchSent: (records) => metrics.evidenceBatchRecords.observe(records),
    }),
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
  const sessionDeps: SessionDeps = {
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
  return { metrics, cache, sessionDeps };
}
