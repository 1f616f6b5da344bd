import { Module, type DynamicModule } from '@nestjs/common';
import { HealthController } from './health.controller.ts';
import { OPERABILITY_OPTIONS, type OperabilityOptions } from './operability-options.ts';

/** Adds /healthz, /readyz and /metrics to a service's Nest application. */
@Module({})
export class OperabilityModule {
  static forRoot(options: OperabilityOptions): DynamicModule {
    return {
      module: OperabilityModule,
      controllers: [HealthController],
      providers: [{ provide: OPERABILITY_OPTIONS, useValue: options }],
    };
  }
}
