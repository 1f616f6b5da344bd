// The dev OIDC issuer on its own (docker-compose's `dev-issuer` service). It mints tokens for
// anyone who asks: never expose it beyond a local machine.
import { env, loadConfig } from '@gatehouse/config';
import { DevIssuer } from '@gatehouse/identity';
import { createLogger } from '@gatehouse/logging';
import { optionalPort, optionalUrl } from './optional-fields.ts';

// ISSUER_* names, falling back to the variables docker-compose and deploy/Dockerfile set for
// every Gatehouse container (HTTP_HOST, OIDC_ISSUER, DEV_ISSUER_PORT).
const config = loadConfig(
  {
    port: optionalPort('ISSUER_PORT', 'Port the issuer listens on (default DEV_ISSUER_PORT, else 8090)'),
    composePort: optionalPort('DEV_ISSUER_PORT', 'Port, as the image health check reads it'),
    host: env.optionalString('ISSUER_HOST', {
      description: 'Address to listen on (default HTTP_HOST, else 127.0.0.1)',
    }),
    httpHost: env.string('HTTP_HOST', { default: '127.0.0.1', description: 'Address to listen on' }),
    url: optionalUrl('ISSUER_URL', {
      protocols: ['http:', 'https:'],
      description: 'Public issuer URL, the `iss` of tokens',
    }),
    oidcIssuer: optionalUrl('OIDC_ISSUER', {
      protocols: ['http:', 'https:'],
      description: 'Public issuer URL (compose)',
    }),
    keyFile: env.optionalString('ISSUER_KEY_FILE', {
      description: 'JWK Set file for the signing keys (default: in memory)',
    }),
    audience: env.string('OIDC_AUDIENCE', { default: 'gatehouse', description: 'Audience of minted tokens' }),
    logLevel: env.oneOf('LOG_LEVEL', ['trace', 'debug', 'info', 'warn', 'error'] as const, {
      default: 'info',
    }),
  },
  { env: process.env },
);
const logger = createLogger({ service: 'dev-issuer', level: config.logLevel });
const issuerUrl = config.url ?? config.oidcIssuer;
const issuer = new DevIssuer({
  host: config.host ?? config.httpHost,
  port: config.port ?? config.composePort ?? 8090,
  audience: config.audience,
  ...(issuerUrl === undefined ? {} : { issuerUrl }),
  ...(config.keyFile === undefined ? {} : { keyFile: config.keyFile }),
});
const { url } = await issuer.start();
logger.info({ listening: url, issuer: issuer.issuer }, 'dev issuer ready');
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void issuer.stop().then(() => process.exit(0)));
}
