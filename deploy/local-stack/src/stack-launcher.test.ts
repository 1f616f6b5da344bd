// Small tier: only the refusals that happen before anything is started (no NATS or PostgreSQL
// needed). The whole launcher runs against real servers in integration-tests/src/local-stack.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startNatsServer } from './nats-server-process.ts';
import { startStack } from './stack-launcher.ts';
import { StackStartError } from './stack-start-error.ts';

const stateDir = mkdtempSync(join(tmpdir(), 'gh-launcher-'));
const unreachable = {
  natsUrl: 'nats://127.0.0.1:1',
  databaseUrl: 'postgres://postgres@127.0.0.1:1/postgres',
};

describe('stack launcher refusals', () => {
  afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

  it('stack launcher - refuses an unknown service before starting anything', async () => {
    await expect(startStack({ stateDir, ...unreachable, services: ['ledger', 'billing'] })).rejects.toThrow(
      'unknown service "billing"; known: authz, masking, approval, audit, ledger, edge-postgres, edge-ssh',
    );
  });

  it('stack launcher - refuses a known service whose main.ts does not exist', async () => {
    const repoRoot = mkdtempSync(join(tmpdir(), 'gh-empty-repo-'));
    const error = await startStack({ stateDir, repoRoot, ...unreachable, services: ['ledger'] }).catch(
      (e: unknown) => e,
    );
    rmSync(repoRoot, { recursive: true });
    expect(error).toBeInstanceOf(StackStartError);
    expect((error as StackStartError).message).toBe('services/ledger/src/main.ts does not exist');
    expect((error as StackStartError).component).toBe('ledger');
  });

  it('stack launcher - dropOnStop is refused for the default prefix, and a prefix must be a subject token', async () => {
    await expect(startStack({ stateDir, ...unreachable, dropOnStop: true })).rejects.toThrow(
      'dropOnStop needs a prefix of its own',
    );
    await expect(startStack({ stateDir, ...unreachable, prefix: 'a.b' })).rejects.toThrow(
      'prefix "a.b" must be letters, digits, _ or -',
    );
  });

  it('stack launcher - a fixed port already in use is refused naming its variable', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      await expect(
        startStack({
          stateDir,
          ...unreachable,
          services: ['ledger'],
          ports: { ledgerHttp: port, issuer: 'auto' },
        }),
      ).rejects.toThrow(`port ${port} (LEDGER_HTTP_PORT, ledger) is already in use on 127.0.0.1`);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('stack launcher - an unreachable PostgreSQL fails the start with the address it tried', async () => {
    await expect(
      startStack({ stateDir, ...unreachable, services: ['ledger'], ports: 'auto' }),
    ).rejects.toThrow(/^cannot connect to PostgreSQL at 127\.0\.0\.1:1\/postgres: .*ECONNREFUSED/);
  });

  it('nats-server - without a binary the error says how to get one', async () => {
    const error = await startNatsServer({
      port: 4999,
      storeDir: join(stateDir, 'nats'),
      logFile: join(stateDir, 'nats.log'),
      searchPath: join(stateDir, 'empty-bin'),
      env: process.env,
      cwd: stateDir,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StackStartError);
    expect((error as Error).message).toContain('`apt-get install nats-server`');
    expect((error as Error).message).toContain('point NATS_URL at a NATS server with JetStream');
  });
});
