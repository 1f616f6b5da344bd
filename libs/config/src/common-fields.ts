import { env } from './config-field.ts';

/** Fields every service reads: the bus, its subject prefix, and logging. */
export const commonFields = {
  natsUrl: env.url('NATS_URL', {
    protocols: ['nats:', 'tls:'],
    default: 'nats://127.0.0.1:4222',
    description: 'NATS server URL(s) with JetStream',
  }),
  subjectPrefix: env.string('GATEHOUSE_PREFIX', {
    default: 'gatehouse',
    description: 'Subject and stream-name prefix; lets several deployments (or test runs) share one NATS',
  }),
  logLevel: env.oneOf('LOG_LEVEL', ['trace', 'debug', 'info', 'warn', 'error'] as const, {
    default: 'info',
    description: 'pino log level',
  }),
  httpHost: env.string('HTTP_HOST', {
    default: '127.0.0.1',
    description: 'Address the HTTP API and health endpoints bind to',
  }),
};

/** Fields of services that verify OIDC tokens. */
export const identityFields = {
  oidcIssuer: env.url('OIDC_ISSUER', {
    protocols: ['http:', 'https:'],
    default: 'http://127.0.0.1:8090',
    description: 'OIDC issuer URL (discovery at /.well-known/openid-configuration)',
  }),
  oidcAudience: env.string('OIDC_AUDIENCE', { default: 'gatehouse', description: 'Expected token audience' }),
  oidcGroupsClaim: env.string('OIDC_GROUPS_CLAIM', {
    default: 'groups',
    description: 'Claim (dotted path) holding groups',
  }),
  maxTokenLifetime: env.duration('OIDC_MAX_TOKEN_LIFETIME', {
    default: 3_600_000,
    description: 'Longest token lifetime accepted (exp - iat)',
  }),
};
