import type { ConfigOf } from '@gatehouse/config';
import type { Logger } from '@gatehouse/logging';
import type { NatsConnection } from '@gatehouse/nats';
import type { ServiceMetrics } from '@gatehouse/service-host';
import type { SqlClassifier } from '@gatehouse/sql-risk';
import type { authzConfigSpec } from './authz-config.ts';

/** DI token for what main.ts built before Nest starts. */
export const AUTHZ_RUNTIME = Symbol('AUTHZ_RUNTIME');

/** Process-wide parts authz is built from. */
export interface AuthzRuntime {
  config: ConfigOf<typeof authzConfigSpec>;
  logger: Logger;
  bus: NatsConnection;
  metrics: ServiceMetrics;
  sqlClassifier: SqlClassifier;
}
