import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import { streamDefinitions } from '@gatehouse/contracts';

/** A stream's logical name in deploy/nats/streams.json. */
export type StreamName = (typeof streamDefinitions)[number]['name'];

/** The deployed stream name for a prefix: `gatehouse` + `EVIDENCE` → `GATEHOUSE_EVIDENCE`. */
export function streamNameFor(prefix: string, name: StreamName): string {
  return `${prefix.toUpperCase().replaceAll('-', '_')}_${name}`;
}

/**
 * Creates (or updates) the named streams and their durable consumers; safe to call from every
 * replica at every start (DESIGN.md section 4: defined as code, created idempotently).
 */
export async function ensureStreams(
  jsm: JetStreamManager,
  prefix: string,
  names: readonly StreamName[],
): Promise<void> {
  for (const definition of streamDefinitions.filter((stream) => names.includes(stream.name))) {
    const config = {
      name: streamNameFor(prefix, definition.name),
      subjects: definition.subjects.map((subject) => subject.replace('{prefix}', prefix)),
      storage: definition.storage === 'file' ? StorageType.File : StorageType.Memory,
      retention: definition.retention === 'interest' ? RetentionPolicy.Interest : RetentionPolicy.Limits,
      discard: definition.discard === 'new' ? DiscardPolicy.New : DiscardPolicy.Old,
      ...('maxAgeSeconds' in definition ? { max_age: nanos(definition.maxAgeSeconds * 1000) } : {}),
      ...('maxMessages' in definition ? { max_msgs: definition.maxMessages } : {}),
      duplicate_window: nanos(definition.duplicateWindowSeconds * 1000),
    };
    const exists = await jsm.streams.info(config.name).then(
      () => true,
      () => false,
    );
    if (exists) {
      // JetStream cannot change a stream's retention policy in place; a stream created by an
      // older definition keeps its retention and takes every other setting.
      const { retention: _fixedRetention, ...mutable } = config;
      await jsm.streams.update(config.name, mutable);
    } else {
      await jsm.streams.add(config);
    }
    for (const consumer of definition.consumers) {
      const consumerConfig = {
        durable_name: consumer.durable,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        ack_wait: nanos(consumer.ackWaitSeconds * 1000),
        max_deliver: consumer.maxDeliver,
        max_ack_pending: consumer.maxAckPending,
        ...('filterSubject' in consumer
          ? { filter_subject: consumer.filterSubject.replace('{prefix}', prefix) }
          : {}),
      };
      const consumerExists = await jsm.consumers.info(config.name, consumer.durable).then(
        () => true,
        () => false,
      );
      if (consumerExists) await jsm.consumers.update(config.name, consumer.durable, consumerConfig);
      else await jsm.consumers.add(config.name, consumerConfig);
    }
  }
}

/** Whether every named stream exists (for /readyz). */
export async function streamsPresent(
  jsm: JetStreamManager,
  prefix: string,
  names: readonly StreamName[],
): Promise<boolean> {
  for (const name of names) {
    const found = await jsm.streams.info(streamNameFor(prefix, name)).then(
      () => true,
      () => false,
    );
    if (!found) return false;
  }
  return true;
}
