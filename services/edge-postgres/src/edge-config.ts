import { commonFields, env, identityFields } from '@gatehouse/config';
import { edgeGateFields } from '@gatehouse/edge-gate';
import { maskingFields } from './masking/masking-fields.ts';

/** Everything edge-postgres reads from its environment. */
export const edgeConfigSpec = {
  ...commonFields,
  ...identityFields,
  ...maskingFields,
  listenHost: env.string('EDGE_PG_HOST', {
    default: '127.0.0.1',
    description: 'Address the PostgreSQL edge listens on',
  }),
  listenPort: env.port('EDGE_PG_PORT', { default: 15432, description: 'PostgreSQL wire port of the edge' }),
  httpPort: env.port('EDGE_PG_HTTP_PORT', {
    default: 8086,
    description: 'edge-postgres health and metrics port',
  }),
  targetsFile: env.string('TARGETS_FILE', { description: 'YAML file describing the upstream targets' }),
  tlsCertFile: env.optionalString('EDGE_TLS_CERT_FILE', {
    description: 'PEM certificate offered to clients; a dev certificate is generated when unset',
  }),
  tlsKeyFile: env.optionalString('EDGE_TLS_KEY_FILE', {
    description: 'PEM private key for EDGE_TLS_CERT_FILE',
  }),
  tlsEnabled: env.boolean('EDGE_TLS', {
    default: true,
    description: 'Offer TLS to clients (SSLRequest answered S)',
  }),
  allowPlaintextLoopback: env.boolean('EDGE_ALLOW_PLAINTEXT_LOOPBACK', {
    default: false,
    description: 'Dev mode: accept tokens over plaintext from loopback clients',
  }),
  ...edgeGateFields,
  maxMessageBytes: env.integer('EDGE_MAX_MESSAGE_BYTES', {
    default: 16 * 1024 * 1024,
    min: 1024,
    description: 'Largest client message accepted (larger ones are refused with SQLSTATE 54000)',
  }),
  statementTimeout: env.duration('EDGE_STATEMENT_TIMEOUT', {
    default: 0,
    description: 'statement_timeout set upstream for every session (0 = server default)',
  }),
  authenticationTimeout: env.duration('EDGE_AUTHENTICATION_TIMEOUT', {
    default: 60_000,
    description: 'Longest a client may take from connecting to a ready session (authentication_timeout)',
  }),
  idleSessionTimeout: env.duration('EDGE_IDLE_SESSION_TIMEOUT', {
    default: 0,
    description: 'Close sessions idle this long (0 = never)',
  }),
};
