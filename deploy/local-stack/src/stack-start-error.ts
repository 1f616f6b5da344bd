import { GatehouseError } from '@gatehouse/errors';

/** The local stack could not start; the message says which part failed and shows its log tail. */
export class StackStartError extends GatehouseError {
  readonly code = 'stack_start_failed';
  constructor(
    message: string,
    /** What failed: a service name, `nats-server`, `postgres`, `issuer`, `ports` or `databases`. */
    readonly component: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
