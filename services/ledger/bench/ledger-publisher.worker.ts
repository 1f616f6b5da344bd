// Worker thread of ledger.bench.ts: publishes records to the ledger stream as the audit
// forwarder does (message id = record id), at a fixed rate or as fast as acks allow, on its own
// event loop so the publisher does not steal the writer's.
import { parentPort, workerData } from 'node:worker_threads';
import { envelope, MessageType, subjectsFor, type EvidenceRecord } from '@gatehouse/contracts';
import { createLogger } from '@gatehouse/logging';
import { connectBus, jetstream, publishDurable } from '@gatehouse/nats';

const { url, prefix, records, rate } = workerData as {
  url: string;
  prefix: string;
  records: EvidenceRecord[];
  rate: number;
};
const bus = await connectBus({
  url,
  name: 'bench-publisher',
  logger: createLogger({ service: 'bench', level: 'error' }),
});
const js = jetstream(bus);
const subject = subjectsFor(prefix).ledgerAppend;
const times: [string, number][] = [];
const send = (record: EvidenceRecord) => {
  times.push([record.id, performance.timeOrigin + performance.now()]);
  return publishDurable(
    js,
    subject,
    envelope(MessageType.LedgerAppend, { record, stream: { sequence: 1 } }, { id: record.id }),
  );
};
if (rate === 0) {
  for (let i = 0; i < records.length; i += 1000) await Promise.all(records.slice(i, i + 1000).map(send));
} else {
  // Every 10 ms, publish what the rate allows up to now (acks awaited in the background).
  const started = performance.now();
  const pending: Promise<unknown>[] = [];
  let sent = 0;
  while (sent < records.length) {
    const due = Math.min(records.length, Math.floor(((performance.now() - started) / 1000) * rate));
    while (sent < due) pending.push(send(records[sent++] as EvidenceRecord));
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await Promise.all(pending);
}
await bus.drain();
parentPort?.postMessage(times);
