import type { ConfigOf } from '@gatehouse/config';
import type { Logger } from '@gatehouse/logging';
import type { NatsConnection } from '@gatehouse/nats';
import type { ServiceMetrics } from '@gatehouse/service-host';
import type { edgeConfigSpec } from './edge-config.ts';
import type { SessionDeps } from './session/session-deps.ts';

/** DI token for what main.ts built before Nest starts. */
export const EDGE_RUNTIME = Symbol('EDGE_RUNTIME');

/** Process-wide parts edge-postgres is built from. */
export interface EdgeRuntime {
  config: ConfigOf<typeof edgeConfigSpec>;
  logger: Logger;
  bus: NatsConnection;
  metrics: ServiceMetrics;
  sessionDeps: SessionDeps;
}
