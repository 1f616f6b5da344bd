import { createServer, type Server, type Socket } from 'node:net';
import type { SessionDeps } from '../session/session-deps.ts';
import { runClientSession } from '../session/client-session.ts';

/** The PostgreSQL listener: one independent session per connection. */
export class EdgeServer {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #sessions = new Set<Promise<void>>();

  constructor(private readonly deps: SessionDeps) {
    // allowHalfOpen: a client that half-closes still receives the answers to what it sent.
    this.#server = createServer({ noDelay: true, allowHalfOpen: true }, (socket) => this.accept(socket));
  }

  /** Starts listening; resolves with the bound port. */
  async listen(host: string, port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => resolve());
    });
    const address = this.#server.address();
    return typeof address === 'object' && address ? address.port : port;
  }

  /** Stops accepting, ends open sessions, and waits for their evidence to settle. */
  async close(graceMs = 5000): Promise<void> {
    // server.close() calls back only once every connection has ended, so end them first (and
    // destroy stragglers after a grace period); sessions then publish their closing evidence.
    const stopped = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const socket of this.#sockets) socket.end();
    const grace = setTimeout(() => {
      for (const socket of this.#sockets) socket.destroy();
    }, graceMs);
    await Promise.allSettled([...this.#sessions]);
    clearTimeout(grace);
    await stopped;
  }

  private accept(socket: Socket): void {
    this.#sockets.add(socket);
    // A session's failure is contained: log it and keep serving everyone else.
    const session = runClientSession(socket, this.deps)
      .catch((error: unknown) => {
        this.deps.logger.error({ err: error }, 'session failed');
        socket.destroy();
      })
      .finally(() => {
        this.#sockets.delete(socket);
        this.#sessions.delete(session);
      });
    this.#sessions.add(session);
    socket.on('error', () => undefined);
  }
}
