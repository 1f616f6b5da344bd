import type { Logger } from 'pino';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import { DependencyUnavailableError } from '@gatehouse/errors';

/** Options for a service's one NATS connection. */
export interface BusConnectionOptions {
  /** nats:// URL(s), comma-separated for a cluster. */
  url: string;
  /** Connection name shown by the server (service name and instance). */
  name: string;
  logger: Logger;
}

/**
 * Connects with unlimited reconnects: a service outlives NATS restarts, and every request made
 * while disconnected fails fast (the callers refuse) instead of being queued forever.
 */
export async function connectBus(options: BusConnectionOptions): Promise<NatsConnection> {
  let connection: NatsConnection;
  try {
    connection = await connect({
      servers: options.url.split(','),
      name: options.name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      waitOnFirstConnect: false,
      // Otherwise every request captures a stack trace up front, in case it fails: a cost on
      // each authz decision and masking batch for a trace our errors already name.
      noAsyncTraces: true,
    });
  } catch (cause) {
    throw new DependencyUnavailableError(`cannot connect to NATS at ${options.url}`, 'nats', { cause });
  }
  void logStatus(connection, options.logger);
  return connection;
}

async function logStatus(connection: NatsConnection, logger: Logger): Promise<void> {
  for await (const status of connection.status()) {
    if (status.type === 'disconnect' || status.type === 'error')
      logger.warn({ nats: status.type }, 'NATS connection trouble');
    else if (status.type === 'reconnect') logger.info('NATS reconnected');
  }
}
