import { mkdirSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
import { executableOnPath } from './executable-on-path.ts';
import { ManagedProcess, type ProcessExit } from './managed-process.ts';
import { StackStartError } from './stack-start-error.ts';

/** Where to run a private nats-server. */
export interface NatsServerOptions {
  port: number;
  /** JetStream store directory. */
  storeDir: string;
  logFile: string;
  /** Directories to search, PATH-style. */
  searchPath: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  onUnexpectedExit?: (exit: ProcessExit) => void;
  /** How long to wait for the client port (default 15 s). */
  timeoutMs?: number;
}

/** A nats-server with JetStream that the launcher started. */
export interface NatsServer {
  url: string;
  process: ManagedProcess;
}

/**
 * Starts `nats-server -js` on 127.0.0.1 and waits until it greets clients with INFO.
 * @throws StackStartError when there is no nats-server binary (saying how to get one) or it does not come up.
 */
export async function startNatsServer(options: NatsServerOptions): Promise<NatsServer> {
  const binary = executableOnPath('nats-server', options.searchPath);
  if (binary === undefined) {
    throw new StackStartError(
      'No NATS server: NATS_URL is not set and there is no nats-server on PATH. Install one ' +
        '(`apt-get install nats-server`, or a release from https://github.com/nats-io/nats-server/releases) ' +
        'or point NATS_URL at a NATS server with JetStream enabled.',
      'nats-server',
    );
  }
  mkdirSync(options.storeDir, { recursive: true });
  const child = await ManagedProcess.spawn({
    name: 'nats-server',
    command: binary,
    args: ['-js', '-a', '127.0.0.1', '-p', String(options.port), '-sd', options.storeDir],
    cwd: options.cwd,
    env: options.env,
    logFile: options.logFile,
    onUnexpectedExit: options.onUnexpectedExit,
  });
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  while (!(await greets(options.port))) {
    if (!child.running || Date.now() > deadline) {
      await child.stop(2000);
      throw new StackStartError(
        `nats-server did not start on 127.0.0.1:${options.port}. Last lines of ${options.logFile}:\n${child.tail()}`,
        'nats-server',
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url: `nats://127.0.0.1:${options.port}`, process: child };
}

// A NATS server sends `INFO {...}` first on every client connection.
function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connectTcp({ port, host: '127.0.0.1' });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (chunk: Buffer) => done(chunk.toString('latin1').startsWith('INFO ')));
  });
}
