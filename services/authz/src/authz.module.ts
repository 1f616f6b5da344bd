import { Module, type DynamicModule } from '@nestjs/common';
import { OperabilityModule } from '@gatehouse/service-host';
import { AUTHZ_RUNTIME, type AuthzRuntime } from './authz-runtime.ts';
import { DecideResponder, announcePolicy } from './decision/decide-responder.ts';
import { DecisionService } from './decision/decision-service.ts';
import { PolicyStore } from './policy/policy-store.ts';

/** The authz service: policy store, decision service and the bus responder. */
@Module({})
export class AuthzModule {
  static forRoot(runtime: AuthzRuntime): DynamicModule {
    return {
      module: AuthzModule,
      imports: [
        OperabilityModule.forRoot({
          metrics: runtime.metrics,
          readiness: { nats: async () => !runtime.bus.isClosed() },
        }),
      ],
      providers: [
        { provide: AUTHZ_RUNTIME, useValue: runtime },
        {
          provide: PolicyStore,
          useFactory: () =>
            PolicyStore.open(runtime.config.policyFile, runtime.logger, (policy) =>
              announcePolicy(runtime.bus, runtime.config.subjectPrefix, policy.version),
            ),
        },
        {
          provide: DecisionService,
          inject: [PolicyStore],
          useFactory: (store: PolicyStore) => new DecisionService(runtime.sqlClassifier, () => store.current),
        },
        DecideResponder,
      ],
    };
  }
}
