// Integration: the ledger service runs as its own process on real NATS JetStream and real
// PostgreSQL; evidence arrives on the ledger stream. Then, as a PostgreSQL superuser who bypasses
// the append-only triggers (session_replication_role = replica), rows are modified, deleted,
// inserted and swapped; the offline verifier (through the auditor API, with the pinned key the
// ledger wrote at first start) catches each change and names the first bad index.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelope, MessageType, subjectsFor, type EvidenceRecord } from '@gatehouse/contracts';
import { canonicalBytes, SessionEvidence } from '@gatehouse/evidence';
import {
  LedgerClient,
  verifyLedger,
  type CheckpointView,
  type VerifierState,
} from '@gatehouse/ledger-verify';
import { createLogger } from '@gatehouse/logging';
import type { RunningStack } from '@gatehouse/local-stack';
import { hashLeaf } from '@gatehouse/merkle';
import { connectBus, jetstream, publishDurable, type NatsConnection } from '@gatehouse/nats';
import { startTestStack } from './stack-fixture.ts';

/** Runs the real `gatehouse` CLI (services/cli/bin/gatehouse.js) from the repository root. */
function gatehouse(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['services/cli/bin/gatehouse.js', ...args],
      { timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== 'number') reject(error);
        else resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr });
      },
    );
  });
}

const SESSIONS = 8;
const PER_SESSION = 25;
const SIZE = SESSIONS * PER_SESSION;

/** Records as the edges build them: opened, statements, closed with chain head and count. */
function sessionRecords(): EvidenceRecord[] {
  const builders = Array.from(
    { length: SESSIONS },
    (_, s) =>
      new SessionEvidence(
        `tamper-${s}-${Date.now().toString(36)}`,
        { name: 'demo', kind: 'postgres' },
        { sub: `user-${s}`, groups: ['pipelines'], issuer: 'http://issuer.test', tokenId: `token-${s}` },
      ),
  );
  const records: EvidenceRecord[] = [];
  for (let step = 0; step < PER_SESSION; step++) {
    for (const builder of builders) {
      records.push(
        step === 0
          ? builder.next('session_opened', { clientAddress: '127.0.0.1' })
          : step === PER_SESSION - 1
            ? builder.next('session_closed', {
                reason: 'client',
                chainHead: builder.head,
                recordCount: builder.count + 1,
              })
            : builder.next('statement', {
                normalized: `select * from customers where id = $1 -- ${step}`,
                fingerprint: `fp${step}`,
              }),
      );
    }
  }
  return records;
}

describe('ledger tamper evidence (service process, real NATS and PostgreSQL)', () => {
  let stack: RunningStack;
  let bus: NatsConnection;
  let superuser: pg.Client;
  let verifierKey: string;
  let client: LedgerClient;
  let saved: VerifierState;
  let work: string;
  let cliArgs: string[];

  /** Runs statements as a superuser with triggers disabled, in one committed transaction. */
  async function tamper(statements: string[], parameters: unknown[][] = []): Promise<void> {
    await superuser.query('begin');
    await superuser.query('set local session_replication_role = replica');
    for (const [i, statement] of statements.entries()) await superuser.query(statement, parameters[i] ?? []);
    await superuser.query('commit');
  }

  async function verify() {
    return (await verifyLedger({ client, verifierKey, saved })).report;
  }

  async function row(index: number): Promise<Record<string, unknown>> {
    const { rows } = await superuser.query('select * from ledger_entries where idx = $1', [index]);
    return rows[0] as Record<string, unknown>;
  }

  async function reinsert(saved: Record<string, unknown>): Promise<void> {
    const columns = Object.keys(saved);
    await tamper(
      [
        `insert into ledger_entries (${columns.join(', ')}) values (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
      ],
      [Object.values(saved)],
    );
  }

  /** Moves every row at or after `from` by `by` positions (through negative indices: idx is unique). */
  function shift(from: number, by: number): string[] {
    return [
      `update ledger_entries set idx = -idx - 1 where idx >= ${from}`,
      `update ledger_entries set idx = -idx - 1 + (${by}) where idx < 0`,
    ];
  }

  beforeAll(async () => {
    stack = await startTestStack(['ledger']);
    verifierKey = (await readFile(join(stack.stateDir, 'ledger-signing.key.pub'), 'utf8')).trim();
    const token = await stack.mintToken('alice', ['auditors']);
    client = new LedgerClient({ baseUrl: stack.endpoints.ledgerApi, token });
    bus = await connectBus({
      url: stack.natsUrl,
      name: 'tamper-test',
      logger: createLogger({ service: 'test', level: 'error' }),
    });
    const js = jetstream(bus);
    const subject = subjectsFor(stack.prefix).ledgerAppend;
    // In batches, as audit forwards evidence batches (one ledger append per batch).
    const records = sessionRecords();
    for (let i = 0; i < records.length; i += 16) {
      const batch = records.slice(i, i + 16);
      await publishDurable(
        js,
        subject,
        envelope(
          MessageType.LedgerAppend,
          { records: batch, stream: { sequence: 1 + i / 16 } },
          { id: `tamper-batch-${batch[0]?.id}` },
        ),
      );
    }
    const deadline = Date.now() + 30_000;
    let checkpoint: CheckpointView | undefined;
    while ((checkpoint = await client.checkpoint().catch(() => undefined))?.size !== SIZE) {
      if (Date.now() > deadline)
        throw new Error(`no checkpoint of ${SIZE} entries (last: ${checkpoint?.size})`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    superuser = new pg.Client({ connectionString: stack.databases.evidenceUrl });
    await superuser.connect();
    const first = await verifyLedger({ client, verifierKey });
    expect(first.report).toMatchObject({
      ok: true,
      size: SIZE,
      entries: SIZE,
      sessions: { sessions: SESSIONS, closed: SESSIONS },
    });
    saved = first.state as VerifierState;
    work = await mkdtemp(join(tmpdir(), 'ledger-tamper-'));
    await writeFile(join(work, 'token'), token);
    cliArgs = [
      'ledger',
      'verify',
      '--url',
      stack.endpoints.ledgerApi,
      '--token-file',
      join(work, 'token'),
      '--key-file',
      join(stack.stateDir, 'ledger-signing.key.pub'),
      '--state',
      join(work, 'state.json'),
    ];
  });

  afterAll(async () => {
    await superuser?.end();
    await bus?.drain();
    await stack?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('ledger - the triggers refuse changes even to a superuser who does not bypass them', async () => {
    await expect(
      superuser.query("update ledger_entries set kind = 'decision' where idx = 3"),
    ).rejects.toThrow('ledger tables are append-only (UPDATE on ledger_entries)');
    await expect(superuser.query('delete from ledger_nodes where level = 0 and idx = 3')).rejects.toThrow(
      'ledger tables are append-only (DELETE on ledger_nodes)',
    );
  });

  it('ledger - gatehouse ledger verify passes the untouched ledger and saves its checkpoint', async () => {
    const run = await gatehouse(cliArgs);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`OK: gatehouse.dev/ledger/${stack.prefix} at size ${SIZE}`);
    expect(JSON.parse(await readFile(join(work, 'state.json'), 'utf8'))).toMatchObject({
      size: SIZE,
      root: saved.root,
    });
  });

  it('ledger - an export bundle verifies offline with the CLI, and a changed line is named', async () => {
    const token = await stack.mintToken('alice', ['auditors']);
    const response = await fetch(
      `${stack.endpoints.ledgerApi}/v1/export?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    expect(response.status).toBe(200);
    const bundle = await response.text();
    const keyFile = join(stack.stateDir, 'ledger-signing.key.pub');
    await writeFile(join(work, 'bundle.jsonl'), bundle);
    const good = await gatehouse([
      'ledger',
      'verify',
      '--bundle',
      join(work, 'bundle.jsonl'),
      '--key-file',
      keyFile,
    ]);
    expect(good.code).toBe(0);
    expect(good.stdout).toContain(`entries 0 to ${SIZE - 1}`);
    const lines = bundle.split('\n');
    const at = lines.findIndex((line) => line.includes('"type":"entry","index":42,'));
    lines[at] = lines[at]!.replace('select *', 'select 1');
    await writeFile(join(work, 'bundle-tampered.jsonl'), lines.join('\n'));
    const bad = await gatehouse([
      'ledger',
      'verify',
      '--bundle',
      join(work, 'bundle-tampered.jsonl'),
      '--key-file',
      keyFile,
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('first bad index: 42');
  });

  it('ledger - a modified record (with its stored leaf hash recomputed) is caught at its index', async () => {
    const original = await row(57);
    const forged = Buffer.from((original['record'] as Buffer).toString('utf8').replace('select *', 'delete'));
    await tamper(
      ['update ledger_entries set record = $1, leaf_hash = $2 where idx = 57'],
      [[forged, Buffer.from(hashLeaf(forged))]],
    );
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.firstBadIndex).toBe(57);
    expect(report.problems[0]).toMatchObject({ kind: 'not-in-signed-log', index: 57 });
    const cli = await gatehouse(cliArgs);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain('first bad index: 57');
    await tamper(
      ['update ledger_entries set record = $1, leaf_hash = $2 where idx = 57'],
      [[original['record'], original['leaf_hash']]],
    );
    expect((await verify()).ok).toBe(true);
  });

  it('ledger - a deleted record is caught at its index', async () => {
    const original = await row(120);
    await tamper(['delete from ledger_entries where idx = 120']);
    const report = await verify();
    expect(report.firstBadIndex).toBe(120);
    expect(report.problems[0]).toMatchObject({ kind: 'missing-entry', index: 120 });
    await reinsert(original);
    expect((await verify()).ok).toBe(true);
  });

  it('ledger - an inserted record (later rows shifted to make room) is caught at its index', async () => {
    const template = (await row(33))['record'] as Buffer;
    const record = { ...(JSON.parse(template.toString('utf8')) as EvidenceRecord), id: 'forged-record' };
    const bytes = Buffer.from(canonicalBytes(record));
    await tamper(
      [
        ...shift(33, 1),
        `insert into ledger_entries (idx, record_id, leaf_hash, record, kind, session_id, session_seq, session_prev, time)
       values (33, 'forged-record', $1, $2, $3, $4, $5, $6, $7)`,
      ],
      [
        [],
        [],
        [
          Buffer.from(hashLeaf(bytes)),
          bytes,
          record.kind,
          record.session.id,
          record.session.seq,
          record.session.prev,
          record.time,
        ],
      ],
    );
    const report = await verify();
    expect(report.firstBadIndex).toBe(33);
    await tamper(['delete from ledger_entries where idx = 33', ...shift(34, -1)]);
    expect((await verify()).ok).toBe(true);
  });

  it('ledger - two swapped records are caught at the first of them', async () => {
    const swap = (a: number, b: number) => [
      `update ledger_entries set idx = -1 where idx = ${a}`,
      `update ledger_entries set idx = ${a} where idx = ${b}`,
      `update ledger_entries set idx = ${b} where idx = -1`,
    ];
    await tamper(swap(90, 150));
    const report = await verify();
    expect(report.firstBadIndex).toBe(90);
    expect(report.problems[0]).toMatchObject({ kind: 'not-in-signed-log', index: 90 });
    await tamper(swap(90, 150));
    expect((await verify()).ok).toBe(true);
  });
});
