export { requestMessage, type RequestOptions } from './bus-request.ts';
export { connectBus, type BusConnectionOptions } from './connect-bus.ts';
export {
  runDurableConsumer,
  type DurableConsumerOptions,
  type ReceivedMessage,
  type RunningConsumer,
} from './durable-consumer.ts';
export { DurablePublisher, evidenceNotStored, publishDurable } from './durable-publisher.ts';
export { JetStreamAcks, type AckCallback, type JetStreamAcksOptions } from './jetstream-acks.ts';
export { serveRequests, type ReplyServerOptions } from './reply-server.ts';
export { ensureStreams, streamNameFor, streamsPresent, type StreamName } from './stream-setup.ts';
export { childTraceparent, newTraceparent, traceHeaders, traceparentOf } from './trace-context.ts';
export type { NatsConnection } from '@nats-io/nats-core';
export { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
