// Integration: the real pgbench binary against the real edge-postgres, with authz and audit as
// separate processes on real NATS and PostgreSQL. The policy is
// services/edge-postgres/bench/bench-policy.yaml: the `benchmark` group may initialise (drop,
// create, truncate, copy, vacuum) and run pgbench's scripts on the demo target. Proves that
// pgbench initialises through the edge and that its TPC-B script runs with -M simple, extended,
// prepared and with a new connection per transaction (-C), leaving the database consistent.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type RunningStack } from '@gatehouse/local-stack';
import { uniquePrefix } from '@gatehouse/testing';

const run = promisify(execFile);
const policyFile = join(
  import.meta.dirname,
  '..',
  '..',
  'services',
  'edge-postgres',
  'bench',
  'bench-policy.yaml',
);

describe('edge-postgres with pgbench', () => {
  let stack: RunningStack;
  let token: string;

  beforeAll(async () => {
    stack = await startStack({
      prefix: uniquePrefix(),
      stateDir: mkdtempSync(join(tmpdir(), 'gatehouse-edge-pgbench-')),
      natsUrl: process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222',
      databaseUrl: process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
      ports: 'auto',
      services: ['authz', 'audit', 'edge-postgres'],
      policyFile,
      dropOnStop: true,
    });
    token = await stack.mintToken('bench', ['benchmark']);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function pgbench(args: string[]): Promise<{ stdout: string; stderr: string }> {
    const { host, port } = stack.endpoints.edgePostgres;
    return run('pgbench', [...args, `host=${host} port=${port} dbname=demo user=bench sslmode=disable`], {
      env: { ...process.env, PGPASSWORD: token, PGCONNECT_TIMEOUT: '10' },
      timeout: 60_000,
    });
  }

  async function target<T>(sql: string): Promise<T[]> {
    const client = new pg.Client({ connectionString: stack.databases.demoUrl });
    await client.connect();
    try {
      return (await client.query(sql)).rows as T[];
    } finally {
      await client.end();
    }
  }

  /** TPC-B keeps every balance equal to the sum of the history deltas (all balances start at 0). */
  async function consistency(): Promise<{ history: number; balanced: boolean }> {
    const [row] = await target<{
      history: number;
      accounts: string;
      tellers: string;
      branches: string;
      deltas: string;
    }>(
      `SELECT (SELECT count(*)::int FROM pgbench_history) AS history,
              (SELECT coalesce(sum(abalance), 0)::text FROM pgbench_accounts) AS accounts,
              (SELECT coalesce(sum(tbalance), 0)::text FROM pgbench_tellers) AS tellers,
              (SELECT coalesce(sum(bbalance), 0)::text FROM pgbench_branches) AS branches,
              (SELECT coalesce(sum(delta), 0)::text FROM pgbench_history) AS deltas`,
    );
    const { history, accounts, tellers, branches, deltas } = row!;
    return { history, balanced: accounts === deltas && tellers === deltas && branches === deltas };
  }

  it('edge-postgres - pgbench -i -s 1 initialises its tables through the edge', async () => {
    const { stderr } = await pgbench(['-i', '-s', '1']);
    expect(stderr).toContain('done in');
    expect(
      await target(`SELECT (SELECT count(*)::int FROM pgbench_accounts) AS accounts,
                           (SELECT count(*)::int FROM pgbench_tellers) AS tellers,
                           (SELECT count(*)::int FROM pgbench_branches) AS branches,
                           (SELECT count(*)::int FROM pgbench_history) AS history`),
    ).toEqual([{ accounts: 100_000, tellers: 10, branches: 1, history: 0 }]);
    // The primary keys (an admin statement) were created too.
    expect(
      await target(
        "SELECT count(*)::int AS n FROM pg_indexes WHERE tablename LIKE 'pgbench_%' AND indexname LIKE '%_pkey'",
      ),
    ).toEqual([{ n: 3 }]);
  });

  for (const mode of ['simple', 'extended', 'prepared'] as const) {
    it(`edge-postgres - pgbench TPC-B with -M ${mode} commits every transaction and keeps balances consistent`, async () => {
      const before = await consistency();
      const { stdout } = await pgbench(['-n', '-c', '2', '-t', '25', '-M', mode]);
      expect(stdout).toContain(`query mode: ${mode}`);
      expect(stdout).toContain('number of transactions actually processed: 50/50');
      expect(stdout).toContain('number of failed transactions: 0 (0.000%)');
      expect(await consistency()).toEqual({ history: before.history + 50, balanced: true });
    });
  }

  it('edge-postgres - pgbench -C opens a new session through the edge for every transaction', async () => {
    const before = await consistency();
    const { stdout } = await pgbench(['-n', '-C', '-c', '2', '-t', '15']);
    expect(stdout).toContain('number of transactions actually processed: 30/30');
    expect(stdout).toContain('number of failed transactions: 0 (0.000%)');
    expect(stdout).toMatch(/tps = [0-9.]+ \(including reconnection times\)/);
    expect(await consistency()).toEqual({ history: before.history + 30, balanced: true });
  });

  it('edge-postgres - pgbench select-only (-S) runs a custom duration with every mode', async () => {
    for (const mode of ['simple', 'extended', 'prepared']) {
      const { stdout } = await pgbench(['-n', '-S', '-c', '2', '-T', '2', '-M', mode]);
      expect(stdout, mode).toContain('number of failed transactions: 0 (0.000%)');
      expect(stdout, mode).toMatch(/number of transactions actually processed: [1-9][0-9]*/);
    }
  });
});
