// Medium: the evidence publisher against a real NATS server with JetStream (NATS_URL or a test
// container). Real: NATS, JetStream streams, acks, no-responder statuses.
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import { jetstreamManager, type JetStreamManager } from '@gatehouse/nats';
import { startTestNats, type TestNats } from '@gatehouse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvidencePublisher, type DurableMessage } from './evidence-publisher.ts';

describe('EvidencePublisher', () => {
  let nats: TestNats;
  let bus: NatsConnection;
  let manager: JetStreamManager;
  const stream = () => `EVP_${nats.prefix}`;

  beforeAll(async () => {
    nats = await startTestNats();
    bus = await connect({ servers: nats.url });
    manager = await jetstreamManager(bus);
    await manager.streams.add({
      name: stream(),
      subjects: [`${nats.prefix}.evidence.>`],
      duplicate_window: 60_000_000_000,
    });
  });

  afterAll(async () => {
    await manager?.streams.delete(stream()).catch(() => undefined);
    await bus?.close();
    await nats?.stop();
  });

  const message = (id: string, subject = `${nats.prefix}.evidence.statement`): DurableMessage => ({
    subject,
    id,
    data: new TextEncoder().encode(JSON.stringify({ id })),
  });

  it('evidence-publisher - reports success once JetStream acknowledged every message, and stores a repeated id once', async () => {
    const publisher = new EvidencePublisher(bus, 5000);
    try {
      const ids = Array.from({ length: 50 }, (_, i) => `ack-${nats.prefix}-${i}`);
      await publisher.publishAsync(ids.map((id) => message(id)));
      await publisher.publishAsync([message(ids[0]!), message(ids[1]!)]);
      const info = await manager.streams.info(stream());
      expect(info.state.messages).toBe(50);
      expect(publisher.pending).toBe(0);
    } finally {
      publisher.close();
    }
  });

  it('evidence-publisher - calls back exactly once per publish, with the groups in flight together', async () => {
    const publisher = new EvidencePublisher(bus, 5000);
    try {
      const calls: (string | undefined)[] = [];
      await Promise.all(
        Array.from(
          { length: 20 },
          (_, group) =>
            new Promise<void>((resolve) =>
              publisher.publish(
                [message(`g-${nats.prefix}-${group}-a`), message(`g-${nats.prefix}-${group}-b`)],
                (error) => {
                  calls.push(error?.message);
                  resolve();
                },
              ),
            ),
        ),
      );
      expect(calls).toEqual(Array.from({ length: 20 }, () => undefined));
      const empty: (string | undefined)[] = [];
      publisher.publish([], (error) => empty.push(error?.message));
      expect(empty).toEqual([undefined]);
    } finally {
      publisher.close();
    }
  });

  it('evidence-publisher - a soon message leaves with the next publish, ahead of it, or on its own within milliseconds', async () => {
    const publisher = new EvidencePublisher(bus, 5000);
    const subject = `${nats.prefix}.evidence.soon`;
    try {
      const acked: string[] = [];
      publisher.publishSoon([message(`soon-${nats.prefix}-1`, subject)], (error) =>
        acked.push(error ? 'error' : 'soon-1'),
      );
      expect(publisher.pending).toBe(0); // still waiting for company
      await publisher.publishAsync([message(`now-${nats.prefix}-1`, subject)]);
      expect(acked).toEqual(['soon-1']);
      const stored = await manager.streams.getMessage(stream(), { last_by_subj: subject });
      expect(stored?.json<{ id: string }>().id).toBe(`now-${nats.prefix}-1`);
      const alone = await new Promise<string>((resolve) =>
        publisher.publishSoon([message(`soon-${nats.prefix}-2`, subject)], (error) =>
          resolve(error ? 'error' : 'acked'),
        ),
      );
      expect(alone).toBe('acked');
      const latest = await manager.streams.getMessage(stream(), { last_by_subj: subject });
      expect(latest?.json<{ id: string }>().id).toBe(`soon-${nats.prefix}-2`);
      expect(latest!.seq).toBe(stored!.seq + 1);
    } finally {
      publisher.close();
    }
  });

  it('evidence-publisher - a callback that throws is reported and later acknowledgements still arrive', async () => {
    const thrown: unknown[] = [];
    const publisher = new EvidencePublisher(bus, 5000, (error) => thrown.push(error));
    try {
      await new Promise<void>((resolve) =>
        publisher.publish([message(`throw-${nats.prefix}`)], () => {
          resolve();
          throw new Error('session code failed');
        }),
      );
      await publisher.publishAsync([message(`after-${nats.prefix}-1`), message(`after-${nats.prefix}-2`)]);
      expect(thrown).toEqual([new Error('session code failed')]);
    } finally {
      publisher.close();
    }
  });

  it('evidence-publisher - fails with DependencyUnavailableError when no stream takes the subject', async () => {
    const publisher = new EvidencePublisher(bus, 5000);
    try {
      const error = await publisher
        .publishAsync([message('nowhere', `${nats.prefix}.nostream.x`)])
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'DependencyUnavailableError', dependency: 'jetstream' });
      expect(String((error as { cause?: unknown }).cause)).toMatch(/status 503/);
    } finally {
      publisher.close();
    }
  });

  it('evidence-publisher - fails on an error reply and on a missing ack after the timeout', async () => {
    const refusing = bus.subscribe(`${nats.prefix}.refusing`, {
      callback: (_, msg) => {
        msg.respond(new TextEncoder().encode('{"error":{"code":503,"description":"store full"}}'));
      },
    });
    const silent = bus.subscribe(`${nats.prefix}.silent`);
    const publisher = new EvidencePublisher(bus, 300);
    try {
      const refused = await publisher
        .publishAsync([message('r', `${nats.prefix}.refusing`)])
        .catch((e: unknown) => e);
      expect(String((refused as { cause?: unknown }).cause)).toContain('store full');
      const started = performance.now();
      const timedOut = await publisher
        .publishAsync([message('s', `${nats.prefix}.silent`)])
        .catch((e: unknown) => e);
      expect(String((timedOut as { cause?: unknown }).cause)).toContain(
        'no JetStream acknowledgement within 300 ms',
      );
      expect(performance.now() - started).toBeGreaterThanOrEqual(290);
      expect(publisher.pending).toBe(0);
    } finally {
      refusing.unsubscribe();
      silent.unsubscribe();
      publisher.close();
    }
  });
});
