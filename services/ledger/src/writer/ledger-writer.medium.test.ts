// Medium tier: real PostgreSQL and real NATS JetStream; ledger replicas built as main.ts builds
// them; a real child process for the crash test. The dev OIDC issuer mints auditor tokens.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { subjectsFor, type EvidenceRecord } from '@gatehouse/contracts';
import { jetstream, jetstreamManager, streamNameFor } from '@gatehouse/nats';
import { LedgerClient, verifyLedger } from '@gatehouse/ledger-verify';
import { readFile } from 'node:fs/promises';
import {
  evidenceRecords,
  publishBatch,
  publishRecords,
  startLedgerHarness,
  startLedgerReplica,
  waitFor,
  type LedgerHarness,
  type LedgerReplica,
} from '../ledger-harness.fixture.ts';
import type { CommittedBatch } from './ledger-writer.ts';

let harness: LedgerHarness;
let admin: pg.Client;

beforeAll(async () => {
  harness = await startLedgerHarness('ledger_writer');
  admin = new pg.Client({ connectionString: harness.databaseUrl });
  await admin.connect();
});

afterAll(async () => {
  await admin.end();
  await harness.stop();
});

async function count(sql: string): Promise<number> {
  const { rows } = await admin.query<{ n: string }>(sql);
  return Number(rows[0]?.n ?? 0);
}

const entries = () => count('select count(*) as n from ledger_entries');
const checkpointSize = () => count('select coalesce(max(size), -1) as n from ledger_checkpoints');

/** Verifies the whole ledger through a replica's API, as an auditor would. */
async function auditorVerify(replica: LedgerReplica) {
  const token = await harness.issuer.mintToken({ sub: 'auditor', groups: ['auditors'] });
  const verifierKey = (await readFile(`${harness.keyFile}.pub`, 'utf8')).trim();
  return verifyLedger({ client: new LedgerClient({ baseUrl: replica.url, token }), verifierKey });
}

async function streamMessages(): Promise<number> {
  const jsm = await jetstreamManager(harness.bus);
  return (await jsm.streams.info(streamNameFor(harness.nats.prefix, 'LEDGER'))).state.messages;
}

/** Record ids stored at index `from` and later, in index order, with their indices. */
async function storedFrom(from: number): Promise<{ indices: number[]; ids: string[] }> {
  const { rows } = await admin.query<{ idx: string; record_id: string }>(
    'select idx, record_id from ledger_entries where idx >= $1 order by idx',
    [from],
  );
  return { indices: rows.map((row) => Number(row.idx)), ids: rows.map((row) => row.record_id) };
}

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

async function unacked(): Promise<number> {
  const info = await (
    await jetstreamManager(harness.bus)
  ).consumers.info(streamNameFor(harness.nats.prefix, 'LEDGER'), 'ledger-writer');
  return info.num_pending + info.num_ack_pending;
}

describe('ledger writer (real NATS and PostgreSQL)', () => {
  it('ledger - appends published records once, acks them after commit, signs a checkpoint of them, and verifies', async () => {
    const replica = await startLedgerReplica(harness);
    await waitFor('leadership', () => replica.writer.isLeader);
    const records = evidenceRecords(10, 30);
    await publishRecords(harness, records);
    await waitFor('300 entries', async () => (await entries()) === 300);
    await waitFor('checkpoint of size 300', async () => (await checkpointSize()) === 300);
    await waitFor('all acked', async () => (await unacked()) === 0);
    // The same records again under new message ids, as after JetStream's duplicate window: the
    // stream takes the five batches, the ledger stores nothing twice.
    const before = await streamMessages();
    await publishRecords(harness, records.slice(0, 50), { messageId: (batch) => `${batch[0]?.id}-again` });
    expect((await streamMessages()) - before).toBe(5);
    await waitFor('redelivery acked', async () => (await unacked()) === 0);
    expect(await entries()).toBe(300);
    const { report } = await auditorVerify(replica);
    expect(report).toMatchObject({
      ok: true,
      size: 300,
      entries: 300,
      sessions: { sessions: 10, closed: 10 },
    });
    await replica.stop();
  });

  it('ledger - two replicas: only one writes; the other takes over when the writer lock connection dies', async () => {
    const base = await entries();
    const first = await startLedgerReplica(harness, { LEDGER_LEADER_RETRY: '20s' });
    await waitFor('first replica leads', () => first.writer.isLeader);
    const second = await startLedgerReplica(harness, { LEDGER_LEADER_RETRY: '150ms' });
    const writers = { first: 0, second: 0 };
    first.writer.observe({ committed: () => void (writers.first += 1) });
    second.writer.observe({ committed: () => void (writers.second += 1) });
    await publishRecords(harness, evidenceRecords(5, 40));
    await waitFor('first batch stored', async () => (await entries()) === base + 200);
    expect(second.writer.isLeader).toBe(false);
    expect(writers.second).toBe(0);
    expect(writers.first).toBeGreaterThan(0);

    await admin.query('select pg_terminate_backend($1)', [first.writer.lockBackendPid]);
    await waitFor('second replica takes over', () => second.writer.isLeader);
    expect(first.writer.isLeader).toBe(false);
    await publishRecords(harness, evidenceRecords(5, 40));
    await waitFor('second batch stored', async () => (await entries()) === base + 400);
    expect(writers.second).toBeGreaterThan(0);
    await waitFor('checkpoint after takeover', async () => (await checkpointSize()) === base + 400);
    const { report } = await auditorVerify(first);
    expect(report).toMatchObject({ ok: true, size: base + 400 });
    await first.stop();
    await second.stop();
  });

  it('ledger - a failing transaction holds later records back and is retried whole, keeping stream order', async () => {
    const base = await entries();
    const replica = await startLedgerReplica(harness);
    await waitFor('leadership', () => replica.writer.isLeader);
    await admin.query(`
      create table if not exists fail_next (id int);
      create or replace function fail_head() returns trigger language plpgsql as $$
      begin
        if exists (select from fail_next) then raise exception 'injected failure'; end if;
        return new;
      end $$;
      drop trigger if exists fail_head on ledger_heads;
      create trigger fail_head before insert on ledger_heads for each row execute function fail_head();
      grant select on fail_next to gatehouse_ledger;
      insert into fail_next values (1);`);
    const retries = async () =>
      (await replica.runtime.metrics.requests.get()).values.find(
        (value) => value.labels.operation === 'append' && value.labels.outcome === 'retry',
      )?.value ?? 0;
    const records = evidenceRecords(3, 10);
    await publishRecords(harness, records, { perMessage: 3 });
    await waitFor('a few retries', async () => (await retries()) >= 2);
    expect(await entries()).toBe(base);
    // Nothing is acked while its transaction fails.
    expect(await unacked()).toBe(10);
    await admin.query('delete from fail_next');
    await waitFor('records stored after the failure cleared', async () => (await entries()) === base + 30);
    const { rows } = await admin.query<{ record_id: string }>(
      'select record_id from ledger_entries where idx >= $1 order by idx',
      [base],
    );
    expect(rows.map((row) => row.record_id)).toEqual(records.map((record) => record.id));
    await admin.query('drop trigger fail_head on ledger_heads');
    await replica.stop();
  });

  it('ledger - a message of many records commits whole in one transaction, transactions take whole messages, and all are acked', async () => {
    const base = await entries();
    const records = evidenceRecords(4, 14);
    // Queued before the writer starts, so it can group them: 40 alone (larger than a batch of
    // 10), then 6 and 6 cannot share one, then 6 + 3 + 1 can.
    const sizes = [40, 6, 6, 3, 1];
    const sent: { id: string; records: EvidenceRecord[] }[] = [];
    for (const [i, size] of sizes.entries()) {
      const start = sizes.slice(0, i).reduce((sum, n) => sum + n, 0);
      const batch = records.slice(start, start + size);
      sent.push({ id: `whole-${i}-${batch[0]?.id}`, records: batch });
      await publishBatch(harness, batch, `whole-${i}-${batch[0]?.id}`);
    }
    const replica = await startLedgerReplica(harness, { LEDGER_BATCH_SIZE: '10' });
    const committed: CommittedBatch[] = [];
    replica.writer.observe({ committed: (batch) => void committed.push(batch) });
    await waitFor('56 entries', async () => (await entries()) === base + 56);
    await waitFor('all acked', async () => (await unacked()) === 0);
    const transactions = committed.map(({ result, messages }) => ({
      appended: result.appended,
      ids: messages.map(({ message }) => message.id),
      records: messages.reduce((sum, { message }) => sum + message.body.records.length, 0),
    }));
    // Every message in exactly one transaction, in stream order, with all of its records.
    expect(transactions.flatMap((transaction) => transaction.ids)).toEqual(sent.map((message) => message.id));
    for (const transaction of transactions) expect(transaction.appended).toBe(transaction.records);
    expect(transactions[0]).toEqual({ appended: 40, ids: [sent[0]?.id], records: 40 });
    for (const transaction of transactions.slice(1)) expect(transaction.records).toBeLessThanOrEqual(10);
    expect(await storedFrom(base)).toEqual({
      indices: range(base, 56),
      ids: records.map((record) => record.id),
    });
    await replica.stop();
  });

  it('ledger - a batch that arrives again with some of its records stored appends only the missing ones, in its order, without gaps', async () => {
    const base = await entries();
    const replica = await startLedgerReplica(harness);
    await waitFor('leadership', () => replica.writer.isLeader);
    const records = evidenceRecords(2, 8);
    const at = (...positions: number[]) => positions.map((position) => records[position] as EvidenceRecord);
    // Records 0-5 and 7 arrive first in other batches (two sessions interleaved: 7 is the
    // second session's fourth record, so every session chain stays in order).
    await publishBatch(harness, at(0, 1, 2, 3, 4, 5), `partial-a-${records[0]?.id}`);
    await publishBatch(harness, at(7), `partial-b-${records[0]?.id}`);
    await waitFor('7 entries', async () => (await entries()) === base + 7);
    // The whole batch again under a new message id, as a redelivery past the duplicate window.
    await publishBatch(harness, records, `partial-again-${records[0]?.id}`);
    await waitFor('all acked', async () => (await unacked()) === 0);
    expect(await storedFrom(base)).toEqual({
      indices: range(base, 16),
      ids: at(0, 1, 2, 3, 4, 5, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15).map((record) => record.id),
    });
    await waitFor('checkpoint covers all', async () => (await checkpointSize()) === base + 16);
    const { report } = await auditorVerify(replica);
    expect(report).toMatchObject({ ok: true, size: base + 16, entries: base + 16 });
    await replica.stop();
  });

  it('ledger - an invalid message is terminated and later messages are appended', async () => {
    const base = await entries();
    const records = evidenceRecords(2, 5);
    const js = jetstream(harness.bus);
    const subject = subjectsFor(harness.nats.prefix).ledgerAppend;
    // Not JSON; a batch without records; a batch whose second record has an unknown kind (the
    // message is refused whole, so its valid first record is not stored either).
    await js.publish(subject, new TextEncoder().encode('{"type":'), { msgID: `garbage-${records[0]?.id}` });
    await publishBatch(harness, [], `empty-${records[0]?.id}`);
    const bogus = { ...records[1], kind: 'bogus' } as unknown as EvidenceRecord;
    await publishBatch(harness, [records[0] as EvidenceRecord, bogus], `bogus-${records[0]?.id}`);
    await publishBatch(harness, records, `valid-${records[0]?.id}`);
    const replica = await startLedgerReplica(harness);
    await waitFor('the valid batch stored', async () => (await entries()) === base + 10);
    await waitFor('all settled', async () => (await unacked()) === 0);
    expect(await storedFrom(base)).toEqual({
      indices: range(base, 10),
      ids: records.map((record) => record.id),
    });
    await replica.stop();
  });

  it('ledger - a writer process killed mid-stream loses nothing and stores nothing twice after restart', async () => {
    const base = await entries();
    const env = { ...process.env, ...harness.env, LEDGER_BATCH_SIZE: '50' };
    const start = () =>
      spawn(process.execPath, ['--import', 'tsx', 'services/ledger/src/main.ts'], {
        env,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
    const child = start();
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => {
      if (code !== null) console.error(`ledger child exited with ${code}: ${stderr}`);
    });
    // Two 20-record messages per 50-record transaction: a kill can fall between them.
    const records = evidenceRecords(20, 100);
    const publishing = publishRecords(harness, records, { perMessage: 20 });
    await waitFor('the child writes', async () => (await entries()) > base + 100, 60_000);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    await publishing;
    const atCrash = await entries();
    expect(atCrash).toBeLessThan(base + 2000);
    const restarted = await startLedgerReplica(harness);
    await waitFor('all 2000 stored', async () => (await entries()) === base + 2000, 60_000);
    await waitFor('checkpoint covers all', async () => (await checkpointSize()) === base + 2000);
    const { rows } = await admin.query<{ n: string; ids: string; max: string }>(
      'select count(*) as n, count(distinct record_id) as ids, max(idx) as max from ledger_entries',
    );
    expect(rows[0]).toEqual({ n: String(base + 2000), ids: String(base + 2000), max: String(base + 1999) });
    const { report } = await auditorVerify(restarted);
    expect(report).toMatchObject({ ok: true, size: base + 2000 });
    await restarted.stop();
  }, 120_000);
});
