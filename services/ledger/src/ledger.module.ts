import { Module, type DynamicModule } from '@nestjs/common';
import { databaseReady, type Kysely } from '@gatehouse/db';
import { jetstreamManager, streamsPresent } from '@gatehouse/nats';
import { OperabilityModule } from '@gatehouse/service-host';
import { AuditorGuard } from './api/auditor.guard.ts';
import { ledgerControllers } from './api/ledger-controllers.ts';
import { LEDGER_RUNTIME, type LedgerRuntime } from './ledger-runtime.ts';
import { LedgerReader } from './storage/ledger-reader.ts';
import { LedgerWriter } from './writer/ledger-writer.ts';

/** The ledger: single writer of the Merkle log, and the auditors' API on every replica. */
@Module({})
export class LedgerModule {
  static forRoot(runtime: LedgerRuntime): DynamicModule {
    return {
      module: LedgerModule,
      imports: [
        OperabilityModule.forRoot({
          metrics: runtime.metrics,
          readiness: {
            nats: async () => !runtime.bus.isClosed(),
            postgres: () => databaseReady(runtime.db as Kysely<unknown>),
            streams: async () =>
              streamsPresent(await jetstreamManager(runtime.bus), runtime.config.subjectPrefix, ['LEDGER']),
          },
        }),
      ],
      controllers: ledgerControllers,
      providers: [
        { provide: LEDGER_RUNTIME, useValue: runtime },
        {
          provide: LedgerReader,
          useFactory: (rt: LedgerRuntime) => new LedgerReader(rt.db),
          inject: [LEDGER_RUNTIME],
        },
        AuditorGuard,
        LedgerWriter,
      ],
    };
  }
}
