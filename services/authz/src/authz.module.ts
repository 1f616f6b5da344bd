import { Module, type DynamicModule } from '@nestjs/common';
import { OperabilityModule } from '@gatehouse/service-host';
import { AUTHZ_RUNTIME, type AuthzRuntime } from './authz-runtime.ts';
import { DecideResponder, announcePolicy } from './decision/decide-responder.ts';
import { DecisionService } from './decision/decision-service.ts';
import { OperationClassifier } from './decision/operation-classifier.ts';
import { openPolicySource } from './policy/open-policy-source.ts';
import { PolicyStore } from './policy/policy-store.ts';

/** The authz service: policy store, decision service and the bus responder. */
@Module({})
export class AuthzModule {
  static forRoot(runtime: AuthzRuntime): DynamicModule {
    const { config, logger, bus } = runtime;
    return {
      module: AuthzModule,
      imports: [
        OperabilityModule.forRoot({
          metrics: runtime.metrics,
          readiness: { nats: async () => !bus.isClosed() },
        }),
      ],
      providers: [
        { provide: AUTHZ_RUNTIME, useValue: runtime },
        {
          provide: PolicyStore,
          useFactory: async () =>
            PolicyStore.open(await openPolicySource(config, bus, logger), logger, (policy) =>
              announcePolicy(bus, config.subjectPrefix, policy.version),
            ),
        },
        {
          provide: DecisionService,
          inject: [PolicyStore],
          useFactory: (store: PolicyStore) =>
            new DecisionService(
              new OperationClassifier(runtime.sqlClassifier, {
                cacheSize: config.classificationCacheSize,
                maxTextBytes: config.maxStatementBytes,
              }),
              () => store.current,
              logger,
            ),
        },
        DecideResponder,
      ],
    };
  }
}
