// Medium tier: real NATS with JetStream and real PostgreSQL (testcontainers where Docker answers,
// else NATS_URL / DATABASE_URL or the local defaults), real tokens from the dev issuer, and the
// approval module booted in-process on Fastify. Each run has its own subject prefix and database.
import { randomUUID } from 'node:crypto';
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
  type MessageOf,
} from '@gatehouse/contracts';
import { createDatabase, migrateToLatest, sql, type Kysely } from '@gatehouse/db';
import { recordHash } from '@gatehouse/evidence';
import { DevIssuer, TokenVerifier } from '@gatehouse/identity';
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
import { startTestNats, startTestPostgres, type TestNats, type TestPostgres } from '@gatehouse/testing';
import { approvalConfigSpec } from './approval-config.ts';
import { ApprovalModule } from './approval.module.ts';
import type { RequestView } from './api/request-view.ts';
import type { ReviewRequest } from './evidence/approval-evidence.ts';
import { approvalMigrations } from './storage/approval-migrations.ts';
import type { ApprovalDatabase } from './storage/approval-tables.ts';

const logLines: string[] = [];
const logger = createLogger({
  service: 'approval-test',
  level: 'debug',
  destination: new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  }),
});

describe('approval service (real NATS, PostgreSQL, tokens and HTTP)', () => {
  let nats: TestNats;
  let postgres: TestPostgres;
  let issuer: DevIssuer;
  let app: INestApplication;
  let base: string;
  let testBus: NatsConnection;
  let checkDb: Kysely<ApprovalDatabase>;
  let subjects: ReturnType<typeof subjectsFor>;
  const tokens: Record<'alice' | 'bob' | 'requester' | 'mallory', string> = {
    alice: '',
    bob: '',
    requester: '',
    mallory: '',
  };

  beforeAll(async () => {
    nats = await startTestNats();
    postgres = await startTestPostgres();
    issuer = new DevIssuer();
    await issuer.start();
    const databaseUrl = await postgres.createDatabase('approval');
    const config = loadConfig(approvalConfigSpec, {
      env: {
        NATS_URL: nats.url,
        GATEHOUSE_PREFIX: nats.prefix,
        DATABASE_URL: databaseUrl,
        OIDC_ISSUER: issuer.issuer,
        APPROVAL_HTTP_PORT: '0',
        APPROVAL_SWEEP_INTERVAL: '100ms',
      },
    });
    const db = createDatabase<ApprovalDatabase>({ url: databaseUrl, applicationName: 'approval-test' });
    await migrateToLatest(db as Kysely<unknown>, 'approval', approvalMigrations);
    const bus = await connectBus({ url: nats.url, name: 'approval-under-test', logger });
    const tokenVerifier = new TokenVerifier({ issuer: issuer.issuer, audience: config.oidcAudience });
    const metrics = new ServiceMetrics('approval');
    app = await startHttpService(
      ApprovalModule.forRoot({ config, logger, bus, db, metrics, tokenVerifier }),
      { host: '127.0.0.1', port: 0, logger },
    );
    base = `http://127.0.0.1:${listeningPort(app)}`;
    testBus = await connectBus({ url: nats.url, name: 'approval-test-client', logger });
    checkDb = createDatabase<ApprovalDatabase>({ url: databaseUrl, applicationName: 'approval-test-check' });
    subjects = subjectsFor(nats.prefix);
    tokens.alice = await issuer.mintToken({ sub: 'alice', groups: ['approvers'] });
    tokens.bob = await issuer.mintToken({ sub: 'bob', groups: ['approvers', 'dba'] });
    // The requester is in the approver group too: the own-request rule must hold regardless.
    tokens.requester = await issuer.mintToken({ sub: 'ci-bot', groups: ['pipelines', 'approvers'] });
    tokens.mallory = await issuer.mintToken({ sub: 'mallory', groups: ['pipelines'] });
  });

  afterAll(async () => {
    await app?.close();
    await checkDb?.destroy();
    if (testBus) {
      const jsm = await jetstreamManager(testBus);
      for (const name of ['APPROVALS', 'EVIDENCE'] as const) {
        await jsm.streams.delete(streamNameFor(nats.prefix, name)).catch(() => undefined);
      }
      await testBus.drain();
    }
    await issuer?.stop();
    await postgres?.stop();
    await nats?.stop();
  });

  function reviewRequest(approval: Partial<ReviewRequest['approval']> = {}): ReviewRequest {
    return {
      requestId: randomUUID(),
      session: { id: `edge-${randomUUID()}` },
      actor: { sub: 'ci-bot', groups: ['pipelines'], issuer: issuer.issuer, tokenId: randomUUID() },
      target: { name: 'demo', kind: 'postgres' },
      classification: {
        riskClass: 'write',
        kinds: ['update'],
        riskFlags: [],
        relationsRead: ['public.customers'],
        relationsWritten: ['public.customers'],
        fingerprint: 'a1b2c3d4',
        normalized: 'UPDATE customers SET email = $1 WHERE id = $2',
        statementCount: 1,
      },
      approval: { groups: ['approvers'], quorum: 1, holdTimeoutSeconds: 600, ...approval },
      rule: 'writes-need-approval',
      policyVersion: 'policy-v1',
    };
  }

  /** Publishes a request as an edge does; a fresh message id each time, so JetStream keeps both copies. */
  async function publishRequest(request: ReviewRequest): Promise<void> {
    await publishDurable(
      jetstream(testBus),
      subjects.approvalRequested,
      envelope(MessageType.ApprovalRequested, request, { id: randomUUID() }),
    );
  }

  async function call(
    method: 'GET' | 'POST',
    path: string,
    token: string | undefined,
    body?: string,
  ): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
    const headers: Record<string, string> = {};
    if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${base}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : {}, headers: response.headers };
  }

  async function vote(
    who: keyof typeof tokens,
    requestId: string,
    verb: 'approve' | 'reject',
    body?: string,
  ): Promise<{ status: number; json: Record<string, unknown> }> {
    return call('POST', `/v1/requests/${requestId}/${verb}`, tokens[who], body);
  }

  /** Publishes a request and waits until the service stored it. */
  async function storedRequest(approval: Partial<ReviewRequest['approval']> = {}): Promise<ReviewRequest> {
    const request = reviewRequest(approval);
    await publishRequest(request);
    await expect
      .poll(async () => (await call('GET', `/v1/requests/${request.requestId}`, tokens.alice)).status, {
        timeout: 10_000,
      })
      .toBe(200);
    return request;
  }

  /** The first decided message for a request; subscribe before acting. */
  function nextDecided(requestId: string): Promise<MessageOf<'gatehouse.approval.v1.decided'>> {
    const subscription = testBus.subscribe(subjects.approvalDecided(requestId), { max: 1, timeout: 10_000 });
    return (async () => {
      for await (const message of subscription)
        return decodeMessage(MessageType.ApprovalDecided, message.data);
      throw new Error('no decided message');
    })();
  }

  /** Every evidence record of a request's chain that the EVIDENCE stream holds, in stream order. */
  async function evidenceOf(requestId: string): Promise<EvidenceRecord[]> {
    const jsm = await jetstreamManager(testBus);
    const stream = streamNameFor(nats.prefix, 'EVIDENCE');
    const { state } = await jsm.streams.info(stream);
    const records: EvidenceRecord[] = [];
    for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq += 1) {
      const stored = await jsm.streams.getMessage(stream, { seq });
      if (!stored) continue;
      for (const record of decodeMessage(MessageType.EvidenceBatch, stored.data).body.records) {
        if (record.session.id === `approval-${requestId}`) records.push(record);
      }
    }
    return records;
  }

  async function consumerIdle(): Promise<boolean> {
    const jsm = await jetstreamManager(testBus);
    const info = await jsm.consumers.info(streamNameFor(nats.prefix, 'APPROVALS'), 'approval');
    return info.num_pending === 0 && info.num_ack_pending === 0;
  }

  it('approval - a request delivered twice is stored once, with one requested record', async () => {
    const request = reviewRequest();
    await publishRequest(request);
    await publishRequest(request);
    await expect.poll(consumerIdle, { timeout: 10_000 }).toBe(true);
    const rows = await checkDb
      .selectFrom('approval_requests')
      .select(['request_id', 'status', 'requester_sub', 'groups', 'quorum'])
      .where('request_id', '=', request.requestId)
      .execute();
    expect(rows).toEqual([
      {
        request_id: request.requestId,
        status: 'pending',
        requester_sub: 'ci-bot',
        groups: ['approvers'],
        quorum: 1,
      },
    ]);
    await expect.poll(async () => (await evidenceOf(request.requestId)).length, { timeout: 5000 }).toBe(1);
    const [requested] = await evidenceOf(request.requestId);
    expect(requested!.kind).toBe('approval_requested');
    expect(requested!.actor).toEqual(request.actor);
    expect(requested!.session).toEqual({ id: `approval-${request.requestId}`, seq: 0, prev: null });
  });

  it('approval - an approver approves: decided approved is published and both records reach the evidence stream', async () => {
    const request = await storedRequest();
    const decided = nextDecided(request.requestId);
    const answer = await vote(
      'alice',
      request.requestId,
      'approve',
      JSON.stringify({ comment: 'ticket OPS-7' }),
    );
    expect(answer.status).toBe(200);
    expect(answer.json['status']).toBe('approved');
    expect(answer.json['approvers']).toEqual(['alice']);
    const message = await decided;
    expect(message.id).toBe(`decided-${request.requestId}`);
    expect(message.body).toEqual({ requestId: request.requestId, outcome: 'approved', approvers: ['alice'] });

    await expect.poll(async () => (await evidenceOf(request.requestId)).length, { timeout: 5000 }).toBe(2);
    const [requested, final] = await evidenceOf(request.requestId);
    expect(final!.kind).toBe('approval_decided');
    expect(final!.session).toEqual({
      id: `approval-${request.requestId}`,
      seq: 1,
      prev: recordHash(requested!),
    });
    expect(final!.actor).toMatchObject({ sub: 'alice', groups: ['approvers'], issuer: issuer.issuer });
    expect(final!.target).toEqual(request.target);
    expect(final!.details).toMatchObject({
      requestId: request.requestId,
      rule: 'writes-need-approval',
      policyVersion: 'policy-v1',
      fingerprint: 'a1b2c3d4',
      normalized: 'UPDATE customers SET email = $1 WHERE id = $2',
      outcome: 'approved',
      approvers: ['alice'],
      votes: [{ approver: 'alice', issuer: issuer.issuer, vote: 'approve', comment: 'ticket OPS-7' }],
    });

    const shown = await call('GET', `/v1/requests/${request.requestId}`, tokens.alice);
    const view = shown.json as unknown as RequestView;
    expect(view.status).toBe('approved');
    expect(view.votes).toEqual([
      expect.objectContaining({ approver: 'alice', vote: 'approve', comment: 'ticket OPS-7' }),
    ]);
    await expect
      .poll(
        async () =>
          (
            await checkDb
              .selectFrom('approval_requests')
              .select('published_at')
              .where('request_id', '=', request.requestId)
              .executeTakeFirstOrThrow()
          ).published_at,
      )
      .not.toBeNull();
  });

  it('approval - the requester cannot approve their own request, even as an approver', async () => {
    const request = await storedRequest();
    const answer = await vote('requester', request.requestId, 'approve');
    expect(answer.status).toBe(403);
    expect(answer.json['message']).toBe('approvers never approve their own requests');
    expect((await vote('requester', request.requestId, 'reject')).status).toBe(403);
    const view = (await call('GET', `/v1/requests/${request.requestId}`, tokens.requester)).json;
    expect(view['status']).toBe('pending');
    expect(view['votes']).toEqual([]);
  });

  it('approval - a non-approver gets 403 on votes and cannot see the request', async () => {
    const request = await storedRequest();
    const answer = await vote('mallory', request.requestId, 'approve');
    expect(answer.status).toBe(403);
    expect(answer.json['message']).toBe('only members of the approver groups of this request may decide it');
    expect((await call('GET', `/v1/requests/${request.requestId}`, tokens.mallory)).status).toBe(404);
    const listed = (await call('GET', '/v1/requests', tokens.mallory)).json['requests'] as RequestView[];
    expect(listed.map((view) => view.requestId)).not.toContain(request.requestId);
  });

  it('approval - lists requests to their approvers and to their requester, by status', async () => {
    const request = await storedRequest();
    for (const who of ['alice', 'requester'] as const) {
      const listed = (await call('GET', '/v1/requests', tokens[who])).json['requests'] as RequestView[];
      expect(listed.map((view) => view.requestId)).toContain(request.requestId);
    }
    const approved = (await call('GET', '/v1/requests?status=approved', tokens.alice)).json[
      'requests'
    ] as RequestView[];
    expect(approved.map((view) => view.requestId)).not.toContain(request.requestId);
    expect((await call('GET', '/v1/requests?status=maybe', tokens.alice)).status).toBe(400);
    expect((await call('GET', '/v1/requests/no-such-request', tokens.alice)).status).toBe(404);
  });

  it('approval - a reject decides at once, even when the quorum is two', async () => {
    const request = await storedRequest({ quorum: 2 });
    const decided = nextDecided(request.requestId);
    const answer = await vote(
      'bob',
      request.requestId,
      'reject',
      JSON.stringify({ comment: 'not during the freeze' }),
    );
    expect(answer.status).toBe(200);
    expect(answer.json['status']).toBe('rejected');
    expect((await decided).body).toEqual({
      requestId: request.requestId,
      outcome: 'rejected',
      approvers: ['bob'],
    });
    const late = await vote('alice', request.requestId, 'approve');
    expect(late.status).toBe(409);
    expect(late.json['message']).toBe('the request is already rejected');
  });

  it('approval - quorum two needs two different approvers', async () => {
    const request = await storedRequest({ quorum: 2 });
    const decided = nextDecided(request.requestId);
    const first = await vote('alice', request.requestId, 'approve');
    expect(first.status).toBe(200);
    expect(first.json['status']).toBe('pending');
    const again = await vote('alice', request.requestId, 'approve');
    expect(again.status).toBe(409);
    expect(again.json['message']).toBe('each approver votes once on a request');
    const second = await vote('bob', request.requestId, 'approve');
    expect(second.json['status']).toBe('approved');
    expect((await decided).body).toEqual({
      requestId: request.requestId,
      outcome: 'approved',
      approvers: ['alice', 'bob'],
    });
  });

  it('approval - a request still pending at its hold timeout expires, is announced and takes no votes', async () => {
    const request = await storedRequest({ holdTimeoutSeconds: 1 });
    const decided = nextDecided(request.requestId);
    expect((await decided).body).toEqual({ requestId: request.requestId, outcome: 'expired', approvers: [] });
    await expect.poll(async () => (await evidenceOf(request.requestId)).length, { timeout: 5000 }).toBe(2);
    const [, final] = await evidenceOf(request.requestId);
    expect(final!.actor).toBeNull();
    expect(final!.details).toMatchObject({ outcome: 'expired', votes: [] });
    const late = await vote('alice', request.requestId, 'approve');
    expect(late.status).toBe(409);
    expect(late.json['message']).toBe('the request is already expired');
  });

  it('approval - a decision whose announcement was not acknowledged is re-published by the sweep', async () => {
    const request = await storedRequest();
    expect((await vote('alice', request.requestId, 'approve')).status).toBe(200);
    await expect
      .poll(
        async () =>
          (
            await checkDb
              .selectFrom('approval_requests')
              .select('published_at')
              .where('request_id', '=', request.requestId)
              .executeTakeFirstOrThrow()
          ).published_at,
      )
      .not.toBeNull();
    // As if JetStream had not acknowledged: the outbox column is empty again.
    const decided = nextDecided(request.requestId);
    await sql`update approval_requests set published_at = null where request_id = ${request.requestId}`.execute(
      checkDb,
    );
    const message = await decided;
    expect(message.id).toBe(`decided-${request.requestId}`);
    expect(message.body.outcome).toBe('approved');
    // The evidence record is re-sent with its id, so the stream keeps one copy.
    expect((await evidenceOf(request.requestId)).map((record) => record.kind)).toEqual([
      'approval_requested',
      'approval_decided',
    ]);
  });

  it('approval - an invalid message on the stream is terminated, and later requests are still stored', async () => {
    const js = jetstream(testBus);
    await js.publish(
      subjects.approvalRequested,
      encodeMessage({
        type: MessageType.ApprovalRequested,
        id: 'broken-1',
        time: new Date().toISOString(),
        body: { requestId: 'x' },
      } as never),
      { msgID: 'broken-1' },
    );
    await js.publish(subjects.approvalRequested, new TextEncoder().encode('{not json'), {
      msgID: 'broken-2',
    });
    const request = await storedRequest();
    await expect.poll(consumerIdle, { timeout: 10_000 }).toBe(true);
    const jsm = await jetstreamManager(testBus);
    const info = await jsm.consumers.info(streamNameFor(nats.prefix, 'APPROVALS'), 'approval');
    expect(info.num_redelivered).toBe(0);
    expect(
      logLines.filter((line) => line.includes('invalid message terminated')).length,
    ).toBeGreaterThanOrEqual(2);
    expect((await call('GET', `/v1/requests/${request.requestId}`, tokens.alice)).status).toBe(200);
  });

  it('approval - bad JSON or unknown fields in a vote body answer 400 with a JSON error', async () => {
    const request = await storedRequest();
    const malformed = await vote('alice', request.requestId, 'approve', '{"comment": ');
    expect(malformed.status).toBe(400);
    expect(malformed.json['statusCode']).toBe(400);
    expect(malformed.json['message']).toContain('not valid JSON');
    const unknown = await vote(
      'alice',
      request.requestId,
      'approve',
      JSON.stringify({ comment: 'ok', approve: true }),
    );
    expect(unknown.status).toBe(400);
    expect(unknown.json['problems']).toEqual(['"approve": unknown field']);
    const long = await vote(
      'alice',
      request.requestId,
      'approve',
      JSON.stringify({ comment: 'x'.repeat(1001) }),
    );
    expect(long.status).toBe(400);
    expect((await call('GET', `/v1/requests/${request.requestId}`, tokens.alice)).json['status']).toBe(
      'pending',
    );
  });

  it('approval - every /v1/requests route needs a valid bearer token; the OpenAPI document is public', async () => {
    const request = await storedRequest();
    const missing = await call('GET', '/v1/requests', undefined);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="gatehouse"');
    const forged = await call('POST', `/v1/requests/${request.requestId}/approve`, 'not.a.token');
    expect(forged.status).toBe(401);
    expect(forged.headers.get('www-authenticate')).toBe('Bearer realm="gatehouse", error="invalid_token"');
    expect((await call('GET', `/v1/requests/${request.requestId}`, undefined)).status).toBe(401);
    const document = await fetch(`${base}/v1/openapi.yaml`);
    expect(document.status).toBe(200);
    expect(document.headers.get('content-type')).toContain('application/yaml');
    expect(await document.text()).toContain('/v1/requests/{id}/approve:');
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  });
});
