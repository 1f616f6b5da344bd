// Medium: the group-commit evidence publisher against a real NATS server with JetStream (NATS_URL
// or a test container). Real: NATS, JetStream streams, acks, dedupe, no-responder statuses.
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import { MessageType, decodeMessage, type EvidenceRecord } from '@gatehouse/contracts';
import { jetstreamManager, type JetStreamManager } from '@gatehouse/nats';
import { startTestNats, type TestNats } from '@gatehouse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvidencePublisher, type EvidencePublisherOptions } from './evidence-publisher.ts';

function record(id: string, seq = 0, details: Record<string, unknown> = {}): EvidenceRecord {
  return {
    id,
    kind: 'statement',
    time: '2026-11-25T12:00:00.000Z',
    session: { id: `session-${id}`, seq, prev: null },
    actor: { sub: 'ci-bot', groups: ['pipelines'], issuer: 'http://issuer', tokenId: 'jti-1' },
    target: { name: 'demo', kind: 'postgres' },
    details,
  };
}

describe('EvidencePublisher', () => {
  let nats: TestNats;
  let bus: NatsConnection;
  let manager: JetStreamManager;
  const stream = () => `EVP_${nats.prefix}`;
  const subject = () => `${nats.prefix}.evidence.v1.batch`;

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

  const publisherFor = (options: Partial<EvidencePublisherOptions> = {}): EvidencePublisher =>
    new EvidencePublisher(bus, { subject: subject(), timeoutMs: 5000, ...options });

  /** Every batch the stream holds from sequence `after` on, as record id lists. */
  async function storedBatches(after: number): Promise<{ msgId: string | undefined; ids: string[] }[]> {
    const { state } = await manager.streams.info(stream());
    const batches: { msgId: string | undefined; ids: string[] }[] = [];
    for (let seq = after + 1; seq <= state.last_seq; seq++) {
      const stored = await manager.streams.getMessage(stream(), { seq });
      if (!stored) continue;
      batches.push({
        msgId: stored.header?.get('Nats-Msg-Id'),
        ids: decodeMessage(MessageType.EvidenceBatch, stored.data).body.records.map((stored) => stored.id),
      });
    }
    return batches;
  }

  const lastSeq = async (): Promise<number> => (await manager.streams.info(stream())).state.last_seq;

  it('evidence-publisher - the calls of one event-loop turn leave as one valid batch, each called back once after the ack', async () => {
    const sent: number[] = [];
    const publisher = publisherFor({ onBatchSent: (records) => sent.push(records) });
    try {
      const before = await lastSeq();
      const calls: (string | undefined)[] = [];
      const groups = Array.from({ length: 20 }, (_, group) => [
        record(`g-${nats.prefix}-${group}-a`, 0),
        record(`g-${nats.prefix}-${group}-b`, 1),
      ]);
      await Promise.all(
        groups.map(
          (records) =>
            new Promise<void>((resolve) =>
              publisher.publish(records, (error) => {
                calls.push(error?.message);
                resolve();
              }),
            ),
        ),
      );
      expect(calls).toEqual(Array.from({ length: 20 }, () => undefined));
      const ids = groups.flat().map((stored) => stored.id);
      expect(await storedBatches(before)).toEqual([{ msgId: ids[0], ids }]);
      expect(sent).toEqual([40]);
      expect(publisher.pending).toBe(0);
      const empty: (string | undefined)[] = [];
      publisher.publish([], (error) => empty.push(error?.message));
      expect(empty).toEqual([undefined]);
    } finally {
      publisher.close();
    }
  });

  it('evidence-publisher - calls of separate turns leave separately, and a batch sent twice is stored once', async () => {
    const publisher = publisherFor();
    try {
      const before = await lastSeq();
      const first = record(`turn-${nats.prefix}-1`);
      await publisher.publishAsync([first]);
      await publisher.publishAsync([record(`turn-${nats.prefix}-2`)]);
      // The same record again (a retried batch) carries the same message id: JetStream drops it.
      await publisher.publishAsync([first]);
      expect((await storedBatches(before)).map((batch) => batch.ids)).toEqual([
        [`turn-${nats.prefix}-1`],
        [`turn-${nats.prefix}-2`],
      ]);
    } finally {
      publisher.close();
    }
  });

  it('evidence-publisher - a batch that would exceed the payload limit is split, and a call spanning two batches is called back after both', async () => {
    const publisher = publisherFor();
    try {
      const before = await lastSeq();
      // About 300 KB each: at most three fit in the server's 1 MB max_payload.
      const big = Array.from({ length: 5 }, (_, i) =>
        record(`big-${nats.prefix}-${i}`, i, { text: 'x'.repeat(300_000) }),
      );
      const outcomes = await Promise.all([
        new Promise((resolve) => publisher.publish(big.slice(0, 2), resolve)),
        new Promise((resolve) => publisher.publish(big.slice(2), resolve)),
      ]);
      expect(outcomes).toEqual([undefined, undefined]);
      const batches = await storedBatches(before);
      expect(batches.length).toBeGreaterThan(1);
      expect(batches.flatMap((batch) => batch.ids)).toEqual(big.map((stored) => stored.id));
      for (const batch of batches) expect(batch.msgId).toBe(batch.ids[0]);
    } finally {
      publisher.close();
    }
  });

  it('evidence-publisher - a soon record leaves with the next batch, or on its own within milliseconds', async () => {
    const publisher = publisherFor();
    try {
      const before = await lastSeq();
      const acked: string[] = [];
      publisher.publishSoon([record(`soon-${nats.prefix}-1`)], (error) =>
        acked.push(error ? 'error' : 'soon-1'),
      );
      expect(publisher.pending).toBe(0); // still waiting for company
      await publisher.publishAsync([record(`now-${nats.prefix}-1`)]);
      expect(acked).toEqual(['soon-1']);
      const alone = await new Promise<string>((resolve) =>
        publisher.publishSoon([record(`soon-${nats.prefix}-2`)], (error) =>
          resolve(error ? 'error' : 'acked'),
        ),
      );
      expect(alone).toBe('acked');
      expect((await storedBatches(before)).map((batch) => batch.ids)).toEqual([
        [`soon-${nats.prefix}-1`, `now-${nats.prefix}-1`],
        [`soon-${nats.prefix}-2`],
      ]);
    } finally {
      publisher.close();
    }
  });

  it('evidence-publisher - a callback that throws is reported and later acknowledgements still arrive', async () => {
    const thrown: unknown[] = [];
    const publisher = publisherFor({ onCallbackError: (error) => thrown.push(error) });
    try {
      await new Promise<void>((resolve) =>
        publisher.publish([record(`throw-${nats.prefix}`)], () => {
          resolve();
          throw new Error('session code failed');
        }),
      );
      await publisher.publishAsync([record(`after-${nats.prefix}-1`), record(`after-${nats.prefix}-2`)]);
      expect(thrown).toEqual([new Error('session code failed')]);
    } finally {
      publisher.close();
    }
  });

  it('evidence-publisher - fails with DependencyUnavailableError when no stream takes the subject', async () => {
    const publisher = publisherFor({ subject: `${nats.prefix}.nostream.x` });
    try {
      const error = await publisher.publishAsync([record('nowhere')]).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'DependencyUnavailableError', dependency: 'jetstream' });
      expect(String((error as { cause?: unknown }).cause)).toMatch(/status 503/);
    } finally {
      publisher.close();
    }
  });

  it('evidence-publisher - fails every caller of a batch on an error reply, and on a missing ack after the timeout', async () => {
    const refusing = bus.subscribe(`${nats.prefix}.refusing`, {
      callback: (_, msg) => {
        msg.respond(new TextEncoder().encode('{"error":{"code":503,"description":"store full"}}'));
      },
    });
    const silent = bus.subscribe(`${nats.prefix}.silent`);
    const refusingPublisher = publisherFor({ subject: `${nats.prefix}.refusing` });
    const silentPublisher = publisherFor({ subject: `${nats.prefix}.silent`, timeoutMs: 300 });
    try {
      const refused = await Promise.all(
        ['r1', 'r2'].map((id) => refusingPublisher.publishAsync([record(id)]).catch((e: unknown) => e)),
      );
      for (const error of refused)
        expect(String((error as { cause?: unknown }).cause)).toContain('store full');
      const started = performance.now();
      const timedOut = await silentPublisher.publishAsync([record('s')]).catch((e: unknown) => e);
      expect(String((timedOut as { cause?: unknown }).cause)).toContain(
        'no JetStream acknowledgement within 300 ms',
      );
      expect(performance.now() - started).toBeGreaterThanOrEqual(290);
      expect(silentPublisher.pending).toBe(0);
    } finally {
      refusing.unsubscribe();
      silent.unsubscribe();
      refusingPublisher.close();
      silentPublisher.close();
    }
  });

  it('evidence-publisher - close fails what waits and what is in flight, and refuses later publishes', async () => {
    const silent = bus.subscribe(`${nats.prefix}.closing`);
    const publisher = publisherFor({ subject: `${nats.prefix}.closing` });
    try {
      const inFlight = publisher.publishAsync([record('in-flight')]).catch((e: unknown) => e);
      await new Promise((resolve) => setImmediate(resolve));
      expect(publisher.pending).toBe(1);
      const waiting = new Promise((resolve) => publisher.publishSoon([record('waiting')], resolve));
      publisher.close();
      for (const error of [
        await inFlight,
        await waiting,
        await publisher.publishAsync([record('late')]).catch((e: unknown) => e),
      ]) {
        expect(error).toMatchObject({ name: 'DependencyUnavailableError' });
      }
    } finally {
      silent.unsubscribe();
    }
  });
});
