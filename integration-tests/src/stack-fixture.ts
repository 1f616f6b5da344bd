import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startStack, type RunningStack } from '@gatehouse/local-stack';
import { uniquePrefix } from '@gatehouse/testing';

const run = promisify(execFile);

/**
 * The whole Gatehouse stack for integration tests: real NATS (NATS_URL or 127.0.0.1:4222) and
 * real PostgreSQL (DATABASE_URL or 127.0.0.1:5432), every service as its own process, a subject
 * prefix and databases of its own so runs never see each other.
 */
export async function startTestStack(services?: string[]): Promise<RunningStack> {
  return startStack({
    prefix: uniquePrefix(),
    stateDir: mkdtempSync(join(tmpdir(), 'gatehouse-it-')),
    natsUrl: process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222',
    databaseUrl: process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    ports: 'auto',
    dropOnStop: true,
    ...(services ? { services } : {}),
  });
}

/** Result of running the real psql binary. */
export interface PsqlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs real `psql` against the edge with a token as password. */
export async function psql(
  stack: RunningStack,
  token: string,
  args: string[],
  database = 'demo',
): Promise<PsqlResult> {
  const { host, port } = stack.endpoints.edgePostgres;
  try {
    const { stdout, stderr } = await run(
      'psql',
      [
        `host=${host} port=${port} dbname=${database} user=ci-bot sslmode=disable`,
        '-X',
        '-v',
        'ON_ERROR_STOP=1',
        ...args,
      ],
      { env: { ...process.env, PGPASSWORD: token, PGCONNECT_TIMEOUT: '10' }, timeout: 30_000 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof failure.code === 'number' ? failure.code : 1,
      stdout: failure.stdout ?? '',
      stderr: failure.stderr ?? '',
    };
  }
}

/** Reads ledger entries through the auditor API until `accept` is satisfied or time runs out. */
export async function ledgerEntries(
  stack: RunningStack,
  auditorToken: string,
): Promise<{ kind: string; record: Record<string, unknown> }[]> {
  const response = await fetch(`${stack.endpoints.ledgerApi}/v1/entries?start=0&end=1000`, {
    headers: { authorization: `Bearer ${auditorToken}` },
  });
  if (!response.ok) throw new Error(`ledger answered ${response.status}`);
  const body = (await response.json()) as { entries: { kind: string; record: Record<string, unknown> }[] };
  return body.entries;
}
