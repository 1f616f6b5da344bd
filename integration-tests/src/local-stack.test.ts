// Integration: the local-stack launcher itself. Real: NATS (NATS_URL or 127.0.0.1:4222, or a
// nats-server it starts), PostgreSQL (DATABASE_URL or 127.0.0.1:5432, or the embedded server it
// starts), every service as its own child process, the dev issuer, the token verifier.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { TokenVerifier } from '@gatehouse/identity';
import {
  startStack,
  stackServiceNames,
  type RunningStack,
  type ServiceExitEvent,
} from '@gatehouse/local-stack';
import { jetstreamManager, streamNameFor } from '@gatehouse/nats';
import { uniquePrefix } from '@gatehouse/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const natsUrl = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
const adminUrl = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const repoRoot = join(import.meta.dirname, '..', '..');
const existingServices = stackServiceNames.filter((name) =>
  existsSync(join(repoRoot, 'services', name, 'src', 'main.ts')),
);

async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Command lines of this test process's children that belong to a stack. */
function stackChildren(): string[] {
  const out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /services\/|nats-server|postgres/.test(line));
}

function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as { code?: string }).code === 'ESRCH';
  }
}

async function status(url: string): Promise<number> {
  return (await fetch(url, { signal: AbortSignal.timeout(5000) })).status;
}

describe('local stack with NATS_URL and DATABASE_URL', () => {
  const prefix = uniquePrefix();
  const exits: ServiceExitEvent[] = [];
  const messages: string[] = [];
  const stateDir = mkdtempSync(join(tmpdir(), 'gatehouse-local-stack-'));
  let stack: RunningStack;

  beforeAll(async () => {
    stack = await startStack({
      prefix,
      stateDir,
      natsUrl,
      databaseUrl: adminUrl,
      ports: 'auto',
      dropOnStop: true,
      onServiceExit: (event) => exits.push(event),
      log: (level, message) => messages.push(`${level} ${message}`),
    });
  });

  afterAll(async () => {
    await stack?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('local stack - starts every service that exists and each answers /readyz and /healthz with 200', async () => {
    expect(stack.services).toEqual(existingServices);
    expect(stack.services).toEqual(expect.arrayContaining(['authz', 'audit', 'ledger', 'edge-postgres']));
    const health: Record<string, string> = {
      authz: stack.endpoints.authzHttp,
      masking: stack.endpoints.maskingHttp,
      approval: stack.endpoints.approvalApi,
      audit: stack.endpoints.auditApi,
      ledger: stack.endpoints.ledgerApi,
      'edge-postgres': stack.endpoints.edgePostgresHttp,
      'edge-ssh': stack.endpoints.edgeSshHttp,
    };
    for (const name of stack.services) {
      expect([name, await status(`${health[name]}/readyz`)]).toEqual([name, 200]);
      expect([name, await status(`${health[name]}/healthz`)]).toEqual([name, 200]);
    }
    expect(Object.keys(stack.pids()).sort()).toEqual([...stack.services].sort());
    expect(stack.started).toEqual({ natsServer: false, embeddedPostgres: false });
  });

  it('local stack - creates the prefixed evidence and demo databases and loads 240 customers owned by the demo role', async () => {
    expect(stack.databases.demoDatabase).toBe(`${prefix}_demo`);
    expect(stack.databases.evidenceUrl).toMatch(new RegExp(`/${prefix}_evidence$`));
    const [counts] = await query<{ customers: number; orders: number; owner: string }>(
      stack.databases.demoUrl,
      `SELECT (SELECT count(*)::int FROM customers) AS customers, (SELECT count(*)::int FROM orders) AS orders,
              (SELECT tableowner FROM pg_tables WHERE tablename = 'customers') AS owner`,
    );
    expect(counts).toEqual({ customers: 240, orders: 500, owner: `${prefix}_demo_owner` });
    const tables = await query<{ name: string }>(
      stack.databases.evidenceUrl,
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
    );
    expect(tables.length).toBeGreaterThan(0);
  });

  it('local stack - mintToken gives a token the stack issuer signed, which the ledger accepts for auditors only', async () => {
    const token = await stack.mintToken('alice', ['auditors'], 120);
    const verifier = new TokenVerifier({ issuer: stack.endpoints.issuer, audience: 'gatehouse' });
    const identity = await verifier.verify(token);
    expect(identity).toMatchObject({
      subject: 'alice',
      groups: ['auditors'],
      issuer: stack.endpoints.issuer,
    });
    expect(identity.expiresAt.getTime() - identity.issuedAt.getTime()).toBe(120_000);
    const entries = await fetch(`${stack.endpoints.ledgerApi}/v1/entries`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(entries.status).toBe(200);
    expect(await status(`${stack.endpoints.ledgerApi}/v1/entries`)).toBe(401);
  });

  it('local stack - a service that dies is reported loudly; startService brings it back, stopService is not a crash', async () => {
    const first = stack.pids()['ledger']!;
    process.kill(first, 'SIGKILL');
    await expect.poll(() => exits.length, { timeout: 10_000 }).toBe(1);
    expect(exits[0]).toMatchObject({
      service: 'ledger',
      code: null,
      signal: 'SIGKILL',
      logFile: stack.logFile('ledger'),
    });
    expect(
      messages.some(
        (m) => m.startsWith('error ') && m.includes('ledger EXITED UNEXPECTEDLY (code null, signal SIGKILL)'),
      ),
    ).toBe(true);
    expect(stack.pids()['ledger']).toBeUndefined();

    await stack.startService('ledger');
    const second = stack.pids()['ledger']!;
    expect(second).not.toBe(first);
    expect(await status(`${stack.endpoints.ledgerApi}/readyz`)).toBe(200);
    await stack.stopService('ledger', 'SIGKILL');
    expect(gone(second)).toBe(true);
    await stack.startService('ledger');
    expect(exits).toHaveLength(1);
  });

  it('local stack - stop leaves no child process and drops the databases and streams of its prefix', async () => {
    const pids = Object.values(stack.pids());
    expect(pids.length).toBe(stack.services.length);
    expect(stackChildren().length).toBe(stack.services.length);
    await stack.stop();
    expect(pids.filter((pid) => !gone(pid))).toEqual([]);
    expect(stackChildren()).toEqual([]);
    const databases = await query<{ datname: string }>(
      adminUrl,
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`${prefix}%`],
    );
    expect(databases).toEqual([]);
    const roles = await query<{ rolname: string }>(
      adminUrl,
      'SELECT rolname FROM pg_roles WHERE rolname LIKE $1',
      [`${prefix}%`],
    );
    expect(roles).toEqual([]);
    const connection = await connect({ servers: natsUrl });
    try {
      const manager = await jetstreamManager(connection);
      const evidence = await manager.streams.info(streamNameFor(prefix, 'EVIDENCE')).then(
        () => 'present',
        () => 'absent',
      );
      expect(evidence).toBe('absent');
    } finally {
      await connection.close();
    }
  });
});

describe('local stack without NATS_URL and DATABASE_URL', () => {
  it('local stack - starts nats-server and an embedded PostgreSQL with SCRAM, and keeps data and keys across restarts', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'gatehouse-embedded-'));
    const options = { stateDir, ports: 'auto', services: ['ledger'] } as const;
    let stack = await startStack(options);
    let keyId: string;
    try {
      expect(stack.started).toEqual({ natsServer: true, embeddedPostgres: true });
      expect(stack.natsUrl).toMatch(/^nats:\/\/127\.0\.0\.1:\d+$/);
      expect(stack.databases.demoDatabase).toBe('demo');
      expect(stack.databases.evidenceUrl).toMatch(/\/gatehouse$/);
      expect(await status(`${stack.endpoints.ledgerApi}/readyz`)).toBe(200);

      // The server demands passwords (SCRAM): the edges' upstream login is exercised for real.
      const demo = new URL(stack.databases.demoUrl);
      const asOwner = (password: string) =>
        query<{ n: number; who: string }>(
          `postgres://${stack.databases.demoOwner}:${password}@${demo.host}/demo`,
          'SELECT count(*)::int AS n, current_user AS who FROM customers',
        );
      const ownerPassword = readFileSync(join(stateDir, 'demo_owner.password'), 'utf8').trim();
      expect(await asOwner(ownerPassword)).toEqual([{ n: 240, who: 'demo_owner' }]);
      expect(await asOwner('wrong').catch((error: { code?: string }) => error.code)).toBe('28P01');
      const [hba] = await query<{ method: string }>(
        stack.databases.adminUrl,
        "SELECT auth_method AS method FROM pg_hba_file_rules WHERE type = 'host' LIMIT 1",
      );
      expect(hba).toEqual({ method: 'scram-sha-256' });
      const targets = readFileSync(stack.targetsFile, 'utf8');
      expect(targets).toContain(`port: ${demo.port}`);
      expect(targets).toContain(`passwordFile: ${join(stateDir, 'demo_owner.password')}`);
      keyId = stack.issuer.currentKeyId;
    } finally {
      await stack.stop();
    }
    expect(stackChildren()).toEqual([]);

    stack = await startStack(options);
    try {
      const [row] = await query<{ n: number }>(
        stack.databases.demoUrl,
        'SELECT count(*)::int AS n FROM customers',
      );
      expect(row).toEqual({ n: 240 });
      // The signing key is reused from issuer-key.json, so tokens minted before a restart stay valid.
      expect(stack.issuer.currentKeyId).toBe(keyId);
    } finally {
      await stack.stop();
    }
    expect(stackChildren()).toEqual([]);
    rmSync(stateDir, { recursive: true, force: true });
  });
});
