import { Module, type DynamicModule } from '@nestjs/common';
import { OperabilityModule } from '@gatehouse/service-host';
import { TargetRegistry } from '@gatehouse/targets';
import { TargetCatalogs } from './catalog/target-catalogs.ts';
import type { CopyStatementParser } from './copy/copy-statement.ts';
import { MaskResponder } from './mask/mask-responder.ts';
import { MaskService } from './mask/mask-service.ts';
import { MASKING_RUNTIME, type MaskingRuntime } from './masking-runtime.ts';
import type { ProfileCatalog } from './profiles/profile-catalog.ts';

/** What main.ts loads before the module starts (both fail the boot when invalid). */
export interface MaskingParts {
  profiles: ProfileCatalog;
  copyParser: CopyStatementParser;
}

/** The masking service: profiles, target catalogs, and the bus responder. */
@Module({})
export class MaskingModule {
  static forRoot(runtime: MaskingRuntime, parts: MaskingParts): DynamicModule {
    const { config, logger, bus } = runtime;
    return {
      module: MaskingModule,
      imports: [
        OperabilityModule.forRoot({
          metrics: runtime.metrics,
          readiness: { nats: async () => !bus.isClosed() },
        }),
      ],
      providers: [
        { provide: MASKING_RUNTIME, useValue: runtime },
        {
          provide: TargetCatalogs,
          useFactory: () =>
            new TargetCatalogs({
              targets:
                config.targetsFile === undefined ? undefined : TargetRegistry.fromFile(config.targetsFile),
              ttlMs: config.catalogTtl,
              timeoutMs: config.catalogTimeout,
              logger,
            }),
        },
        {
          provide: MaskService,
          inject: [TargetCatalogs],
          useFactory: (catalogs: TargetCatalogs) =>
            new MaskService(parts.profiles, catalogs, parts.copyParser),
        },
        MaskResponder,
      ],
    };
  }
}
