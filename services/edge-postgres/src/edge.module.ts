import { Module, type DynamicModule } from '@nestjs/common';
import type { DecisionCache } from '@gatehouse/edge-gate';
import { OperabilityModule } from '@gatehouse/service-host';
import { EDGE_RUNTIME, type EdgeRuntime } from './edge-runtime.ts';
import { DECISION_CACHE, EdgeListener } from './server/edge-listener.ts';

/** edge-postgres: the PostgreSQL listener plus health and metrics. */
@Module({})
export class EdgeModule {
  static forRoot(runtime: EdgeRuntime, cache: DecisionCache): DynamicModule {
    return {
      module: EdgeModule,
      imports: [
        OperabilityModule.forRoot({
          metrics: runtime.metrics,
          readiness: { nats: async () => !runtime.bus.isClosed() },
        }),
      ],
      providers: [
        { provide: EDGE_RUNTIME, useValue: runtime },
        { provide: DECISION_CACHE, useValue: cache },
        EdgeListener,
      ],
    };
  }
}
