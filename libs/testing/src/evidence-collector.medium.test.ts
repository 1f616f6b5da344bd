// Medium tier: real NATS with JetStream (startTestNats) and a real stream of this run's own
// prefix, created with the plain JetStream client (libs/nats depends on this library's fixtures,
// so the test does not import it back).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { MessageType, encodeMessage, envelope, type EvidenceRecord } from '@gatehouse/contracts';
import { InvalidMessageError } from '@gatehouse/errors';
import { collectEvidence } from './evidence-collector.ts';
import { startTestNats, type TestNats } from './test-nats.ts';

function record(sessionId: string, seq: number): EvidenceRecord {
  return {
    id: randomUUID(),
    kind: 'statement',
    time: new Date().toISOString(),
    session: { id: sessionId, seq, prev: null },
    actor: { sub: 'ci-bot', groups: ['pipelines'], issuer: 'http://issuer', tokenId: 'j1' },
    target: { name: 'demo', kind: 'postgres' },
    details: { normalized: 'SELECT $1' },
  };
}

describe('collectEvidence (real JetStream)', () => {
  let nats: TestNats;
  let bus: NatsConnection;
  let jsm: JetStreamManager;
  let subject: string;

  /** A fresh stream per test: a record of one test never reaches another's collector. */
  async function stream(): Promise<string> {
    const name = `${nats.prefix}_EVIDENCE_${randomUUID().slice(0, 8)}`;
    subject = `${nats.prefix}.${name}.evidence.v1.batch`;
    await jsm.streams.add({ name, subjects: [subject] });
    return name;
  }

  async function publish(...records: EvidenceRecord[]): Promise<void> {
    await jetstream(bus).publish(
      subject,
      encodeMessage(envelope(MessageType.EvidenceBatch, { records }, { id: records[0]!.id })),
    );
  }

  beforeAll(async () => {
    nats = await startTestNats();
    bus = await connect({ servers: nats.url });
    jsm = await jetstreamManager(bus);
  });

  afterAll(async () => {
    for await (const name of jsm.streams.names()) {
      if (name.startsWith(`${nats.prefix}_`)) await jsm.streams.delete(name);
    }
    await bus?.drain();
    await nats?.stop();
  });

  it("evidence-collector - returns one session's records in chain order, including ones stored before it started", async () => {
    const name = await stream();
    const [first, second, third] = [record('s-1', 0), record('s-1', 1), record('s-1', 2)];
    await publish(second!);
    const collector = await collectEvidence(bus, name);
    try {
      // One batch may carry several sessions' records, in any order.
      await publish(record('s-2', 0), third!);
      await publish(first!);
      expect(await collector.session('s-1', (own) => own.length === 3)).toEqual([first, second, third]);
      expect(await collector.find((stored) => stored.session.id === 's-2')).toMatchObject({
        session: { id: 's-2', seq: 0 },
      });
      await expect(collector.session('s-3', (own) => own.length > 0, 100)).rejects.toThrow(
        'no evidence: session s-3',
      );
    } finally {
      await collector.stop();
    }
  });

  it('evidence-collector - a schema-invalid record fails the wait instead of being skipped', async () => {
    const name = await stream();
    const collector = await collectEvidence(bus, name);
    try {
      await jetstream(bus).publish(
        subject,
        new TextEncoder().encode('{"type":"gatehouse.evidence.v1.batch"}'),
      );
      await expect(collector.find(() => true, 2000)).rejects.toThrow(InvalidMessageError);
    } finally {
      await collector.stop();
    }
  });
});
