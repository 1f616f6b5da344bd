import type { ServiceMetrics } from './service-metrics.ts';

/** DI token for the operability options. */
export const OPERABILITY_OPTIONS = Symbol('OPERABILITY_OPTIONS');

/** What /readyz checks and /metrics serves. */
export interface OperabilityOptions {
  metrics: ServiceMetrics;
  /** Named readiness checks, e.g. `{ nats: () => ..., postgres: () => ..., streams: () => ... }`. */
  readiness: Record<string, () => Promise<boolean>>;
}
