import 'reflect-metadata';
import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { PinoNestLogger } from './pino-nest-logger.ts';

/** Where a service's HTTP API listens. */
export interface HttpServiceOptions {
  host: string;
  port: number;
  logger: Logger;
  /** Largest accepted request body; bigger bodies get 413. */
  bodyLimitBytes?: number;
}

/**
 * Boots a Nest application on Fastify with shutdown hooks, so SIGTERM/SIGINT drain in-flight
 * work through each provider's onApplicationShutdown before the process exits.
 */
export async function startHttpService(
  module: Type<unknown> | DynamicModule,
  options: HttpServiceOptions,
): Promise<INestApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    module,
    new FastifyAdapter({ bodyLimit: options.bodyLimitBytes ?? 1_048_576 }),
    { logger: new PinoNestLogger(options.logger), abortOnError: false },
  );
  app.enableShutdownHooks();
  await app.listen(options.port, options.host);
  return app;
}

/** The port a started service listens on (useful when configured as 0). */
export function listeningPort(app: INestApplication): number {
  const address = app.getHttpServer().address();
  return typeof address === 'object' && address ? address.port : 0;
}
