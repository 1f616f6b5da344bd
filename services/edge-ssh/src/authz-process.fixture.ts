import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MessageType, envelope, subjectsFor } from '@gatehouse/contracts';
import { requestMessage, type NatsConnection } from '@gatehouse/nats';

const authzMain = fileURLToPath(new URL('../../authz/src/main.ts', import.meta.url));

/**
 * Runs the real authz service as its own process (services never import each other) on the test
 * run's prefix with the demo policy, and resolves once it answers a decide request.
 */
export async function startAuthzProcess(
  bus: NatsConnection,
  natsUrl: string,
  prefix: string,
): Promise<{ stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', authzMain], {
    env: {
      ...process.env,
      NATS_URL: natsUrl,
      GATEHOUSE_PREFIX: prefix,
      AUTHZ_HTTP_PORT: '0',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`authz exited with ${child.exitCode}:\n${log}`);
    try {
      await requestMessage(
        bus,
        envelope(MessageType.AuthzDecideRequest, {
          session: { id: 'readiness' },
          actor: { sub: 'probe', groups: [], issuer: 'http://probe', tokenId: 'probe' },
          target: { name: 'demo-ssh', kind: 'ssh' },
          operation: { kind: 'shell', text: 'true' },
          context: { tls: true, clientAddress: '127.0.0.1' },
        }),
        {
          subject: subjectsFor(prefix).authzDecide,
          dependency: 'authz',
          replyType: MessageType.AuthzDecideReply,
          timeoutMs: 500,
        },
      );
      break;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`authz did not answer:\n${log}`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  return {
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
