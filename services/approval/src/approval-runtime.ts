import type { ConfigOf } from '@gatehouse/config';
import type { Kysely } from '@gatehouse/db';
import type { TokenVerifier } from '@gatehouse/identity';
import type { Logger } from '@gatehouse/logging';
import type { NatsConnection } from '@gatehouse/nats';
import type { ServiceMetrics } from '@gatehouse/service-host';
import type { approvalConfigSpec } from './approval-config.ts';
import type { ApprovalDatabase } from './storage/approval-tables.ts';

/** DI token for what main.ts built before Nest starts. */
export const APPROVAL_RUNTIME = Symbol('APPROVAL_RUNTIME');

/** Process-wide parts approval is built from. */
export interface ApprovalRuntime {
  config: ConfigOf<typeof approvalConfigSpec>;
  logger: Logger;
  bus: NatsConnection;
  db: Kysely<ApprovalDatabase>;
  metrics: ServiceMetrics;
  tokenVerifier: TokenVerifier;
}
