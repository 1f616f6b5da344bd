import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, createWriteStream, openSync } from 'node:fs';
import { logTail } from './log-tail.ts';

/** How a managed child process ended. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** What to run and where its output goes. */
export interface ManagedProcessOptions {
  /** Short name used in messages and log prefixes (`ledger`, `nats-server`). */
  name: string;
  command: string;
  args: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** File receiving stdout and stderr. */
  logFile: string;
  /** Keep what the file holds (a restart) instead of truncating it (default false). */
  appendLog?: boolean;
  /** Also hand every output line to this function (for `[service] line` echo). */
  echo?: ((line: string) => void) | undefined;
  /** Called when the process ends without {@link ManagedProcess.stop} having been asked. */
  onUnexpectedExit?: ((exit: ProcessExit) => void) | undefined;
}

/**
 * A child process the launcher owns. It runs in its own process group (`detached`) so that a
 * Ctrl-C in the terminal reaches only the launcher, which then stops the children in order:
 * services first, while NATS and PostgreSQL are still up to let them drain.
 */
export class ManagedProcess {
  readonly name: string;
  readonly logFile: string;
  readonly pid: number;
  /** Settles when the process has ended, for whatever reason. */
  readonly exited: Promise<ProcessExit>;
  #child: ChildProcess;
  #exit: ProcessExit | undefined;
  #stopping = false;

  private constructor(options: ManagedProcessOptions, child: ChildProcess) {
    this.name = options.name;
    this.logFile = options.logFile;
    this.#child = child;
    if (child.pid === undefined) throw new Error(`${options.name}: spawn returned no pid`);
    this.pid = child.pid;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.#exit = { code, signal };
        if (!this.#stopping) options.onUnexpectedExit?.(this.#exit);
        resolve(this.#exit);
      });
    });
  }

  /**
   * Starts the process. Resolves once it is spawned (not once it is ready).
   * @throws Error when the command cannot be executed at all (e.g. ENOENT).
   */
  static async spawn(options: ManagedProcessOptions): Promise<ManagedProcess> {
    const echo = options.echo;
    // Without echo the child writes straight into the log file, so its log stays complete even
    // if the launcher dies first; with echo the launcher tees the pipes.
    const flags = options.appendLog ? 'a' : 'w';
    const fd = echo ? undefined : openSync(options.logFile, flags);
    const child = spawn(options.command, [...options.args], {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: fd === undefined ? ['ignore', 'pipe', 'pipe'] : ['ignore', fd, fd],
    });
    if (fd !== undefined) closeSync(fd);
    else {
      const file = createWriteStream(options.logFile, { flags });
      for (const stream of [child.stdout, child.stderr]) {
        if (stream === null) continue;
        stream.pipe(file, { end: false });
        let partial = '';
        stream.on('data', (chunk: Buffer) => {
          const lines = (partial + chunk.toString('utf8')).split('\n');
          partial = lines.pop() ?? '';
          for (const line of lines) echo!(line);
        });
      }
      child.once('close', () => file.end());
    }
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    return new ManagedProcess(options, child);
  }

  /** Whether the process is still running. */
  get running(): boolean {
    return this.#exit === undefined;
  }

  /** How it ended, once it has. */
  get exit(): ProcessExit | undefined {
    return this.#exit;
  }

  /** The last lines of its log file. */
  tail(lines = 30): string {
    return logTail(this.logFile, lines);
  }

  /**
   * Asks the process to end with `signal` (default SIGTERM, for a graceful drain) and waits;
   * after `graceMs` it is killed with SIGKILL. Safe to call more than once.
   */
  async stop(graceMs = 10_000, signal: NodeJS.Signals = 'SIGTERM'): Promise<ProcessExit> {
    this.#stopping = true;
    if (this.#exit !== undefined) return this.#exit;
    this.#child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const killed = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.#child.kill('SIGKILL');
        resolve();
      }, graceMs);
    });
    await Promise.race([this.exited, killed]);
    clearTimeout(timer);
    return this.exited;
  }

  /** Synchronous last resort for `process.on('exit')`: sends SIGTERM and does not wait. */
  signalNow(signal: NodeJS.Signals = 'SIGTERM'): void {
    this.#stopping = true;
    if (this.#exit === undefined) this.#child.kill(signal);
  }
}
