import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import {
  MessageType,
  decodeFramedMessage,
  encodeFramedMessage,
  envelope,
  subjectsFor,
} from '@gatehouse/contracts';
import { InvalidMessageError } from '@gatehouse/errors';
import { childTraceparent, traceparentOf } from '@gatehouse/nats';
import type { Msg, Subscription } from '@nats-io/nats-core';
import { MASKING_RUNTIME, type MaskingRuntime } from '../masking-runtime.ts';
import { TargetCatalogs } from '../catalog/target-catalogs.ts';
import { MaskFailure, MaskFailureCode } from './mask-failure.ts';
import { MaskService, type MaskAnswer } from './mask-service.ts';

/**
 * Answers mask requests in the `masking` queue group, so replicas share the load. A request it
 * cannot read, or one whose masking failed, is answered with an error reply naming what went
 * wrong (never a value): the edge fails the statement rather than wait for its deadline.
 *
 * It serves the subject itself rather than through `serveRequests`, because a row batch is
 * framed: its cell bytes follow the JSON in the same payload (`encodeFramedMessage` of @gatehouse/contracts), and so do
 * the masked cells of the reply. Requests without cells are plain JSON, as before.
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
    const { bus, config, logger } = this.runtime;
    this.#subscription = bus.subscribe(subjectsFor(config.subjectPrefix).maskingMask, {
      queue: 'masking',
      callback: (error, msg) => {
        if (error) {
          logger.error({ err: error }, 'subscription error');
          return;
        }
        void this.#answer(msg);
      },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.#subscription?.drain();
    await this.catalogs.close();
    if (!this.runtime.bus.isClosed()) await this.runtime.bus.drain();
  }

  async #answer(msg: Msg): Promise<void> {
    const { logger, metrics } = this.runtime;
    const started = performance.now();
    const traceparent = childTraceparent(traceparentOf(msg.headers));
    let answer: MaskAnswer;
    try {
      const request = decodeFramedMessage(MessageType.MaskRequest, msg.data);
      const operation = MaskService.operationOf(request.message.body);
      answer = await this.service.maskCells(request.message.body, request.bytes);
      const error = answer.reply.error;
      if (error !== undefined) {
        logger.warn({ operation, code: error.code, reason: error.message }, 'mask request refused');
      }
      metrics.observe(operation, error?.code ?? 'ok', (performance.now() - started) / 1000);
    } catch (error) {
      const invalid = error instanceof InvalidMessageError;
      logger.warn(
        { err: error, problems: invalid ? error.problems : undefined, subject: msg.subject },
        'request refused',
      );
      const failure = invalid
        ? new MaskFailure(MaskFailureCode.InvalidRequest, invalidReason(error))
        : new MaskFailure(MaskFailureCode.Internal, 'masking failed on this batch');
      answer = { reply: failure.reply(), cells: undefined };
      metrics.observe('mask', invalid ? 'invalid' : 'error', (performance.now() - started) / 1000);
    }
    // The reply is validated when the edge decodes it; here it only travels.
    if (msg.reply)
      msg.respond(
        encodeFramedMessage(envelope(MessageType.MaskReply, answer.reply, { traceparent }), answer.cells),
      );
  }
}

function invalidReason(error: InvalidMessageError): string {
  const problems = error.problems.slice(0, 5).join('; ');
  return `masking refused a malformed request: ${error.message}${problems ? ` (${problems})` : ''}`;
}
