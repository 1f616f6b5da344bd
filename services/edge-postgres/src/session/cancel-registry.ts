import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { connect } from 'node:net';
import { encodeCancelRequest } from '@gatehouse/pg-wire';
import type { PostgresTarget } from '../targets/target-registry.ts';

interface CancelEntry {
  secret: Buffer;
  target: PostgresTarget;
  upstream: { processId: number; secretKey: number };
}

/** Bits of an edge-issued process id that name the edge instance holding the session. */
export const INSTANCE_TAG_BITS = 10;
const SESSION_BITS = 31 - INSTANCE_TAG_BITS;
/** Largest instance tag (tags are 1..MAX_INSTANCE_TAG, so a process id is never 0). */
export const MAX_INSTANCE_TAG = 2 ** INSTANCE_TAG_BITS - 1;

/** The instance tag encoded in an edge-issued process id. */
export function instanceTagOf(processId: number): number {
  return (processId >>> SESSION_BITS) & MAX_INSTANCE_TAG;
}

/** A random instance tag for a starting edge process. */
export function randomInstanceTag(): number {
  return randomInt(1, MAX_INSTANCE_TAG + 1);
}

/**
 * Maps the BackendKeyData the edge hands out to the upstream's own key, so a CancelRequest sent
 * to the edge cancels the right upstream query. Clients never learn the upstream key.
 *
 * A process id carries the issuing instance's tag in its top bits (below the sign bit), so an
 * edge instance that receives a CancelRequest for a session it does not hold knows which
 * instance to forward it to (over NATS; see cancel-forwarder.ts). Two instances that drew the same
 * tag both receive such a forward; only the holder of the key acts on it.
 */
export class CancelRegistry {
  readonly #entries = new Map<number, CancelEntry>();

  constructor(
    /** This instance's tag, 1..{@link MAX_INSTANCE_TAG}. */
    readonly instanceTag: number = randomInstanceTag(),
  ) {
    if (!Number.isInteger(instanceTag) || instanceTag < 1 || instanceTag > MAX_INSTANCE_TAG)
      throw new RangeError(`instance tag must be 1..${MAX_INSTANCE_TAG}, got ${instanceTag}`);
  }

  /** Sessions holding a key. */
  get size(): number {
    return this.#entries.size;
  }

  /** Issues an edge key for a session; `release` it when the session ends. */
  issue(
    target: PostgresTarget,
    upstream: { processId: number; secretKey: number },
  ): { processId: number; secretKey: Buffer } {
    const base = this.instanceTag * 2 ** SESSION_BITS;
    let processId = base + randomInt(1, 2 ** SESSION_BITS);
    while (this.#entries.has(processId)) processId = base + randomInt(1, 2 ** SESSION_BITS);
    const secret = randomBytes(4);
    this.#entries.set(processId, { secret, target, upstream });
    return { processId, secretKey: secret };
  }

  /** Forgets a session's key. */
  release(processId: number): void {
    this.#entries.delete(processId);
  }

  /** Whether this instance holds the session with this process id. */
  holds(processId: number): boolean {
    return this.#entries.has(processId);
  }

  /**
   * Sends the upstream CancelRequest when this instance holds the key and the secret matches
   * (compared in constant time); returns whether it did. Like PostgreSQL, never says why not.
   */
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
