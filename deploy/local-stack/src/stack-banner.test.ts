import { DevIssuer } from '@gatehouse/identity';
import { describe, expect, it } from 'vitest';
import type { RunningStack } from './running-stack.ts';
import { renderStackBanner } from './stack-banner.ts';

function stack(overrides: Partial<RunningStack> = {}): RunningStack {
  const fail = (): never => {
    throw new Error('not used by the banner');
  };
  return {
    endpoints: {
      edgePostgres: { host: '127.0.0.1', port: 15432 },
      approvalApi: 'http://127.0.0.1:8081',
      ledgerApi: 'http://127.0.0.1:8082',
      auditApi: 'http://127.0.0.1:8083',
      authzHttp: 'http://127.0.0.1:8084',
      maskingHttp: 'http://127.0.0.1:8085',
      edgePostgresHttp: 'http://127.0.0.1:8086',
      edgeSshHttp: 'http://127.0.0.1:8087',
      issuer: 'http://127.0.0.1:8090',
    },
    databases: {
      adminUrl: 'postgres://postgres:secret@127.0.0.1:40123/postgres',
      evidenceUrl: 'postgres://postgres:secret@127.0.0.1:40123/gatehouse',
      demoUrl: 'postgres://postgres:secret@127.0.0.1:40123/demo',
      demoDatabase: 'demo',
      demoOwner: 'demo_owner',
    },
    natsUrl: 'nats://127.0.0.1:40999',
    prefix: 'gatehouse',
    stateDir: '/repo/.state',
    targetsFile: '/repo/.state/targets.yaml',
    services: ['authz', 'audit', 'ledger', 'edge-postgres'],
    started: { natsServer: true, embeddedPostgres: true },
    issuer: new DevIssuer(),
    mintToken: fail,
    logFile: fail,
    pids: fail,
    stopService: fail,
    startService: fail,
    stop: fail,
    ...overrides,
  };
}

describe('stack banner', () => {
  it('stack banner - lists the endpoints and the copy-paste token, psql and curl commands', () => {
    const text = renderStackBanner(stack(), '/repo');
    expect(text).toContain('Gatehouse local stack is running (prefix gatehouse, state in .state)');
    expect(text).toMatch(/PostgreSQL edge +127\.0\.0\.1:15432/);
    expect(text).toMatch(/ledger API +http:\/\/127\.0\.0\.1:8082/);
    expect(text).toMatch(/dev OIDC issuer +http:\/\/127\.0\.0\.1:8090/);
    expect(text).toMatch(/NATS +nats:\/\/127\.0\.0\.1:40999 +\(nats-server started by the stack\)/);
    expect(text).toMatch(/PostgreSQL +127\.0\.0\.1:40123 +\(embedded, started by the stack\)/);
    expect(text).toMatch(/not started +masking, approval, edge-ssh/);
    expect(text).toContain('  export PGPASSWORD=$(npx gatehouse token --sub ci-bot --groups pipelines)\n');
    expect(text).toContain('  psql "host=127.0.0.1 port=15432 dbname=demo user=ci-bot sslmode=prefer"');
    expect(text).toContain(
      '  curl -H "Authorization: Bearer $(npx gatehouse token --sub alice --groups auditors)" http://127.0.0.1:8082/v1/entries\n',
    );
    expect(text).not.toContain('secret');
    expect(text).not.toContain('approval API');
  });

  it('stack banner - names the issuer in the token commands when it is not on the default port', () => {
    const base = stack();
    const text = renderStackBanner(
      stack({ endpoints: { ...base.endpoints, issuer: 'http://127.0.0.1:18090' } }),
      '/elsewhere',
    );
    expect(text).toContain(
      'export PGPASSWORD=$(GATEHOUSE_ISSUER_URL=http://127.0.0.1:18090 npx gatehouse token --sub ci-bot --groups pipelines)',
    );
    expect(text).toContain('state in /repo/.state');
  });

  it('stack banner - leaves out the psql and curl commands of services that are not running', () => {
    const text = renderStackBanner(stack({ services: ['authz'] }), '/repo');
    expect(text).not.toContain('psql');
    expect(text).not.toContain('curl');
    expect(text).toMatch(/not started +masking, approval, audit, ledger, edge-postgres, edge-ssh/);
  });
});
