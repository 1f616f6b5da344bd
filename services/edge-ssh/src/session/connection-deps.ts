import type { AuthFailureLimiter, OperationGate } from '@gatehouse/edge-gate';
import type { VerifiedIdentity } from '@gatehouse/identity';
import type { Logger } from '@gatehouse/logging';
import type { ServiceMetrics } from '@gatehouse/service-host';
import type { OutputMasker } from '../output/output-masker.ts';
import type { TargetRegistry } from '../targets/target-registry.ts';

/** The part of @gatehouse/identity's TokenVerifier a connection uses. */
export interface TokenVerification {
  verify(token: string): Promise<VerifiedIdentity>;
}

/** Everything a client connection uses, shared by all connections of the process. */
export interface ConnectionDeps {
  logger: Logger;
  metrics: ServiceMetrics;
  gate: OperationGate;
  masker: OutputMasker;
  targets: TargetRegistry;
  tokenVerifier: TokenVerification;
  authFailures: AuthFailureLimiter;
  maxCommandBytes: number;
  outputBatchBytes: number;
  upstreamTimeoutMs: number;
}
