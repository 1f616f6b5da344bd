import type { ConfigOf } from '@gatehouse/config';
import type { Logger } from '@gatehouse/logging';
import type { NatsConnection } from '@gatehouse/nats';
import type { ServiceMetrics } from '@gatehouse/service-host';
import type { maskingConfigSpec } from './masking-config.ts';

/** DI token for what main.ts built before Nest starts. */
export const MASKING_RUNTIME = Symbol('MASKING_RUNTIME');

/** Process-wide parts masking is built from. */
export interface MaskingRuntime {
  config: ConfigOf<typeof maskingConfigSpec>;
  logger: Logger;
  bus: NatsConnection;
  metrics: ServiceMetrics;
}
