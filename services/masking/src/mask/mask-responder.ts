import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { MessageType, subjectsFor } from '@gatehouse/contracts';
import { InvalidMessageError } from '@gatehouse/errors';
import { serveRequests } from '@gatehouse/nats';
import type { Subscription } from '@nats-io/nats-core';
import { MASKING_RUNTIME, type MaskingRuntime } from '../masking-runtime.ts';
import { TargetCatalogs } from '../catalog/target-catalogs.ts';
import { MaskFailure, MaskFailureCode } from './mask-failure.ts';
import { MaskService } from './mask-service.ts';

/**
 * Answers mask requests in the `masking` queue group, so replicas share the load. A request it
 * cannot read, or one whose masking failed, is answered with an error reply naming what went
 * wrong (never a value): the edge fails the statement rather than wait for its deadline.
 */
@Injectable()
export class MaskResponder implements OnApplicationBootstrap, OnApplicationShutdown {
  #subscription: Subscription | undefined;

  constructor(
    @Inject(MASKING_RUNTIME) private readonly runtime: MaskingRuntime,
    @Inject(MaskService) private readonly service: MaskService,
    @Inject(TargetCatalogs) private readonly catalogs: TargetCatalogs,
  ) {}

  onApplicationBootstrap(): void {
    const { bus, config, logger, metrics } = this.runtime;
    this.#subscription = serveRequests(bus, {
      subject: subjectsFor(config.subjectPrefix).maskingMask,
      queue: 'masking',
      requestType: MessageType.MaskRequest,
      replyType: MessageType.MaskReply,
      logger,
      handle: async (request) => {
        const operation = MaskService.operationOf(request.body);
        const started = performance.now();
        const reply = await this.service.mask(request.body);
        const outcome = reply.error?.code ?? 'ok';
        if (reply.error !== undefined) {
          logger.warn(
            { operation, code: reply.error.code, reason: reply.error.message },
            'mask request refused',
          );
        }
        metrics.observe(operation, outcome, (performance.now() - started) / 1000);
        return reply;
      },
      onError: (error) =>
        error instanceof InvalidMessageError
          ? new MaskFailure(MaskFailureCode.InvalidRequest, invalidReason(error)).reply()
          : new MaskFailure(MaskFailureCode.Internal, 'masking failed on this batch').reply(),
      observe: (outcome, seconds) => {
        if (outcome !== 'ok') metrics.observe('mask', outcome, seconds);
      },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.#subscription?.drain();
    await this.catalogs.close();
    if (!this.runtime.bus.isClosed()) await this.runtime.bus.drain();
  }
}

function invalidReason(error: InvalidMessageError): string {
  const problems = error.problems.slice(0, 5).join('; ');
  return `masking refused a malformed request: ${error.message}${problems ? ` (${problems})` : ''}`;
}
