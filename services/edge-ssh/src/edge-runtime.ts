import type { ConfigOf } from '@gatehouse/config';
import type { DecisionCache } from '@gatehouse/edge-gate';
import type { Logger } from '@gatehouse/logging';
import type { NatsConnection } from '@gatehouse/nats';
import type { ServiceMetrics } from '@gatehouse/service-host';
import type { edgeConfigSpec } from './edge-config.ts';
import type { ConnectionDeps } from './session/connection-deps.ts';

/** DI token for what main.ts built before Nest starts. */
export const EDGE_RUNTIME = Symbol('EDGE_RUNTIME');

/** Process-wide parts edge-ssh is built from. */
export interface EdgeRuntime {
  config: ConfigOf<typeof edgeConfigSpec>;
  logger: Logger;
  bus: NatsConnection;
  metrics: ServiceMetrics;
  cache: DecisionCache;
  /** The edge's private host key (OpenSSH format). */
  hostKey: string;
  connectionDeps: ConnectionDeps;
}
