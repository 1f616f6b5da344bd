import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { connect } from 'node:net';
import { encodeCancelRequest } from '@gatehouse/pg-wire';
import type { PostgresTarget } from '../targets/target-registry.ts';

interface CancelEntry {
  secret: Buffer;
  target: PostgresTarget;
  upstream: { processId: number; secretKey: number };
}

/**
 * Maps the BackendKeyData the edge hands out to the upstream's own key, so a CancelRequest sent
 * to the edge cancels the right upstream query. Clients never learn the upstream key.
 */
export class CancelRegistry {
  readonly #entries = new Map<number, CancelEntry>();

  /** Issues an edge key for a session; `release` it when the session ends. */
  issue(
    target: PostgresTarget,
    upstream: { processId: number; secretKey: number },
  ): { processId: number; secretKey: Buffer } {
    let processId = randomInt(1, 2 ** 31 - 1);
    while (this.#entries.has(processId)) processId = randomInt(1, 2 ** 31 - 1);
    const secret = randomBytes(4);
    this.#entries.set(processId, { secret, target, upstream });
    return { processId, secretKey: secret };
  }

  /** Forgets a session's key. */
  release(processId: number): void {
    this.#entries.delete(processId);
  }

  /** Forwards a cancel when the key matches (compared in constant time); returns whether it did. */
  cancel(processId: number, secretKey: Buffer): boolean {
    const entry = this.#entries.get(processId);
    if (!entry || entry.secret.length !== secretKey.length || !timingSafeEqual(entry.secret, secretKey))
      return false;
    const upstreamSecret = Buffer.alloc(4);
    upstreamSecret.writeInt32BE(entry.upstream.secretKey);
    const socket = connect({ host: entry.target.host, port: entry.target.port }, () => {
      socket.end(encodeCancelRequest(entry.upstream.processId, upstreamSecret));
    });
    socket.on('error', () => socket.destroy());
    socket.setTimeout(5000, () => socket.destroy());
    return true;
  }
}
