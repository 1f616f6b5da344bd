import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The metrics every service exposes on /metrics: request counts and latencies by operation and
 * outcome, work in flight, and consumer lag. One registry per process, built once at boot.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<'operation' | 'outcome'>;
  readonly latency: Histogram<'operation'>;
  readonly inFlight: Gauge<'operation'>;
  readonly consumerLag: Gauge<'consumer'>;
  readonly evidenceBatchRecords: Histogram;

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: 'gatehouse_requests_total',
      help: 'Requests handled, by operation and outcome.',
      labelNames: ['operation', 'outcome'],
      registers: [this.registry],
    });
    this.latency = new Histogram({
      name: 'gatehouse_request_duration_seconds',
      help: 'Request latency by operation.',
      labelNames: ['operation'],
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
      registers: [this.registry],
    });
    this.inFlight = new Gauge({
      name: 'gatehouse_in_flight',
      help: 'Operations in flight.',
      labelNames: ['operation'],
      registers: [this.registry],
    });
    this.consumerLag = new Gauge({
      name: 'gatehouse_consumer_lag',
      help: 'Messages waiting in a durable consumer (pending plus unacknowledged).',
      labelNames: ['consumer'],
      registers: [this.registry],
    });
    this.evidenceBatchRecords = new Histogram({
      name: 'gatehouse_evidence_batch_records',
      help: 'Evidence records per JetStream message (group commit: more under load).',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024],
      registers: [this.registry],
    });
  }

  /** Records one finished operation. */
  observe(operation: string, outcome: string, seconds: number): void {
    this.requests.inc({ operation, outcome });
    this.latency.observe({ operation }, seconds);
  }
}
