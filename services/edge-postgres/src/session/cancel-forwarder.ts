import { MessageType, decodeMessage, encodeMessage, envelope, subjectsFor } from '@gatehouse/contracts';
import type { Logger } from '@gatehouse/logging';
import type { NatsConnection, Subscription } from '@nats-io/nats-core';
import { instanceTagOf, type CancelRegistry } from './cancel-registry.ts';

/**
 * Makes a CancelRequest work whichever edge instance the load balancer sends it to. The instance
 * that receives it cancels locally when it holds the session; otherwise it publishes the key to
 * `<prefix>.edge-postgres.v1.cancel.<tag>`, the tag taken from the process id, where the holding
 * instance listens. Core NATS, no reply: PostgreSQL's cancel is best effort and answers nothing.
 */
export class CancelForwarder {
  readonly #subjects;
  #subscription: Subscription | undefined;

  constructor(
    private readonly bus: NatsConnection,
    prefix: string,
    private readonly registry: CancelRegistry,
    private readonly logger: Logger,
  ) {
    this.#subjects = subjectsFor(prefix);
  }

  /** Listens for cancels forwarded to this instance's tag. */
  start(): void {
    this.#subscription = this.bus.subscribe(
      this.#subjects.edgePostgresCancel(String(this.registry.instanceTag)),
      {
        callback: (error, message) => {
          if (error) return;
          try {
            const { body } = decodeMessage(MessageType.EdgeCancelRequest, message.data);
            this.registry.cancel(body.processId, Buffer.from(body.secretKey, 'hex'));
          } catch (invalid) {
            this.logger.warn({ err: invalid }, 'ignored an invalid forwarded cancel request');
          }
        },
      },
    );
  }

  /** Handles a client's CancelRequest: here when this instance holds it, else at the owner. */
  cancel(processId: number, secretKey: Buffer): void {
    if (this.registry.cancel(processId, secretKey)) return;
    if (this.registry.holds(processId)) return; // wrong secret: nothing to forward
    const tag = instanceTagOf(processId);
    if (tag === 0 || secretKey.length < 4 || secretKey.length > 256) return;
    try {
      this.bus.publish(
        this.#subjects.edgePostgresCancel(String(tag)),
        encodeMessage(
          envelope(MessageType.EdgeCancelRequest, { processId, secretKey: secretKey.toString('hex') }),
        ),
      );
    } catch (error) {
      this.logger.warn({ err: error }, 'could not forward a cancel request');
    }
  }

  /** Stops listening. */
  stop(): void {
    this.#subscription?.unsubscribe();
  }
}
