// Medium tier: real NATS (with JetStream for the KV source) at NATS_URL / 127.0.0.1:4222 or in
// testcontainers, a real policy file on disk, the real SQL and shell classifiers, and the whole
// AuthzModule booted in-process through startHttpService (port 0). Every group of tests uses its
// own subject prefix, so queue groups and buckets never mix.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import { Kvm, type KV } from '@nats-io/kv';
import type { Subscription } from '@nats-io/nats-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@gatehouse/config';
import {
  MessageType,
  decodeMessage,
  encodeMessage,
  envelope,
  subjectsFor,
  type MessageOf,
} from '@gatehouse/contracts';
import { createLogger } from '@gatehouse/logging';
import { connectBus, requestMessage, type NatsConnection } from '@gatehouse/nats';
import { demoPolicyPath, loadPolicy } from '@gatehouse/policy';
import { ServiceMetrics, startHttpService } from '@gatehouse/service-host';
import { createSqlClassifier, type SqlClassifier } from '@gatehouse/sql-risk';
import { startTestNats, uniquePrefix, type TestNats } from '@gatehouse/testing';
import { authzConfigSpec } from './authz-config.ts';
import { AuthzModule } from './authz.module.ts';
import { decideRequest } from './decision/decision-request.fixture.ts';

const demoText = readFileSync(demoPolicyPath, 'utf8');
const demoVersion = loadPolicy(demoText).version;
const closedText =
  'version: 1\nname: closed\nrules:\n  - { id: nobody, effect: deny, match: { groups: [pipelines] } }\n';
const closedVersion = loadPolicy(closedText).version;
const invalidText = 'version: 1\nname: broken\nrules:\n  - { id: x, effect: maybe, match: {} }\n';

let nats: TestNats;
let client: NatsConnection;
let sqlClassifier: SqlClassifier;
const logLines: string[] = [];

/** One authz instance: its own bus connection, metrics and Nest application. */
interface Instance {
  app: INestApplication;
  metrics: ServiceMetrics;
}

async function startAuthz(prefix: string, env: Record<string, string>): Promise<Instance> {
  const config = loadConfig(authzConfigSpec, {
    env: { NATS_URL: nats.url, GATEHOUSE_PREFIX: prefix, AUTHZ_HTTP_PORT: '0', ...env },
  });
  const logger = createLogger({
    service: 'authz',
    destination: new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk));
        done();
      },
    }),
  });
  const bus = await connectBus({ url: nats.url, name: 'authz-medium', logger });
  const metrics = new ServiceMetrics('authz');
  try {
    const app = await startHttpService(AuthzModule.forRoot({ config, logger, bus, metrics, sqlClassifier }), {
      host: '127.0.0.1',
      port: 0,
      logger,
    });
    return { app, metrics };
  } catch (error) {
    await bus.close();
    throw error;
  }
}

async function decide(
  prefix: string,
  text: string,
  language: 'sql' | 'shell' = 'sql',
): Promise<MessageOf<'gatehouse.authz.v1.decide_reply'>> {
  return requestMessage(client, envelope(MessageType.AuthzDecideRequest, decideRequest(language, text)), {
    subject: subjectsFor(prefix).authzDecide,
    dependency: 'authz',
    replyType: MessageType.AuthzDecideReply,
    timeoutMs: 5000,
  });
}

/** Collects policy_changed announcements on a prefix. */
function watchPolicyChanges(prefix: string): { versions: string[]; subscription: Subscription } {
  const versions: string[] = [];
  const subscription = client.subscribe(subjectsFor(prefix).policyChanged, {
    callback: (error, message) => {
      if (!error) versions.push(decodeMessage(MessageType.PolicyChanged, message.data).body.policyVersion);
    },
  });
  return { versions, subscription };
}

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Decide requests an instance answered, from its own metrics. */
async function decidedCount(instance: Instance): Promise<number> {
  const counter = await instance.metrics.requests.get();
  return counter.values
    .filter((sample) => sample.labels.operation === 'decide')
    .reduce((sum, sample) => sum + sample.value, 0);
}

beforeAll(async () => {
  nats = await startTestNats();
  client = await connectBus({
    url: nats.url,
    name: 'authz-medium-client',
    logger: createLogger({ service: 'test', level: 'silent' }),
  });
  sqlClassifier = await createSqlClassifier();
});

afterAll(async () => {
  await client.drain();
  await nats.stop();
});

describe('authz over NATS with a policy file', () => {
  const prefix = uniquePrefix();
  let dir: string;
  let policyPath: string;
  let instance: Instance;
  let changes: { versions: string[]; subscription: Subscription };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'authz-medium-'));
    policyPath = join(dir, 'policy.yaml');
    writeFileSync(policyPath, demoText);
    changes = watchPolicyChanges(prefix);
    await client.flush();
    instance = await startAuthz(prefix, { POLICY_FILE: policyPath });
  });

  afterAll(async () => {
    changes.subscription.unsubscribe();
    await instance.app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('authz - announces its policy version when it starts', async () => {
    await until(() => changes.versions.includes(demoVersion), 'the start-up announcement');
  });

  it('authz - answers a decide request with a contract-valid decision of the demo policy', async () => {
    const reply = await decide(prefix, 'SELECT id, email FROM customers WHERE id = 7');
    expect(reply.type).toBe(MessageType.AuthzDecideReply);
    expect(reply.body).toMatchObject({
      effect: 'allow',
      rule: 'pipelines-read-demo',
      policyVersion: demoVersion,
      maskingProfile: 'default',
      cacheTtlMs: 60_000,
      classification: {
        riskClass: 'read',
        kinds: ['select'],
        relationsRead: ['customers'],
        statementCount: 1,
      },
    });
    const review = await decide(prefix, 'UPDATE orders SET status = $1 WHERE id = $2');
    expect(review.body.approval).toEqual({ groups: ['approvers'], quorum: 1, holdTimeoutSeconds: 600 });
  });

  it('authz - carries the trace context of the request into the reply', async () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const reply = await requestMessage(
      client,
      envelope(MessageType.AuthzDecideRequest, decideRequest('sql', 'SELECT 1'), { traceparent }),
      {
        subject: subjectsFor(prefix).authzDecide,
        dependency: 'authz',
        replyType: MessageType.AuthzDecideReply,
        timeoutMs: 5000,
      },
    );
    expect(reply.traceparent).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/u);
  });

  it('authz - denies a schema-invalid request with rule invalid-request and the problems', async () => {
    const bad = envelope(MessageType.AuthzDecideRequest, decideRequest('sql', 'SELECT 1')) as unknown as {
      body: { actor: Record<string, unknown> };
    };
    delete bad.body.actor['groups'];
    const answer = await client.request(
      subjectsFor(prefix).authzDecide,
      new TextEncoder().encode(JSON.stringify(bad)),
      {
        timeout: 5000,
      },
    );
    const reply = decodeMessage(MessageType.AuthzDecideReply, answer.data);
    expect(reply.body).toMatchObject({
      effect: 'deny',
      rule: 'invalid-request',
      policyVersion: demoVersion,
      cacheTtlMs: 0,
      classification: { riskClass: 'unknown', kinds: [], statementCount: 0 },
    });
    expect(reply.body.reason).toBe(
      "authz refused a malformed request: invalid gatehouse.authz.v1.decide_request message (/body/actor: must have required property 'groups')",
    );
  });

  it('authz - denies bytes that are not JSON with rule invalid-request', async () => {
    const answer = await client.request(
      subjectsFor(prefix).authzDecide,
      Uint8Array.from([0xff, 0xfe, 0x7b]),
      {
        timeout: 5000,
      },
    );
    const reply = decodeMessage(MessageType.AuthzDecideReply, answer.data);
    expect(reply.body.effect).toBe('deny');
    expect(reply.body.rule).toBe('invalid-request');
    expect(reply.body.reason).toBe(
      'authz refused a malformed request: a gatehouse.authz.v1.decide_request message is not valid UTF-8 JSON',
    );
  });

  it('authz - denies an unparsable statement as unclassifiable', async () => {
    const reply = await decide(prefix, 'SELEC * FORM customers');
    expect(reply.body).toMatchObject({ effect: 'deny', rule: 'unclassifiable', cacheTtlMs: 0 });
  });

  it('authz - a policy file change is announced with the new version and new decisions use it', async () => {
    writeFileSync(policyPath, closedText);
    await until(() => changes.versions.includes(closedVersion), 'the policy_changed announcement');
    const reply = await decide(prefix, 'SELECT 1');
    expect(reply.body).toMatchObject({ effect: 'deny', rule: 'nobody', policyVersion: closedVersion });
  });

  it('authz - an invalid policy edit keeps the version in force and announces nothing', async () => {
    const announced = changes.versions.length;
    writeFileSync(policyPath, invalidText);
    await until(() => logLines.some((line) => line.includes('new policy rejected')), 'the rejection');
    await pause(300);
    expect(changes.versions).toHaveLength(announced);
    const reply = await decide(prefix, 'SELECT 1');
    expect(reply.body.policyVersion).toBe(closedVersion);
    writeFileSync(policyPath, demoText);
    await until(() => changes.versions.at(-1) === demoVersion, 'the restored policy');
    expect((await decide(prefix, 'SELECT 1')).body.effect).toBe('allow');
  });
});

describe('authz over NATS with the policy in NATS KV', () => {
  const prefix = uniquePrefix();
  const bucket = `${prefix}_policy`;
  let kv: KV;
  let instance: Instance;
  let changes: { versions: string[]; subscription: Subscription };

  beforeAll(async () => {
    kv = await new Kvm(client).create(bucket);
    await kv.put('current', demoText);
    changes = watchPolicyChanges(prefix);
    await client.flush();
    instance = await startAuthz(prefix, { POLICY_SOURCE: 'kv' });
  });

  afterAll(async () => {
    changes.subscription.unsubscribe();
    await instance.app.close();
    await kv.destroy();
  });

  it('authz (kv) - decides with the policy stored under the key', async () => {
    const reply = await decide(prefix, 'SELECT * FROM customers');
    expect(reply.body).toMatchObject({
      effect: 'allow',
      rule: 'pipelines-read-demo',
      policyVersion: demoVersion,
    });
  });

  it('authz (kv) - a new document under the key is announced and new decisions use it', async () => {
    await kv.put('current', closedText);
    await until(() => changes.versions.includes(closedVersion), 'the policy_changed announcement');
    expect((await decide(prefix, 'SELECT 1')).body).toMatchObject({
      rule: 'nobody',
      policyVersion: closedVersion,
    });
  });

  it('authz (kv) - an invalid document or a deleted key keeps the version in force', async () => {
    const announced = changes.versions.length;
    const rejections = logLines.filter((line) => line.includes('new policy rejected')).length;
    await kv.put('current', invalidText);
    await until(
      () => logLines.filter((line) => line.includes('new policy rejected')).length > rejections,
      'the rejection',
    );
    await kv.delete('current');
    await until(() => logLines.some((line) => line.includes('policy key deleted')), 'the deletion warning');
    await pause(200);
    expect(changes.versions).toHaveLength(announced);
    expect((await decide(prefix, 'SELECT 1')).body.policyVersion).toBe(closedVersion);
    await kv.put('current', demoText);
    await until(() => changes.versions.at(-1) === demoVersion, 'the restored policy');
    expect((await decide(prefix, 'SELECT 1')).body.effect).toBe('allow');
  });

  it('authz (kv) - does not start when the key holds no policy', async () => {
    const empty = uniquePrefix();
    await expect(startAuthz(empty, { POLICY_SOURCE: 'kv' })).rejects.toThrow(/holds no policy/u);
    await new Kvm(client).open(`${empty}_policy`).then((created) => created.destroy());
  });
});

describe('authz instances in one queue group', () => {
  const prefix = uniquePrefix();
  let first: Instance;
  let second: Instance;

  beforeAll(async () => {
    [first, second] = await Promise.all([
      startAuthz(prefix, { POLICY_FILE: demoPolicyPath }),
      startAuthz(prefix, { POLICY_FILE: demoPolicyPath }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([first.app.close(), second.app.close()]);
  });

  it('authz - two instances share the requests and each request is answered exactly once', async () => {
    const requests = 400;
    const inbox = `_INBOX.${prefix}`;
    const replies = new Map<number, number>();
    const subscription = client.subscribe(`${inbox}.*`, {
      callback: (error, message) => {
        if (error) return;
        const index = Number(message.subject.slice(inbox.length + 1));
        replies.set(index, (replies.get(index) ?? 0) + 1);
      },
    });
    await client.flush();
    for (let i = 0; i < requests; i += 1) {
      const body = decideRequest('sql', `SELECT * FROM orders_${i % 20} WHERE id = ${i}`);
      client.publish(
        subjectsFor(prefix).authzDecide,
        encodeMessage(envelope(MessageType.AuthzDecideRequest, body)),
        {
          reply: `${inbox}.${i}`,
        },
      );
    }
    await until(() => replies.size === requests, 'every reply', 10_000);
    await pause(300); // a second answer to any request would arrive by now
    subscription.unsubscribe();
    expect([...replies.values()].every((count) => count === 1)).toBe(true);
    const answeredByFirst = await decidedCount(first);
    const answeredBySecond = await decidedCount(second);
    expect(answeredByFirst + answeredBySecond).toBe(requests);
    expect(answeredByFirst).toBeGreaterThan(0);
    expect(answeredBySecond).toBeGreaterThan(0);
  });
});
