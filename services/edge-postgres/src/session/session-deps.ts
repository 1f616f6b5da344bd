import type { SecureContext } from 'node:tls';
import type { AuthFailureLimiter } from '@gatehouse/edge-gate';
import type { TokenVerifier } from '@gatehouse/identity';
import type { Logger } from '@gatehouse/logging';
import type { ServiceMetrics } from '@gatehouse/service-host';
import type { StatementGate } from '../gate/statement-gate.ts';
import type { MaskingClient } from '../masking/masking-client.ts';
import type { TargetRegistry } from '../targets/target-registry.ts';
import type { AddressRateLimiter } from './address-rate-limiter.ts';
import type { CancelForwarder } from './cancel-forwarder.ts';
import type { CancelRegistry } from './cancel-registry.ts';

/** Everything a client session uses, shared by all sessions of the process. */
export interface SessionDeps {
  logger: Logger;
  metrics: ServiceMetrics;
  gate: StatementGate;
  targets: TargetRegistry;
  tokenVerifier: TokenVerifier;
  cancels: CancelRegistry;
  /** Routes a CancelRequest to the instance holding the session. */
  cancelForwarder: Pick<CancelForwarder, 'cancel'>;
  /** Unauthenticated CancelRequests per client address. */
  cancelLimiter: AddressRateLimiter;
  authFailures: AuthFailureLimiter;
  /** TLS offered to clients; undefined when TLS is off. */
  tls: SecureContext | undefined;
  allowPlaintextLoopback: boolean;
  maxMessageBytes: number;
  idleSessionTimeoutMs: number;
  /** Longest time from accept to a ready session (PostgreSQL's authentication_timeout). */
  authenticationTimeoutMs: number;
  /** statement_timeout set on every upstream session (0 = server default). */
  statementTimeoutMs: number;
  /** Masks results that the admitting decision names a masking profile for. */
  masking: MaskingClient;
}
