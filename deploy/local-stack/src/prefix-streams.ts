import { connect } from '@nats-io/transport-node';
import { streamDefinitions } from '@gatehouse/contracts';
import { jetstreamManager, streamNameFor } from '@gatehouse/nats';

/** Deletes the JetStream streams (and so their consumers) of one subject prefix; absent ones are skipped. */
export async function deletePrefixStreams(natsUrl: string, prefix: string): Promise<void> {
  const connection = await connect({ servers: natsUrl.split(','), name: 'gatehouse-local-stack' });
  try {
    const manager = await jetstreamManager(connection);
    for (const { name } of streamDefinitions) {
      await manager.streams.delete(streamNameFor(prefix, name)).catch(() => false);
    }
  } finally {
    await connection.close();
  }
}
