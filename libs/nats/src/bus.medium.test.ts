// Medium tier: real NATS with JetStream (testcontainers where Docker answers, else NATS_URL or
// 127.0.0.1:4222). Every run uses its own subject and stream prefix.
import { Writable } from 'node:stream';
import { RetentionPolicy } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageType, envelope, subjectsFor, type EvidenceRecord } from '@gatehouse/contracts';
import { DeadlineExceededError, DependencyUnavailableError } from '@gatehouse/errors';
import { createLogger } from '@gatehouse/logging';
import { startTestNats, type TestNats } from '@gatehouse/testing';
import {
  connectBus,
  DurablePublisher,
  ensureStreams,
  jetstream,
  jetstreamManager,
  publishDurable,
  requestMessage,
  runDurableConsumer,
  serveRequests,
  streamNameFor,
  streamsPresent,
  type NatsConnection,
  type ReceivedMessage,
} from './index.ts';

const logLines: string[] = [];
const logger = createLogger({
  service: 'nats-test',
  destination: new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  }),
});

function record(id: string): EvidenceRecord {
  return {
    id,
    kind: 'statement',
    time: new Date().toISOString(),
    session: { id: 's-1', seq: 0, prev: null },
    actor: { sub: 'ci-bot', groups: ['pipelines'], issuer: 'http://issuer', tokenId: 'j1' },
    target: { name: 'demo', kind: 'postgres' },
    details: { normalized: 'SELECT $1' },
  };
}

const decideBody = {
  session: { id: 's-1' },
  actor: { sub: 'ci-bot', groups: ['pipelines'], issuer: 'http://issuer', tokenId: 'j1' },
  target: { name: 'demo', kind: 'postgres' as const },
  operation: { kind: 'sql' as const, text: 'SELECT 1' },
  context: { tls: false, clientAddress: '127.0.0.1' },
};

describe('nats bus (real NATS)', () => {
  let nats: TestNats;
  let connection: NatsConnection;

  beforeAll(async () => {
    nats = await startTestNats();
    connection = await connectBus({ url: nats.url, name: 'nats-medium-test', logger });
  });

  afterAll(async () => {
    const jsm = await jetstreamManager(connection);
    for (const name of ['EVIDENCE', 'LEDGER', 'APPROVALS'] as const) {
      await jsm.streams.delete(streamNameFor(nats.prefix, name)).catch(() => undefined);
    }
    await connection.drain();
    await nats.stop();
  });

  it('nats - creates streams and consumers idempotently', async () => {
    const jsm = await jetstreamManager(connection);
    await ensureStreams(jsm, nats.prefix, ['EVIDENCE', 'LEDGER']);
    await ensureStreams(jsm, nats.prefix, ['EVIDENCE', 'LEDGER']);
    expect(await streamsPresent(jsm, nats.prefix, ['EVIDENCE', 'LEDGER'])).toBe(true);
    expect(await streamsPresent(jsm, nats.prefix, ['APPROVALS'])).toBe(false);
    const info = await jsm.consumers.info(streamNameFor(nats.prefix, 'EVIDENCE'), 'audit');
    expect(info.config.ack_policy).toBe('explicit');
  });

  it('nats - a stream created by an older definition keeps its retention and takes the other settings', async () => {
    const jsm = await jetstreamManager(connection);
    const name = streamNameFor(nats.prefix, 'EVIDENCE');
    const legacyPrefix = `${nats.prefix}old`;
    const legacy = streamNameFor(legacyPrefix, 'EVIDENCE');
    await jsm.streams.add({
      name: legacy,
      subjects: [`${legacyPrefix}.evidence.v1.>`],
      retention: RetentionPolicy.Limits,
    });
    await ensureStreams(jsm, legacyPrefix, ['EVIDENCE']);
    const updated = await jsm.streams.info(legacy);
    expect(updated.config.retention).toBe('limits');
    expect(updated.config.discard).toBe('new');
    expect((await jsm.streams.info(name)).config.retention).toBe('interest');
    await jsm.streams.delete(legacy);
  });

  it('nats - a durable publish awaits the ack and a repeated message id is stored once', async () => {
    const js = jetstream(connection);
    const subjects = subjectsFor(nats.prefix);
    const message = envelope(
      MessageType.EvidenceBatch,
      { records: [record('r-dedupe')] },
      { id: 'r-dedupe' },
    );
    const first = await publishDurable(js, subjects.evidence, message);
    const second = await publishDurable(js, subjects.evidence, message);
    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(true);
    expect(second.seq).toBe(first.seq);
  });

  it('nats - a publish to a subject no stream holds fails as an unavailable dependency', async () => {
    const js = jetstream(connection);
    const message = envelope(MessageType.EvidenceBatch, { records: [record('r-x')] });
    await expect(publishDurable(js, `${nats.prefix}.nowhere`, message, 500)).rejects.toBeInstanceOf(
      DependencyUnavailableError,
    );
  });

  it('nats - a DurablePublisher stores each message once by id, with its trace header, and resolves on the ack', async () => {
    const jsm = await jetstreamManager(connection);
    await ensureStreams(jsm, nats.prefix, ['EVIDENCE']);
    const subjects = subjectsFor(nats.prefix);
    const stream = streamNameFor(nats.prefix, 'EVIDENCE');
    const publisher = new DurablePublisher(connection);
    try {
      const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
      const before = (await jsm.streams.info(stream)).state.last_seq;
      const messages = ['dp-1', 'dp-2', 'dp-3'].map((id) =>
        envelope(MessageType.EvidenceBatch, { records: [record(id)] }, { id, traceparent }),
      );
      await Promise.all(messages.map((message) => publisher.publish(subjects.evidence, message)));
      await publisher.publish(subjects.evidence, messages[0]!); // a retry: the duplicate window drops it
      const after = (await jsm.streams.info(stream)).state.last_seq;
      expect(after - before).toBe(3);
      const stored = await jsm.streams.getMessage(stream, { seq: before + 1 });
      expect(stored?.header?.get('Nats-Msg-Id')).toMatch(/^dp-[123]$/u);
      expect(stored?.header?.get('traceparent')).toBe(traceparent);
    } finally {
      publisher.close();
    }
  });

  it('nats - a DurablePublisher refuses as an unavailable dependency: no stream, an error reply, no ack in time, closed', async () => {
    const refusing = connection.subscribe(`${nats.prefix}.dp.refusing`, {
      callback: (_, msg) => {
        msg.respond(new TextEncoder().encode('{"error":{"code":503,"description":"store full"}}'));
      },
    });
    const silent = connection.subscribe(`${nats.prefix}.dp.silent`);
    const publisher = new DurablePublisher(connection, 300);
    const message = envelope(MessageType.EvidenceBatch, { records: [record('dp-x')] });
    const refusal = (subject: string) =>
      publisher.publish(subject, message).then(
        () => undefined,
        (error: unknown) => error,
      );
    try {
      const [nowhere, refused, timedOut] = await Promise.all([
        refusal(`${nats.prefix}.dp.nowhere`),
        refusal(`${nats.prefix}.dp.refusing`),
        refusal(`${nats.prefix}.dp.silent`),
      ]);
      for (const error of [nowhere, refused, timedOut])
        expect(error).toBeInstanceOf(DependencyUnavailableError);
      expect(String((nowhere as Error).cause)).toMatch(/status 503/u);
      expect(String((refused as Error).cause)).toContain('store full');
      expect(String((timedOut as Error).cause)).toContain('no JetStream acknowledgement within 300 ms');
      const inFlight = refusal(`${nats.prefix}.dp.silent`);
      publisher.close();
      expect(String(((await inFlight) as Error).cause)).toContain('publisher closed');
      expect(await refusal(`${nats.prefix}.dp.silent`)).toBeInstanceOf(DependencyUnavailableError);
    } finally {
      refusing.unsubscribe();
      silent.unsubscribe();
      publisher.close();
    }
  });

  it('nats - request/reply validates both sides and propagates the trace id', async () => {
    const subject = `${nats.prefix}.authz.v1.decide`;
    let seenTrace: string | undefined;
    const subscription = serveRequests(connection, {
      subject,
      queue: 'authz',
      requestType: MessageType.AuthzDecideRequest,
      replyType: MessageType.AuthzDecideReply,
      logger,
      handle: (request) => {
        seenTrace = request.traceparent;
        return {
          effect: 'deny',
          rule: 'test',
          reason: `saw ${request.body.operation.text}`,
          policyVersion: 'v1',
          cacheTtlMs: 0,
          classification: {
            riskClass: 'read',
            kinds: ['select'],
            riskFlags: [],
            relationsRead: [],
            relationsWritten: [],
            fingerprint: 'f',
            normalized: 'SELECT $1',
            statementCount: 1,
          },
        };
      },
      onError: () => undefined,
    });
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const reply = await requestMessage(
      connection,
      envelope(MessageType.AuthzDecideRequest, decideBody, { traceparent }),
      {
        subject,
        dependency: 'authz',
        replyType: MessageType.AuthzDecideReply,
        timeoutMs: 2000,
      },
    );
    expect(reply.body.reason).toBe('saw SELECT 1');
    expect(seenTrace).toBe(traceparent);
    expect(reply.traceparent?.split('-')[1]).toBe('0af7651916cd43dd8448eb211c80319c');
    await subscription.drain();
  });

  it('nats - no responder and a missed deadline are typed refusals', async () => {
    const request = envelope(MessageType.AuthzDecideRequest, decideBody);
    await expect(
      requestMessage(connection, request, {
        subject: `${nats.prefix}.nobody.home`,
        dependency: 'authz',
        replyType: MessageType.AuthzDecideReply,
        timeoutMs: 1000,
      }),
    ).rejects.toThrow(/authz cannot answer: no instance is serving/);
    const silent = connection.subscribe(`${nats.prefix}.silent`, { callback: () => undefined });
    await connection.flush();
    const error = await requestMessage(connection, request, {
      subject: `${nats.prefix}.silent`,
      dependency: 'authz',
      replyType: MessageType.AuthzDecideReply,
      timeoutMs: 200,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlineExceededError);
    silent.unsubscribe();
  });

  it('nats - the durable consumer terminates invalid messages, retries failed batches and acks after success', async () => {
    const js = jetstream(connection);
    const subjects = subjectsFor(nats.prefix);
    const stream = streamNameFor(nats.prefix, 'LEDGER');
    await js.publish(subjects.ledgerAppend, new TextEncoder().encode('{"type":"garbage"}'));
    for (const id of ['a', 'b', 'c']) {
      await publishDurable(
        js,
        subjects.ledgerAppend,
        envelope(MessageType.LedgerAppend, { records: [record(id)], stream: { sequence: 1 } }, { id }),
      );
    }
    const handled: string[] = [];
    let failOnce = true;
    const consumer = await runDurableConsumer(js, {
      stream,
      durable: 'ledger-writer',
      messageType: MessageType.LedgerAppend,
      logger,
      retryDelayMs: 50,
      handle: async (batch: readonly ReceivedMessage<'gatehouse.ledger.v1.append'>[]) => {
        if (failOnce) {
          failOnce = false;
          throw new Error('database briefly unavailable');
        }
        handled.push(...batch.flatMap((entry) => entry.message.body.records.map((stored) => stored.id)));
      },
    });
    await expect.poll(() => [...new Set(handled)].sort(), { timeout: 10_000 }).toEqual(['a', 'b', 'c']);
    await expect.poll(() => consumer.pending(), { timeout: 5000 }).toBe(0);
    await consumer.stop();
    expect(logLines.join('')).toContain('invalid message terminated');
    expect(logLines.join('')).toContain('handler failed; messages will be redelivered');
  });
});
