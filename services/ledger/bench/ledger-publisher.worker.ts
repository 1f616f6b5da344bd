// Worker thread of ledger.bench.ts: publishes records to the ledger stream as the audit
// forwarder does under load (consecutive records in batches of at most `perMessage`, one message
// per batch), at a fixed rate or as fast as acks allow, on its own event loop so the publisher
// does not steal the writer's.
import { parentPort, workerData } from 'node:worker_threads';
import { envelope, MessageType, subjectsFor, type EvidenceRecord } from '@gatehouse/contracts';
import { createLogger } from '@gatehouse/logging';
import { connectBus, jetstream, publishDurable } from '@gatehouse/nats';

const { url, prefix, records, rate, perMessage } = workerData as {
  url: string;
  prefix: string;
  records: EvidenceRecord[];
  rate: number;
  perMessage: number;
};
const bus = await connectBus({
  url,
  name: 'bench-publisher',
  logger: createLogger({ service: 'bench', level: 'error' }),
});
const js = jetstream(bus);
const subject = subjectsFor(prefix).ledgerAppend;
// Publish time of each record, by position (epoch ms), sent back as one transferred buffer.
const times = new Float64Array(records.length);
let sequence = 0;

// Publishes records[from, to) in messages of at most `perMessage`; every record's publish time is
// its message's.
const send = (from: number, to: number): Promise<unknown>[] => {
  const sent: Promise<unknown>[] = [];
  for (let start = from; start < to; start += perMessage) {
    const batch = records.slice(start, Math.min(to, start + perMessage));
    const at = performance.timeOrigin + performance.now();
    times.fill(at, start, start + batch.length);
    sequence += 1;
    sent.push(
      publishDurable(
        js,
        subject,
        envelope(
          MessageType.LedgerAppend,
          { records: batch, stream: { sequence } },
          { id: `bench-${batch[0]?.id}` },
        ),
      ),
    );
  }
  return sent;
};
if (rate === 0) {
  // About 1000 records in flight, as before batching.
  const window = Math.max(perMessage, Math.floor(1000 / perMessage) * perMessage);
  for (let i = 0; i < records.length; i += window) {
    await Promise.all(send(i, Math.min(records.length, i + window)));
  }
} else {
  // Every 10 ms, publish what the rate allows up to now (acks awaited in the background): what
  // arrived during one turn leaves in as few messages as the batch limit allows, as audit does.
  const started = performance.now();
  const pending: Promise<unknown>[] = [];
  let sent = 0;
  while (sent < records.length) {
    const due = Math.min(records.length, Math.floor(((performance.now() - started) / 1000) * rate));
    if (due > sent) pending.push(...send(sent, due));
    sent = Math.max(sent, due);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await Promise.all(pending);
}
await bus.drain();
parentPort?.postMessage(times, [times.buffer]);
