// Medium tier: the audit module booted in-process on real NATS with JetStream (a per-run prefix).
// Proves evidence is forwarded to the ledger stream once, acked only after the forward, and that
// invalid evidence is terminated instead of retried forever.
import { Writable } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@gatehouse/config';
import {
  MessageType,
  decodeMessage,
  encodeMessage,
  envelope,
  subjectsFor,
  type EvidenceRecord,
} from '@gatehouse/contracts';
import { createLogger } from '@gatehouse/logging';
import {
  connectBus,
  jetstream,
  jetstreamManager,
  publishDurable,
  streamNameFor,
  type NatsConnection,
} from '@gatehouse/nats';
import { ServiceMetrics, listeningPort, startHttpService } from '@gatehouse/service-host';
import { startTestNats, type TestNats } from '@gatehouse/testing';
import { auditConfigSpec } from './audit-config.ts';
import { AuditModule } from './audit.module.ts';

const logLines: string[] = [];
const logger = createLogger({
  service: 'audit-test',
  destination: new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  }),
});

function record(id: string, seq = 0): EvidenceRecord {
  return {
    id,
    kind: 'statement',
    time: new Date().toISOString(),
    session: { id: 'session-audit', seq, prev: null },
    actor: { sub: 'ci-bot', groups: ['pipelines'], issuer: 'http://issuer', tokenId: 'jti-1' },
    target: { name: 'demo', kind: 'postgres' },
    details: { normalized: 'SELECT $1' },
  };
}

describe('audit (real NATS)', () => {
  let nats: TestNats;
  let bus: NatsConnection;
  let probe: NatsConnection;
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    nats = await startTestNats();
    const config = loadConfig(auditConfigSpec, {
      env: {
        NATS_URL: nats.url,
        GATEHOUSE_PREFIX: nats.prefix,
        AUDIT_HTTP_PORT: '0',
        AUDIT_BATCH_SIZE: '16',
      },
    });
    bus = await connectBus({ url: nats.url, name: 'audit-under-test', logger });
    probe = await connectBus({ url: nats.url, name: 'audit-probe', logger });
    app = await startHttpService(
      AuditModule.forRoot({ config, logger, bus, metrics: new ServiceMetrics('audit') }),
      {
        host: '127.0.0.1',
        port: 0,
        logger,
      },
    );
    base = `http://127.0.0.1:${listeningPort(app)}`;
  });

  afterAll(async () => {
    await app?.close();
    const jsm = await jetstreamManager(probe);
    for (const name of ['EVIDENCE', 'LEDGER'] as const) {
      await jsm.streams.delete(streamNameFor(nats.prefix, name)).catch(() => undefined);
    }
    await probe?.drain();
    await nats?.stop();
  });

  async function ledgerMessages(): Promise<{ ids: string[]; msgId: string | undefined }[]> {
    const jsm = await jetstreamManager(probe);
    const stream = streamNameFor(nats.prefix, 'LEDGER');
    const info = await jsm.streams.info(stream);
    const found: { ids: string[]; msgId: string | undefined }[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
      const stored = await jsm.streams.getMessage(stream, { seq }).catch(() => undefined);
      if (!stored) continue;
      const message = decodeMessage(MessageType.LedgerAppend, stored.data);
      found.push({
        ids: message.body.records.map((forwarded) => forwarded.id),
        msgId: stored.header?.get('Nats-Msg-Id'),
      });
    }
    return found;
  }

  it('audit - is ready once its streams exist', async () => {
    const response = await fetch(`${base}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ready: true, checks: { nats: true, streams: true } });
  });

  it('audit - forwards each evidence batch to the ledger stream once, whole, keyed by the batch id', async () => {
    const js = jetstream(probe);
    const subjects = subjectsFor(nats.prefix);
    const first = envelope(
      MessageType.EvidenceBatch,
      { records: [record('rec-a', 0), record('rec-b', 1)] },
      { id: 'rec-a' },
    );
    await publishDurable(js, subjects.evidence, first);
    await publishDurable(
      js,
      subjects.evidence,
      envelope(MessageType.EvidenceBatch, { records: [record('rec-c', 2)] }, { id: 'rec-c' }),
    );
    // A second publish of the same batch (an edge retry) is deduplicated by JetStream.
    await publishDurable(js, subjects.evidence, first);
    await expect
      .poll(async () => (await ledgerMessages()).map((entry) => entry.ids), { timeout: 10_000 })
      .toEqual([['rec-a', 'rec-b'], ['rec-c']]);
    expect((await ledgerMessages()).map((entry) => entry.msgId)).toEqual(['rec-a', 'rec-c']);
    const jsm = await jetstreamManager(probe);
    await expect
      .poll(async () => {
        const info = await jsm.consumers.info(streamNameFor(nats.prefix, 'EVIDENCE'), 'audit');
        return info.num_pending + info.num_ack_pending;
      })
      .toBe(0);
  });

  it('audit - terminates an invalid evidence message with a log line and keeps forwarding', async () => {
    const js = jetstream(probe);
    const subjects = subjectsFor(nats.prefix);
    await js.publish(
      subjects.evidence,
      new TextEncoder().encode('{"type":"gatehouse.evidence.v1.batch","nope":1}'),
    );
    // An empty batch is invalid too (a batch carries at least one record).
    await js.publish(
      subjects.evidence,
      encodeMessage(envelope(MessageType.EvidenceBatch, { records: [] }, { id: 'empty-batch' })),
    );
    await publishDurable(
      js,
      subjects.evidence,
      envelope(
        MessageType.EvidenceBatch,
        { records: [record('rec-after-invalid')] },
        { id: 'rec-after-invalid' },
      ),
    );
    await expect
      .poll(async () => (await ledgerMessages()).some((entry) => entry.ids.includes('rec-after-invalid')), {
        timeout: 10_000,
      })
      .toBe(true);
    expect(logLines.join('')).toContain('invalid message terminated');
    const jsm = await jetstreamManager(probe);
    await expect
      .poll(async () => {
        const info = await jsm.consumers.info(streamNameFor(nats.prefix, 'EVIDENCE'), 'audit');
        return info.num_pending + info.num_ack_pending;
      })
      .toBe(0);
  });

  it('audit - exposes forward counts and latencies on /metrics', async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(
      /gatehouse_requests_total\{operation="forward",outcome="ok",service="audit"\} [1-9]/,
    );
    expect(text).toMatch(
      /gatehouse_request_duration_seconds_count\{service="audit",operation="forward"\} [1-9]/,
    );
  });
});
