import { Module, type DynamicModule } from '@nestjs/common';
import { databaseReady, type Kysely } from '@gatehouse/db';
import { jetstreamManager, streamsPresent } from '@gatehouse/nats';
import { OperabilityModule } from '@gatehouse/service-host';
import { ReviewAnnouncer } from './announce/review-announcer.ts';
import { BearerTokenGuard } from './api/bearer-token.guard.ts';
import { OpenApiController } from './api/openapi.controller.ts';
import { RequestsController } from './api/requests.controller.ts';
import { APPROVAL_RUNTIME, type ApprovalRuntime } from './approval-runtime.ts';
import { ApprovalWorker } from './approval-worker.ts';
import { ApprovalStore } from './storage/approval-store.ts';

/** The approval service: stores review requests, serves the approvers' API, announces decisions. */
@Module({})
export class ApprovalModule {
  static forRoot(runtime: ApprovalRuntime): DynamicModule {
    return {
      module: ApprovalModule,
      imports: [
        OperabilityModule.forRoot({
          metrics: runtime.metrics,
          readiness: {
            nats: async () => !runtime.bus.isClosed(),
            postgres: () => databaseReady(runtime.db as Kysely<unknown>),
            streams: async () =>
              streamsPresent(await jetstreamManager(runtime.bus), runtime.config.subjectPrefix, [
                'APPROVALS',
                'EVIDENCE',
              ]),
          },
        }),
      ],
      controllers: [RequestsController, OpenApiController],
      providers: [
        { provide: APPROVAL_RUNTIME, useValue: runtime },
        ApprovalStore,
        ReviewAnnouncer,
        BearerTokenGuard,
        ApprovalWorker,
      ],
    };
  }
}
