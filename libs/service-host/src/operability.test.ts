import { Module } from '@nestjs/common';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '@gatehouse/logging';
import { Writable } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import { listeningPort, OperabilityModule, ServiceMetrics, startHttpService } from './index.ts';

const quiet = createLogger({
  service: 'test',
  destination: new Writable({ write: (_c, _e, done) => done() }),
});

async function boot(
  ready: boolean,
): Promise<{ app: INestApplication; base: string; metrics: ServiceMetrics }> {
  const metrics = new ServiceMetrics('test-service');
  @Module({
    imports: [
      OperabilityModule.forRoot({
        metrics,
        readiness: { nats: async () => true, postgres: async () => ready },
      }),
    ],
  })
  class AppModule {}
  const app = await startHttpService(AppModule, { host: '127.0.0.1', port: 0, logger: quiet });
  return { app, base: `http://127.0.0.1:${listeningPort(app)}`, metrics };
}

describe('service-host', () => {
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('service-host - /healthz answers 200 and /readyz reports each check', async () => {
    const booted = await boot(true);
    app = booted.app;
    expect((await fetch(`${booted.base}/healthz`)).status).toBe(200);
    const readyz = await fetch(`${booted.base}/readyz`);
    expect(readyz.status).toBe(200);
    expect(await readyz.json()).toEqual({ ready: true, checks: { nats: true, postgres: true } });
  });

  it('service-host - /readyz answers 503 when a dependency is down', async () => {
    const booted = await boot(false);
    app = booted.app;
    const readyz = await fetch(`${booted.base}/readyz`);
    expect(readyz.status).toBe(503);
    expect(await readyz.json()).toEqual({ ready: false, checks: { nats: true, postgres: false } });
  });

  it('service-host - /metrics serves Prometheus text with request counts and latencies', async () => {
    const booted = await boot(true);
    app = booted.app;
    booted.metrics.observe('decide', 'allow', 0.0004);
    const response = await fetch(`${booted.base}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toContain(
      'gatehouse_requests_total{operation="decide",outcome="allow",service="test-service"} 1',
    );
    expect(text).toContain(
      'gatehouse_request_duration_seconds_bucket{le="0.0005",service="test-service",operation="decide"} 1',
    );
  });
});
