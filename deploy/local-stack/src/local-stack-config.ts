import { join } from 'node:path';
import { env, type ConfigOf } from '@gatehouse/config';
import { optionalUrl } from './optional-fields.ts';
import type { StackOptions } from './stack-options.ts';
import { defaultStackPorts, type StackPortName } from './stack-services.ts';

const portFields = {
  edgePostgres: ['EDGE_PG_PORT', 'PostgreSQL wire port of the edge'],
  edgePostgresHttp: ['EDGE_PG_HTTP_PORT', 'edge-postgres health and metrics port'],
  edgeSsh: ['EDGE_SSH_PORT', 'SSH port of the edge'],
  edgeSshHttp: ['EDGE_SSH_HTTP_PORT', 'edge-ssh health and metrics port'],
  approvalHttp: ['APPROVAL_HTTP_PORT', 'approval API port'],
  ledgerHttp: ['LEDGER_HTTP_PORT', 'ledger (auditor) API port'],
  auditHttp: ['AUDIT_HTTP_PORT', 'audit API port'],
  authzHttp: ['AUTHZ_HTTP_PORT', 'authz health and metrics port'],
  maskingHttp: ['MASKING_HTTP_PORT', 'masking health and metrics port'],
  issuer: ['ISSUER_PORT', 'dev OIDC issuer port'],
  nats: [
    'NATS_SERVER_PORT',
    'port of the nats-server the stack starts when NATS_URL is unset (0: any free port)',
  ],
  postgres: [
    'EMBEDDED_POSTGRES_PORT',
    'port of the embedded PostgreSQL when DATABASE_URL is unset (0: any free port)',
  ],
} as const satisfies Record<StackPortName, readonly [string, string]>;

/** What `npm start` reads from its environment; `repoRoot` anchors the default state folder. */
export function localStackConfigSpec(repoRoot: string) {
  return {
    natsUrl: optionalUrl('NATS_URL', {
      protocols: ['nats:', 'tls:'],
      description: 'NATS server with JetStream; when unset a nats-server from PATH is started',
    }),
    databaseUrl: optionalUrl('DATABASE_URL', {
      protocols: ['postgres:', 'postgresql:'],
      description:
        'Admin (superuser) URL of a PostgreSQL server; when unset an embedded PostgreSQL is started',
    }),
    stateDir: env.string('GATEHOUSE_STATE_DIR', {
      default: join(repoRoot, '.state'),
      description: 'Folder for logs, keys, targets.yaml and the NATS and PostgreSQL data',
    }),
    prefix: env.string('GATEHOUSE_PREFIX', {
      default: 'gatehouse',
      description: 'Subject and stream-name prefix',
    }),
    logLevel: env.oneOf('LOG_LEVEL', ['trace', 'debug', 'info', 'warn', 'error'] as const, {
      default: 'info',
      description: 'LOG_LEVEL of every service (logs are in <state>/logs)',
    }),
    echoLogs: env.boolean('GATEHOUSE_ECHO_LOGS', {
      default: false,
      description: 'Also print every service log line here, prefixed with [service]',
    }),
    services: env.list('GATEHOUSE_SERVICES', {
      default: [],
      description: 'Services to start (default: every service that exists)',
    }),
    policyFile: env.optionalString('POLICY_FILE', {
      description: 'Policy YAML for authz (default: the demo policy)',
    }),
    ...(Object.fromEntries(
      Object.entries(portFields).map(([name, [variable, description]]) => [
        name,
        env.port(variable, { default: defaultStackPorts[name as StackPortName], description }),
      ]),
    ) as Record<StackPortName, ReturnType<typeof env.port>>),
  };
}

/** The parsed, frozen configuration of `npm start`. */
export type LocalStackConfig = ConfigOf<ReturnType<typeof localStackConfigSpec>>;

/** The {@link StackOptions} a configuration asks for (without callbacks). */
export function stackOptionsFrom(config: LocalStackConfig): StackOptions {
  return {
    stateDir: config.stateDir,
    prefix: config.prefix,
    ...(config.natsUrl === undefined ? {} : { natsUrl: config.natsUrl }),
    ...(config.databaseUrl === undefined ? {} : { databaseUrl: config.databaseUrl }),
    ...(config.services.length === 0 ? {} : { services: config.services }),
    ...(config.policyFile === undefined ? {} : { policyFile: config.policyFile }),
    logLevel: config.logLevel,
    echoLogs: config.echoLogs,
    ports: Object.fromEntries(Object.keys(portFields).map((name) => [name, config[name as StackPortName]])),
  };
}
