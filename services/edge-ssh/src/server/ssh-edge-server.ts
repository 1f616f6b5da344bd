import { createServer, type Server as NetServer, type Socket } from 'node:net';
import ssh2, { type ClientInfo, type Connection, type Server as SshServer } from 'ssh2';
import { ClientConnection } from '../session/client-connection.ts';
import type { ConnectionDeps } from '../session/connection-deps.ts';

/** Like OpenSSH's LoginGraceTime: a connection must authenticate within this time. */
const LOGIN_GRACE_MS = 60_000;

/** Software version the edge announces (RFC 4253 section 4.2: no spaces or minus signs). */
const IDENT = 'Gatehouse_0.1';

/**
 * The SSH listener: a plain TCP server whose sockets are handed to ssh2 (so the edge owns every
 * socket: login grace timers, shutdown), one independent {@link ClientConnection} per socket.
 * A connection's failure (malformed packets, a crashed handler) is contained and logged.
 */
export class SshEdgeServer {
  readonly #tcp: NetServer;
  readonly #ssh: SshServer;
  readonly #sockets = new Map<string, Socket>();
  readonly #authenticated = new WeakSet<Socket>();
  readonly #connections = new Set<Promise<void>>();

  constructor(
    hostKey: string,
    private readonly deps: ConnectionDeps,
  ) {
    this.#ssh = new ssh2.Server(
      { hostKeys: [hostKey], ident: IDENT },
      (connection: Connection, info: ClientInfo) => this.serve(connection, info),
    );
    this.#ssh.on('error', (error: Error) => deps.logger.warn({ err: error }, 'ssh server error'));
    this.#tcp = createServer({ noDelay: true }, (socket) => this.accept(socket));
  }

  /** Starts listening; resolves with the bound port. */
  async listen(host: string, port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#tcp.once('error', reject);
      this.#tcp.listen(port, host, () => {
        this.#tcp.off('error', reject);
        resolve();
      });
    });
    const address = this.#tcp.address();
    return typeof address === 'object' && address ? address.port : port;
  }

  /**
   * Stops accepting, ends open connections (clients that do not close within `graceMs` are cut
   * off), and waits for their evidence to settle.
   */
  async close(graceMs = 5000): Promise<void> {
    const stopped = new Promise<void>((resolve) => this.#tcp.close(() => resolve()));
    for (const socket of this.#sockets.values()) socket.end();
    const cutOff = setTimeout(() => {
      for (const socket of this.#sockets.values()) socket.destroy();
    }, graceMs);
    await Promise.allSettled([...this.#connections]);
    clearTimeout(cutOff);
    await stopped;
  }

  private accept(socket: Socket): void {
    const key = socketKey(socket.remoteAddress, socket.remotePort);
    this.#sockets.set(key, socket);
    socket.on('error', () => undefined);
    const grace = setTimeout(() => {
      if (!this.#authenticated.has(socket)) socket.destroy();
    }, LOGIN_GRACE_MS);
    socket.once('close', () => {
      clearTimeout(grace);
      this.#sockets.delete(key);
    });
    this.#ssh.injectSocket(socket);
  }

  private serve(connection: Connection, info: ClientInfo): void {
    const socket = this.#sockets.get(socketKey(info.ip, info.port));
    const client = new ClientConnection(connection, info, this.deps, () => {
      if (socket) this.#authenticated.add(socket);
    });
    const served = client
      .run()
      .catch((error: unknown) => {
        this.deps.logger.error({ err: error, session: client.id }, 'connection failed');
        socket?.destroy();
      })
      .finally(() => this.#connections.delete(served));
    this.#connections.add(served);
  }
}

function socketKey(address: string | undefined, port: number | undefined): string {
  return `${address ?? ''}|${port ?? 0}`;
}
