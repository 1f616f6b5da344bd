import { Module, type DynamicModule } from '@nestjs/common';
import { jetstreamManager, streamsPresent } from '@gatehouse/nats';
import { OperabilityModule } from '@gatehouse/service-host';
import { EDGE_RUNTIME, type EdgeRuntime } from './edge-runtime.ts';
import { SshListener } from './server/ssh-listener.ts';

/** edge-ssh: the SSH listener plus health and metrics. */
@Module({})
export class EdgeModule {
  static forRoot(runtime: EdgeRuntime): DynamicModule {
    return {
      module: EdgeModule,
      imports: [
        OperabilityModule.forRoot({
          metrics: runtime.metrics,
          readiness: {
            nats: async () => !runtime.bus.isClosed(),
            // Without the evidence stream no session can open (invariant 1).
            evidence: async () =>
              streamsPresent(await jetstreamManager(runtime.bus), runtime.config.subjectPrefix, ['EVIDENCE']),
          },
        }),
      ],
      providers: [{ provide: EDGE_RUNTIME, useValue: runtime }, SshListener],
    };
  }
}
