import { Module, type DynamicModule } from '@nestjs/common';
import { jetstreamManager, streamsPresent } from '@gatehouse/nats';
import { OperabilityModule } from '@gatehouse/service-host';
import { AUDIT_RUNTIME, type AuditRuntime } from './audit-runtime.ts';
import { EvidenceForwarder } from './forwarding/evidence-forwarder.ts';

/** The audit service: forwards evidence to the ledger. */
@Module({})
export class AuditModule {
  static forRoot(runtime: AuditRuntime): DynamicModule {
    return {
      module: AuditModule,
      imports: [
        OperabilityModule.forRoot({
          metrics: runtime.metrics,
          readiness: {
            nats: async () => !runtime.bus.isClosed(),
            streams: async () =>
              streamsPresent(await jetstreamManager(runtime.bus), runtime.config.subjectPrefix, [
                'EVIDENCE',
                'LEDGER',
              ]),
          },
        }),
      ],
      providers: [{ provide: AUDIT_RUNTIME, useValue: runtime }, EvidenceForwarder],
    };
  }
}
