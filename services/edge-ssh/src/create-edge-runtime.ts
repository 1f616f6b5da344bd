import type { ConfigOf } from '@gatehouse/config';
import { AuthFailureLimiter, DecisionCache, OperationGate } from '@gatehouse/edge-gate';
import { TokenVerifier } from '@gatehouse/identity';
import type { Logger } from '@gatehouse/logging';
import { jetstream, type NatsConnection } from '@gatehouse/nats';
import { ServiceMetrics } from '@gatehouse/service-host';
import type { edgeConfigSpec } from './edge-config.ts';
import type { EdgeRuntime } from './edge-runtime.ts';
import { OutputMasker } from './output/output-masker.ts';
import { loadOrCreateHostKey } from './server/host-key.ts';
import { TargetRegistry } from './targets/target-registry.ts';

/**
 * Builds the process-wide parts from parsed config, a logger and a bus connection: host key,
 * targets, token verifier, gate, masker. Shared by main.ts and the medium tests, so the tests run
 * the edge exactly as deployed.
 */
export function createEdgeRuntime(
  config: ConfigOf<typeof edgeConfigSpec>,
  logger: Logger,
  bus: NatsConnection,
): EdgeRuntime {
  const hostKey = loadOrCreateHostKey(config.hostKeyFile);
  logger.info(
    { fingerprint: hostKey.fingerprint, file: config.hostKeyFile, generated: hostKey.generated },
    'SSH host key',
  );
  const targets = TargetRegistry.fromFile(config.targetsFile);
  for (const name of targets.names()) {
    if (targets.find(name)?.hostKeySha256 === undefined) {
      logger.warn({ target: name }, 'target has no hostKeySha256: its host key is not verified');
    }
  }
  const metrics = new ServiceMetrics('edge-ssh');
  const cache = new DecisionCache();
  return {
    config,
    logger,
    bus,
    metrics,
    cache,
    hostKey: hostKey.privateKey,
    connectionDeps: {
      logger,
      metrics,
      targets,
      gate: new OperationGate({
        bus,
        jetStream: jetstream(bus),
        prefix: config.subjectPrefix,
        language: 'shell',
        decideTimeoutMs: config.decideTimeout,
        evidenceTimeoutMs: config.evidenceTimeout,
        cache,
      }),
      masker: new OutputMasker({ bus, prefix: config.subjectPrefix, timeoutMs: config.maskTimeout }),
      tokenVerifier: new TokenVerifier({
        issuer: config.oidcIssuer,
        audience: config.oidcAudience,
        groupsClaim: config.oidcGroupsClaim,
        maxTokenLifetimeSeconds: config.maxTokenLifetime / 1000,
        cacheMaxEntries: 10_000,
      }),
      authFailures: new AuthFailureLimiter(),
      maxCommandBytes: config.maxCommandBytes,
      outputBatchBytes: config.outputBatchBytes,
      upstreamTimeoutMs: config.upstreamTimeout,
    },
  };
}
