import { randomBytes } from 'node:crypto';
import { dockerEngineAvailable } from './container-runtime.ts';

/** A NATS server for one test run, with a subject prefix no other run uses. */
export interface TestNats {
  url: string;
  /** Subject prefix (and stream-name prefix) unique to this run. */
  prefix: string;
  stop(): Promise<void>;
}

/** Starts NATS with testcontainers where Docker answers, else uses NATS_URL or the local default. */
export async function startTestNats(): Promise<TestNats> {
  const prefix = uniquePrefix();
  const explicit = process.env['NATS_URL'];
  if (!explicit && dockerEngineAvailable()) {
    const { NatsContainer } = await import('@testcontainers/nats');
    const container = await new NatsContainer('nats:2.11').withJetStream().start();
    return {
      url: `nats://${container.getHost()}:${container.getMappedPort(4222)}`,
      prefix,
      stop: async () => void (await container.stop()),
    };
  }
  return { url: explicit ?? 'nats://127.0.0.1:4222', prefix, stop: async () => undefined };
}

/** A prefix valid as a subject token and stream-name part, unique per call. */
export function uniquePrefix(): string {
  return `t${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}
