import { loadConfig } from '@gatehouse/config';
import { ConfigError } from '@gatehouse/errors';
import { describe, expect, it } from 'vitest';
import { localStackConfigSpec, stackOptionsFrom } from './local-stack-config.ts';

const spec = localStackConfigSpec('/repo');

describe('local stack config', () => {
  it('local stack config - defaults: embedded NATS and PostgreSQL, .state in the repo, the DESIGN.md ports', () => {
    const options = stackOptionsFrom(loadConfig(spec, { env: {} }));
    expect(options).toEqual({
      stateDir: '/repo/.state',
      prefix: 'gatehouse',
      logLevel: 'info',
      echoLogs: false,
      ports: {
        edgePostgres: 15432,
        edgePostgresHttp: 8086,
        edgeSsh: 12222,
        edgeSshHttp: 8087,
        approvalHttp: 8081,
        ledgerHttp: 8082,
        auditHttp: 8083,
        authzHttp: 8084,
        maskingHttp: 8085,
        issuer: 8090,
        nats: 0,
        postgres: 0,
      },
    });
  });

  it('local stack config - the environment picks servers, folder, services, policy and ports', () => {
    const options = stackOptionsFrom(
      loadConfig(spec, {
        env: {
          NATS_URL: 'nats://10.0.0.5:4222',
          DATABASE_URL: 'postgres://admin:pw@db:5432/postgres',
          GATEHOUSE_STATE_DIR: '/tmp/state',
          GATEHOUSE_SERVICES: 'ledger, audit',
          POLICY_FILE: '/etc/policy.yaml',
          LOG_LEVEL: 'debug',
          GATEHOUSE_ECHO_LOGS: 'yes',
          EDGE_PG_PORT: '25432',
          ISSUER_PORT: '18090',
          EMBEDDED_POSTGRES_PORT: '55432',
        },
      }),
    );
    expect(options).toMatchObject({
      natsUrl: 'nats://10.0.0.5:4222',
      databaseUrl: 'postgres://admin:pw@db:5432/postgres',
      stateDir: '/tmp/state',
      services: ['ledger', 'audit'],
      policyFile: '/etc/policy.yaml',
      logLevel: 'debug',
      echoLogs: true,
      ports: { edgePostgres: 25432, issuer: 18090, postgres: 55432, ledgerHttp: 8082 },
    });
  });

  it('local stack config - a bad URL or port stops the start naming the variable', () => {
    expect(() => loadConfig(spec, { env: { NATS_URL: 'http://localhost:4222' } })).toThrow(
      'NATS_URL must use nats: or tls:',
    );
    expect(() => loadConfig(spec, { env: { DATABASE_URL: 'mysql://x' } })).toThrow(
      'DATABASE_URL must use postgres: or postgresql:',
    );
    try {
      loadConfig(spec, { env: { LEDGER_HTTP_PORT: 'eighty' } });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).variable).toBe('LEDGER_HTTP_PORT');
    }
  });
});
