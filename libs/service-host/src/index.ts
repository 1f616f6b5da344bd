export { HealthController } from './health.controller.ts';
export { OperabilityModule } from './operability.module.ts';
export { OPERABILITY_OPTIONS, type OperabilityOptions } from './operability-options.ts';
export { PinoNestLogger } from './pino-nest-logger.ts';
export { refuseInsufficientScope, verifiedBearer } from './bearer-token.ts';
export { ServiceMetrics } from './service-metrics.ts';
export { listeningPort, startHttpService, type HttpServiceOptions } from './start-http-service.ts';
