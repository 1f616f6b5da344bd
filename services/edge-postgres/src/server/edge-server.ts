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
  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const socket of this.#sockets) socket.end();
    await Promise.allSettled([...this.#sessions]);
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
