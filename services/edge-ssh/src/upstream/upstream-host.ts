import { createHash } from 'node:crypto';
import ssh2, { type Client, type ClientChannel, type ConnectConfig } from 'ssh2';
import type { SshTarget } from '../targets/target-registry.ts';
import { UpstreamUnavailableError } from './upstream-unavailable-error.ts';

/**
 * The edge's own SSH connection to one target, opened on the first command of a client
 * connection and shared by its channels. It authenticates with the target's configured
 * credentials and, when `hostKeySha256` is configured, refuses any other host key.
 */
export class UpstreamHost {
  #client: Promise<Client> | undefined;
  #closed = false;

  constructor(
    private readonly target: SshTarget,
    private readonly timeoutMs: number,
  ) {}

  /** Connects (once; again after the connection dropped). Fails with DependencyUnavailableError. */
  connect(): Promise<Client> {
    if (this.#closed) return Promise.reject(this.unavailable('the client connection is closing'));
    this.#client ??= this.open().catch((error: unknown) => {
      this.#client = undefined;
      throw error;
    });
    return this.#client;
  }

  /** Starts `command` on the target (no pseudo-terminal); the channel carries its stdin, output and exit. */
  async exec(command: string): Promise<ClientChannel> {
    const client = await this.connect();
    return new Promise((resolve, reject) => {
      client.exec(command, (error, channel) => {
        if (error) reject(this.unavailable(`the command could not start: ${error.message}`, error));
        else resolve(channel);
      });
    });
  }

  /** Closes the connection; later calls fail. */
  close(): void {
    this.#closed = true;
    void this.#client?.then(
      (client) => client.end(),
      () => undefined,
    );
  }

  private open(): Promise<Client> {
    const target = this.target;
    let hostKeyMismatch = false;
    const config: ConnectConfig = {
      host: target.host,
      port: target.port,
      username: target.user,
      readyTimeout: this.timeoutMs,
      keepaliveInterval: 15_000,
      hostVerifier: (key: Buffer) => {
        if (target.hostKeySha256 === undefined) return true;
        const actual = createHash('sha256').update(key).digest('base64').replace(/=+$/, '');
        hostKeyMismatch = actual !== target.hostKeySha256;
        return !hostKeyMismatch;
      },
    };
    if (target.privateKey !== undefined) config.privateKey = target.privateKey;
    if (target.passphrase !== undefined) config.passphrase = target.passphrase;
    if (target.password !== undefined) config.password = target.password;
    return new Promise((resolve, reject) => {
      const client = new ssh2.Client();
      const fail = (error: Error): void => {
        client.end();
        reject(
          this.unavailable(hostKeyMismatch ? 'host key does not match hostKeySha256' : error.message, error),
        );
      };
      client.once('error', fail);
      client.once('ready', () => {
        client.off('error', fail);
        // Later errors end the connection; 'close' lets the next command reconnect.
        client.on('error', () => undefined);
        client.once('close', () => (this.#client = undefined));
        resolve(client);
      });
      client.connect(config);
    });
  }

  /** The client sees only the target's name; `detail` (addresses, host key trouble) is for the logs. */
  private unavailable(detail: string, cause?: unknown): UpstreamUnavailableError {
    return new UpstreamUnavailableError(`target ${this.target.name} is unavailable`, detail, cause);
  }
}
