import { existsSync } from 'node:fs';

/**
 * Whether a Docker engine may answer. Testcontainers is only tried then; on machines without an
 * engine (like ours) tests use the services at NATS_URL / DATABASE_URL instead.
 */
export function dockerEngineAvailable(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env['GATEHOUSE_TEST_NO_CONTAINERS'] === '1') return false;
  if (env['DOCKER_HOST']) return true;
  return existsSync('/var/run/docker.sock');
}
