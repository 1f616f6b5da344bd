// Integration: the real psql binary against the real edge-postgres, with authz and audit as
// separate processes on real NATS and PostgreSQL (policy: services/edge-postgres/bench/bench-policy.yaml, no masking, so relayed bytes can be compared with the target's). Proves psql's meta-commands,
// \copy both ways, multi-statement strings, NOTICEs, TLS and a real CancelRequest (SIGINT).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type RunningStack } from '@gatehouse/local-stack';
import { uniquePrefix } from '@gatehouse/testing';
import { psql, type PsqlResult } from './stack-fixture.ts';

const policyFile = join(
  import.meta.dirname,
  '..',
  '..',
  'services',
  'edge-postgres',
  'bench',
  'bench-policy.yaml',
);

describe('edge-postgres with psql', () => {
  let stack: RunningStack;
  let pipelines: string;
  let dbadmin: string;
  const scratch = mkdtempSync(join(tmpdir(), 'gatehouse-edge-psql-'));

  beforeAll(async () => {
    stack = await startStack({
      prefix: uniquePrefix(),
      stateDir: mkdtempSync(join(tmpdir(), 'gatehouse-edge-it-')),
      natsUrl: process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222',
      databaseUrl: process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
      ports: 'auto',
      services: ['authz', 'audit', 'edge-postgres'],
      policyFile,
      dropOnStop: true,
    });
    pipelines = await stack.mintToken('ci-bot', ['pipelines']);
    dbadmin = await stack.mintToken('dba', ['writers']);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function direct<T>(sql: string): Promise<T[]> {
    const client = new pg.Client({ connectionString: stack.databases.demoUrl });
    await client.connect();
    try {
      return (await client.query(sql)).rows as T[];
    } finally {
      await client.end();
    }
  }

  /** psql straight to the demo database (superuser), for comparing outputs. */
  function directPsql(args: string[]): Promise<PsqlResult> {
    return new Promise((resolve) => {
      const child = spawn('psql', [stack.databases.demoUrl, '-X', '-v', 'ON_ERROR_STOP=1', ...args]);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    });
  }

  it('edge-postgres - psql \\dt, \\d, \\di, \\dn and \\df print exactly what they print on the target', async () => {
    for (const command of ['\\dt', '\\d customers', '\\di', '\\dn', '\\df public.*', '\\d+ orders']) {
      const through = await psql(stack, pipelines, ['-c', command]);
      const reference = await directPsql(['-c', command]);
      expect(through.stderr, command).toBe('');
      expect(through.code, command).toBe(0);
      expect(reference.code, command).toBe(0);
      expect(through.stdout, command).toBe(reference.stdout);
    }
  });

  it('edge-postgres - psql \\copy writes rows to a file and reads them back into a table', async () => {
    const file = join(scratch, 'customers.csv');
    const out = await psql(stack, pipelines, [
      '-c',
      `\\copy (SELECT id, city, postcode FROM customers ORDER BY id LIMIT 50) TO '${file}' CSV HEADER`,
    ]);
    expect(out.stderr).toBe('');
    expect(out.stdout.trim()).toBe('COPY 50');
    const expected = await direct<{ id: number; city: string; postcode: string }>(
      'SELECT id, city, postcode FROM customers ORDER BY id LIMIT 50',
    );
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('id,city,postcode');
    expect(lines.length).toBe(51);
    expect(lines[1]!.split(',')[0]).toBe(String(expected[0]!.id));

    const into = await psql(stack, dbadmin, [
      '-c',
      'CREATE TABLE psql_copy_in (id int PRIMARY KEY, city text, postcode text)',
      '-c',
      `\\copy psql_copy_in FROM '${file}' CSV HEADER`,
    ]);
    expect(into.stderr).toBe('');
    expect(into.stdout).toContain('COPY 50');
    const copied = await direct<{ id: number; city: string; postcode: string }>(
      'SELECT id, city, postcode FROM psql_copy_in ORDER BY id',
    );
    expect(copied).toEqual(expected);
  });

  it('edge-postgres - psql \\copy FROM a file with many rows relays every CopyData message', async () => {
    const file = join(scratch, 'many.tsv');
    const rows = Array.from({ length: 20_000 }, (_, i) => `${i}\t${'x'.repeat(i % 97)}`);
    writeFileSync(file, `${rows.join('\n')}\n`);
    const result = await psql(stack, dbadmin, [
      '-c',
      'CREATE TABLE psql_copy_many (id int, filler text)',
      '-c',
      `\\copy psql_copy_many FROM '${file}'`,
      '-c',
      'SELECT count(*), sum(length(filler)) FROM psql_copy_many',
      '-A',
      '-t',
    ]);
    expect(result.stderr).toBe('');
    const expectedLength = rows.reduce((sum, _, i) => sum + (i % 97), 0);
    expect(result.stdout.trim().split('\n').at(-1)).toBe(`20000|${expectedLength}`);
  });

  it('edge-postgres - a multi-statement string runs every statement and prints every result', async () => {
    const result = await psql(stack, pipelines, [
      '-A',
      '-t',
      '-c',
      "SELECT 1 AS a; SELECT count(*) FROM customers WHERE id <= 3; SELECT 'three'",
    ]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('1\n3\nthree\n');
  });

  it('edge-postgres - a multi-statement string with one refused statement runs none of them', async () => {
    await psql(stack, dbadmin, ['-c', 'CREATE TABLE psql_multi (id int)']);
    const result = await psql(stack, dbadmin, [
      '-c',
      'INSERT INTO psql_multi VALUES (1); DROP TABLE customers; INSERT INTO psql_multi VALUES (2)',
    ]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      'ERROR:  Gatehouse policy denied this statement: destructive statements are denied',
    );
    expect(await direct('SELECT * FROM psql_multi')).toEqual([]);
    expect(await direct("SELECT to_regclass('public.customers') IS NOT NULL AS present")).toEqual([
      { present: true },
    ]);
  });

  it('edge-postgres - a NOTICE raised by a DO block reaches psql', async () => {
    const result = await psql(stack, pipelines, [
      '-c',
      "DO $$ BEGIN RAISE NOTICE 'hi from %', 'plpgsql'; END $$",
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe('DO');
    expect(result.stderr).toBe('NOTICE:  hi from plpgsql\n');
  });

  it('edge-postgres - psql over TLS (sslmode=require) reports a TLS session and runs queries', async () => {
    const { host, port } = stack.endpoints.edgePostgres;
    const result = await new Promise<PsqlResult>((resolve) => {
      const child = spawn(
        'psql',
        [
          `host=${host} port=${port} dbname=demo user=ci-bot sslmode=require`,
          '-X',
          '-A',
          '-t',
          '-c',
          'SELECT 41 + 1',
          '-c',
          '\\conninfo',
        ],
        { env: { ...process.env, PGPASSWORD: pipelines } },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    });
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^42\n/);
    expect(result.stdout).toMatch(/SSL connection \(protocol: TLSv1\.3/);
  });

  it('edge-postgres - SIGINT makes psql send a CancelRequest that cancels a running pg_sleep upstream', async () => {
    const { host, port } = stack.endpoints.edgePostgres;
    const child = spawn(
      'psql',
      [
        `host=${host} port=${port} dbname=demo user=ci-bot sslmode=disable`,
        '-X',
        '-c',
        'SELECT pg_sleep(30) AS psql_cancel_probe',
      ],
      { env: { ...process.env, PGPASSWORD: pipelines } },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
    // Wait until the statement really runs upstream, so the cancel has something to cancel.
    await expect
      .poll(
        async () =>
          (
            await direct<{ n: number }>(
              "SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%psql_cancel_probe%' AND pid <> pg_backend_pid()",
            )
          )[0]!.n,
        { timeout: 10_000, interval: 100 },
      )
      .toBe(1);
    child.kill('SIGINT');
    const code = await exited;
    expect(code).toBe(1);
    expect(stderr).toContain('Cancel request sent');
    expect(stderr).toContain('ERROR:  canceling statement due to user request');
  });
});
