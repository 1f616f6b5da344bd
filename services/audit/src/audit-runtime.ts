import type { ConfigOf } from '@gatehouse/config';
import type { Logger } from '@gatehouse/logging';
import type { NatsConnection } from '@gatehouse/nats';
import type { ServiceMetrics } from '@gatehouse/service-host';
import type { auditConfigSpec } from './audit-config.ts';

/** DI token for what main.ts built before Nest starts. */
export const AUDIT_RUNTIME = Symbol('AUDIT_RUNTIME');

/** Process-wide parts audit is built from. */
export interface AuditRuntime {
  config: ConfigOf<typeof auditConfigSpec>;
  logger: Logger;
  bus: NatsConnection;
  metrics: ServiceMetrics;
}
