// Medium tier: real NATS with JetStream (testcontainers where Docker answers, else NATS_URL or
// 127.0.0.1:4222), with this run's own subject and stream prefix. Real: the bus, the EVIDENCE and
// APPROVALS streams and their acks, an authz responder serving the decide subject through
// libs/nats' serveRequests, and an approver publishing decided messages to JetStream the way the
// approval service does. The responder's policy is a small table below, not the authz service.
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MessageType,
  decodeMessage,
  envelope,
  subjectsFor,
  type Decision,
  type EvidenceRecord,
  type Subjects,
} from '@gatehouse/contracts';
import {
  DeadlineExceededError,
  DependencyUnavailableError,
  InvalidMessageError,
  PolicyDeniedError,
} from '@gatehouse/errors';
import { createLogger } from '@gatehouse/logging';
import {
  connectBus,
  ensureStreams,
  jetstream,
  jetstreamManager,
  publishDurable,
  serveRequests,
  streamNameFor,
  type JetStreamClient,
  type JetStreamManager,
  type NatsConnection,
} from '@gatehouse/nats';
import { startTestNats, uniquePrefix, type TestNats } from '@gatehouse/testing';
import type { Subscription } from '@nats-io/nats-core';
import { DecisionCache } from './decision-cache.ts';
import { EvidencePublisher } from './evidence-publisher.ts';
import { OperationGate, type GateSession, type OperationGateOptions } from './operation-gate.ts';

const logger = createLogger({
  service: 'edge-gate-test',
  destination: new Writable({ write: (_chunk, _encoding, done) => done() }),
});

const session: GateSession = {
  id: 'session-1',
  actor: { sub: 'ci-bot', groups: ['pipelines'], issuer: 'http://issuer', tokenId: 'jti-1' },
  target: { name: 'demo', kind: 'postgres' },
  tls: true,
  clientAddress: '10.0.0.7',
};

/** The responder's policy: effect by the operation text's first word. */
function decisionFor(text: string): Decision {
  const word = text.split(' ')[0]!.toLowerCase();
  const effect = word === 'drop' ? 'deny' : word === 'update' ? 'review' : 'allow';
  return {
    effect,
    rule: `rule-${word}`,
    reason: effect === 'deny' ? 'DROP is denied' : `${word} is ${effect}ed`,
    policyVersion: 'sha256:v1',
    cacheTtlMs: 60_000,
    ...(effect === 'review'
      ? { approval: { groups: ['approvers'], quorum: 1, holdTimeoutSeconds: 60 } }
      : {}),
    classification: {
      riskClass: effect === 'allow' ? 'read' : effect === 'deny' ? 'destructive' : 'write',
      kinds: [word],
      riskFlags: [],
      relationsRead: [],
      relationsWritten: [],
      fingerprint: `fp-${word}`,
      normalized: text,
      statementCount: 1,
    },
  };
}

function record(kind: EvidenceRecord['kind'], seq: number): EvidenceRecord {
  return {
    id: randomUUID(),
    kind,
    time: new Date().toISOString(),
    session: { id: session.id, seq, prev: null },
    actor: session.actor,
    target: session.target,
    details: { normalized: 'SELECT $1' },
  };
}

describe('OperationGate (real NATS and JetStream)', () => {
  let nats: TestNats;
  let bus: NatsConnection;
  let jetStream: JetStreamClient;
  let jsm: JetStreamManager;
  let subjects: Subjects;
  let responder: Subscription;
  /** Decide requests the responder answered: operation kind, text, and context. */
  const asked: { kind: string; text: string; tls: boolean; clientAddress: string; groups: string[] }[] = [];

  function gate(options: Partial<OperationGateOptions> = {}): OperationGate {
    return new OperationGate({
      bus,
      jetStream,
      prefix: nats.prefix,
      language: 'sql',
      decideTimeoutMs: 2000,
      evidenceTimeoutMs: 2000,
      cache: new DecisionCache(),
      ...options,
    });
  }

  /** Answers every approval request of the run with `outcome`, published to JetStream like the approval service. */
  function approver(outcome: 'approved' | 'rejected', approvers: string[]): Subscription {
    return bus.subscribe(subjects.approvalRequested, {
      callback: (error, message) => {
        if (error) return;
        const request = decodeMessage(MessageType.ApprovalRequested, message.data);
        void publishDurable(
          jetStream,
          subjects.approvalDecided(request.body.requestId),
          envelope(
            MessageType.ApprovalDecided,
            { requestId: request.body.requestId, outcome, approvers },
            { id: `decided-${request.body.requestId}` },
          ),
        );
      },
    });
  }

  async function lastStored(
    stream: 'EVIDENCE' | 'APPROVALS',
    subject: string,
  ): Promise<Uint8Array | undefined> {
    const stored = await jsm.streams
      .getMessage(streamNameFor(nats.prefix, stream), { last_by_subj: subject })
      .catch(() => null);
    return stored?.data;
  }

  beforeAll(async () => {
    nats = await startTestNats();
    bus = await connectBus({ url: nats.url, name: 'edge-gate-medium-test', logger });
    jetStream = jetstream(bus);
    jsm = await jetstreamManager(bus);
    await ensureStreams(jsm, nats.prefix, ['EVIDENCE', 'APPROVALS']);
    subjects = subjectsFor(nats.prefix);
    responder = serveRequests(bus, {
      subject: subjects.authzDecide,
      queue: 'authz',
      requestType: MessageType.AuthzDecideRequest,
      replyType: MessageType.AuthzDecideReply,
      logger,
      async handle(request) {
        const { operation, context, actor } = request.body;
        asked.push({ ...operation, ...context, groups: actor.groups });
        if (operation.text.startsWith('SLOW')) await new Promise((resolve) => setTimeout(resolve, 600));
        return decisionFor(operation.text);
      },
      onError: () => undefined,
    });
  });

  afterAll(async () => {
    responder?.unsubscribe();
    for (const name of ['EVIDENCE', 'APPROVALS'] as const) {
      await jsm?.streams.delete(streamNameFor(nats.prefix, name)).catch(() => undefined);
    }
    await bus?.drain();
    await nats?.stop();
  });

  it('operation-gate - asks authz once per text, groups and target; a cached allow skips the round trip', async () => {
    const sqlGate = gate();
    const before = asked.length;
    const first = await sqlGate.decide(session, 'SELECT name FROM customers');
    expect(first).toEqual({ decision: decisionFor('SELECT name FROM customers'), cached: false });
    expect(asked.slice(before)).toEqual([
      {
        kind: 'sql',
        text: 'SELECT name FROM customers',
        tls: true,
        clientAddress: '10.0.0.7',
        groups: ['pipelines'],
      },
    ]);
    const again = await sqlGate.decide(session, 'SELECT name FROM customers');
    expect(again.cached).toBe(true);
    expect(again.decision).toEqual(first.decision);
    expect(sqlGate.cachedDecision(OperationGate.scope(session), 'SELECT name FROM customers')).toEqual(
      first.decision,
    );
    expect(asked.length).toBe(before + 1);

    const otherGroups = { ...session, actor: { ...session.actor, groups: ['analysts'] } };
    const otherTarget = { ...session, target: { name: 'billing', kind: 'postgres' as const } };
    expect((await sqlGate.decide(otherGroups, 'SELECT name FROM customers')).cached).toBe(false);
    expect((await sqlGate.decide(otherTarget, 'SELECT name FROM customers')).cached).toBe(false);
    expect(sqlGate.cachedDecision(OperationGate.scope(session), 'SELECT name FROM orders')).toBeUndefined();
    expect(asked.length).toBe(before + 3);
  });

  it('operation-gate - a shell gate asks about shell commands and caches deny decisions too', async () => {
    const shellGate = gate({ language: 'shell' });
    const sshSession = { ...session, target: { name: 'demo-ssh', kind: 'ssh' as const } };
    const before = asked.length;
    const denied = await shellGate.decide(sshSession, 'drop everything');
    expect(denied.decision.effect).toBe('deny');
    expect((await shellGate.decide(sshSession, 'drop everything')).cached).toBe(true);
    expect(asked.slice(before).map(({ kind, text }) => ({ kind, text }))).toEqual([
      { kind: 'shell', text: 'drop everything' },
    ]);
  });

  it('operation-gate - texts with one template share a decision; review decisions always ask again', async () => {
    const templated = gate({ template: (text) => text.replace(/\d+/g, '?') });
    const before = asked.length;
    await templated.decide(session, 'SELECT * FROM t WHERE id = 1');
    const shared = await templated.decide(session, 'SELECT * FROM t WHERE id = 2');
    expect(shared.cached).toBe(true);
    expect(shared.decision.classification.normalized).toBe('SELECT * FROM t WHERE id = 1');
    expect((await templated.decide(session, 'UPDATE t SET a = 1 WHERE id = 3')).cached).toBe(false);
    expect((await templated.decide(session, 'UPDATE t SET a = 1 WHERE id = 3')).cached).toBe(false);
    expect(asked.length).toBe(before + 3);
  });

  it('operation-gate - a missed deadline is DeadlineExceededError; nobody serving is DependencyUnavailableError', async () => {
    await expect(gate({ decideTimeoutMs: 100 }).decide(session, 'SLOW SELECT 1')).rejects.toThrow(
      DeadlineExceededError,
    );
    const unserved = gate({ prefix: uniquePrefix() });
    await expect(unserved.decide(session, 'SELECT 1')).rejects.toThrow(DependencyUnavailableError);
    await expect(unserved.decide(session, 'SELECT 1')).rejects.toThrow(/authz cannot answer/);
  });

  it('operation-gate - record resolves once JetStream stored the records as one batch; a retry is stored once', async () => {
    const records = [record('decision', 0), record('statement', 1)];
    await gate().record(records);
    const data = await lastStored('EVIDENCE', subjects.evidence);
    expect(decodeMessage(MessageType.EvidenceBatch, data!).body.records).toEqual(records);
    const before = (await jsm.streams.info(streamNameFor(nats.prefix, 'EVIDENCE'))).state.messages;
    await gate().record(records);
    expect((await jsm.streams.info(streamNameFor(nats.prefix, 'EVIDENCE'))).state.messages).toBe(before);
  });

  it('operation-gate - record and recordThen fail with DependencyUnavailableError when no stream acknowledges', async () => {
    const unstored = gate({ prefix: uniquePrefix(), evidenceTimeoutMs: 500 });
    await expect(unstored.record([record('decision', 0)])).rejects.toThrow(DependencyUnavailableError);
    const error = await new Promise((resolve) => unstored.recordThen([record('decision', 0)], resolve));
    expect(error).toBeInstanceOf(DependencyUnavailableError);
    const none = await new Promise((resolve) => gate().recordThen([], resolve));
    expect(none).toBeUndefined();
  });

  it('operation-gate - recordThen through an EvidencePublisher group-commits the calls of one turn into one batch', async () => {
    const publisher = new EvidencePublisher(bus, { subject: subjects.evidence, timeoutMs: 5000 });
    try {
      const withSink = gate({ evidence: publisher });
      const stream = streamNameFor(nats.prefix, 'EVIDENCE');
      const before = (await jsm.streams.info(stream)).state.messages;
      const first = [record('session_opened', 0), record('decision', 1)];
      const second = [record('statement', 2)];
      const outcomes = await Promise.all(
        [first, second].map((records) => new Promise((resolve) => withSink.recordThen(records, resolve))),
      );
      expect(outcomes).toEqual([undefined, undefined]);
      expect((await jsm.streams.info(stream)).state.messages).toBe(before + 1);
      const data = await lastStored('EVIDENCE', subjects.evidence);
      expect(decodeMessage(MessageType.EvidenceBatch, data!).body.records).toEqual([...first, ...second]);
      await withSink.record([record('decision', 3)]);
      expect((await jsm.streams.info(stream)).state.messages).toBe(before + 2);
    } finally {
      publisher.close();
    }
  });

  it('operation-gate - a fast approval published right after the request is not missed', async () => {
    const approving = approver('approved', ['alice']);
    try {
      const decision = (await gate().decide(session, 'UPDATE t SET a = 1 WHERE id = 1')).decision;
      const requestId = randomUUID();
      expect(await gate().awaitApproval(session, decision, requestId)).toEqual({
        outcome: 'approved',
        approvers: ['alice'],
      });
      const stored = await lastStored('APPROVALS', subjects.approvalRequested);
      expect(decodeMessage(MessageType.ApprovalRequested, stored!).body).toEqual({
        requestId,
        session: { id: session.id },
        actor: session.actor,
        target: session.target,
        classification: decision.classification,
        approval: decision.approval,
        rule: decision.rule,
        policyVersion: decision.policyVersion,
      });
    } finally {
      approving.unsubscribe();
    }
  });

  it('operation-gate - a rejection ends the hold as rejected, with who rejected', async () => {
    const rejecting = approver('rejected', ['bob']);
    try {
      const decision = decisionFor('UPDATE t SET a = 2');
      expect(await gate().awaitApproval(session, decision, randomUUID())).toEqual({
        outcome: 'rejected',
        approvers: ['bob'],
      });
    } finally {
      rejecting.unsubscribe();
    }
  });

  it('operation-gate - nobody deciding within the hold timeout is expired', async () => {
    const decision = decisionFor('UPDATE t SET a = 5');
    const held = {
      ...decision,
      approval: { groups: ['approvers'] as [string], quorum: 1, holdTimeoutSeconds: 1 },
    };
    expect(await gate().awaitApproval(session, held, randomUUID())).toEqual({
      outcome: 'expired',
      approvers: [],
    });
  });

  it('operation-gate - a departed client ends the wait; an already departed one publishes no request', async () => {
    // The decision holds for 60 s, longer than the test's timeout: only the abort can end it in time.
    const decision = decisionFor('UPDATE t SET a = 3');
    const departed = new AbortController();
    setTimeout(() => departed.abort(), 200);
    expect(await gate().awaitApproval(session, decision, randomUUID(), departed.signal)).toEqual({
      outcome: 'expired',
      approvers: [],
    });
    const requestId = randomUUID();
    expect(await gate().awaitApproval(session, decision, requestId, AbortSignal.abort())).toEqual({
      outcome: 'expired',
      approvers: [],
    });
    const stored = await lastStored('APPROVALS', subjects.approvalRequested);
    expect(decodeMessage(MessageType.ApprovalRequested, stored!).body.requestId).not.toBe(requestId);
  });

  it('operation-gate - an invalid decided message refuses instead of running undecided', async () => {
    const garbling = bus.subscribe(subjects.approvalRequested, {
      callback: (error, message) => {
        if (error) return;
        const request = decodeMessage(MessageType.ApprovalRequested, message.data);
        bus.publish(subjects.approvalDecided(request.body.requestId), '{"type":"nonsense"}');
      },
    });
    try {
      await expect(
        gate().awaitApproval(session, decisionFor('UPDATE t SET a = 4'), randomUUID()),
      ).rejects.toThrow(InvalidMessageError);
    } finally {
      garbling.unsubscribe();
    }
  });

  it('operation-gate - a decision without an approval rule is rejected without asking', async () => {
    expect(await gate().awaitApproval(session, decisionFor('SELECT 1'), randomUUID())).toEqual({
      outcome: 'rejected',
      approvers: [],
    });
  });

  it('operation-gate - denials name the operation, the policy reason and the rule', () => {
    const decision = decisionFor('DROP TABLE customers');
    const sql = gate().denial(decision);
    expect(sql).toBeInstanceOf(PolicyDeniedError);
    expect(sql.message).toBe('Gatehouse policy denied this statement: DROP is denied');
    expect(sql.rule).toBe('rule-drop');
    expect(gate({ language: 'shell' }).denial(decision).message).toBe(
      'Gatehouse policy denied this command: DROP is denied',
    );
    expect(() => gate({ language: 'perl' as never })).toThrow(/unknown operation language "perl"/);
  });
});
