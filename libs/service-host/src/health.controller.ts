import { Controller, Get, Header, HttpCode, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { OPERABILITY_OPTIONS, type OperabilityOptions } from './operability-options.ts';

/** /healthz (the process runs), /readyz (its dependencies answer) and Prometheus /metrics. */
@Controller()
export class HealthController {
  constructor(@Inject(OPERABILITY_OPTIONS) private readonly options: OperabilityOptions) {}

  @Get('healthz')
  @HttpCode(200)
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  async readyz(
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ ready: boolean; checks: Record<string, boolean> }> {
    const names = Object.keys(this.options.readiness);
    const results = await Promise.all(
      names.map((name) => this.options.readiness[name]!().catch(() => false)),
    );
    const checks = Object.fromEntries(names.map((name, index) => [name, results[index]!]));
    const ready = results.every(Boolean);
    reply.status(ready ? 200 : 503);
    return { ready, checks };
  }

  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  async metrics(): Promise<string> {
    return this.options.metrics.registry.metrics();
  }
}
