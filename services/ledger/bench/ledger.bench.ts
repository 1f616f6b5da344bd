// Ledger benchmark: real NATS JetStream and real PostgreSQL (NATS_URL / DATABASE_URL or the local
// defaults). Prints durable append throughput, ack latency, checkpoint lag, offline replay
// verification speed and proof latency. Bounded: about a minute on a 2-core machine.
//
//   node --import tsx services/ledger/bench/ledger.bench.ts
//
// BENCH_BACKLOG (default 50000) records are appended from a backlog; BENCH_RATE (default 10000)
// records/s are then offered for BENCH_SECONDS (default 5) to measure latency under load;
// BENCH_BATCH (default 1000, LEDGER_BATCH_SIZE) caps records per transaction;
// BENCH_RECORDS_PER_MESSAGE (default 64) caps records per ledger append message, as audit batches
// evidence under load (1 publishes one record per message, as before batching).
import { Worker } from 'node:worker_threads';
import { readFile } from 'node:fs/promises';
import { LedgerClient, LogReplay, verifyBundle, verifyLedger } from '@gatehouse/ledger-verify';
import {
  evidenceRecords,
  startLedgerHarness,
  startLedgerReplica,
  waitFor,
  type LedgerReplica,
} from '../src/ledger-harness.fixture.ts';
import type { EvidenceRecord } from '@gatehouse/contracts';
import type { CommittedBatch } from '../src/writer/ledger-writer.ts';

const BACKLOG = Number(process.env['BENCH_BACKLOG'] ?? 50_000);
const RATE = Number(process.env['BENCH_RATE'] ?? 10_000);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5);
const BATCH = process.env['BENCH_BATCH'] ?? '1000';
const PER_MESSAGE = Number(process.env['BENCH_RECORDS_PER_MESSAGE'] ?? 64);

const now = () => performance.timeOrigin + performance.now();

function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

/** What the bench keeps of a committed transaction (not its messages: see `transactions`). */
interface TransactionSummary {
  records: number;
  messages: number;
  ms: number;
}

function describeTransactions(transactions: readonly TransactionSummary[]): string {
  const ms = transactions.map((transaction) => transaction.ms);
  const records = Math.round(
    quantile(
      transactions.map((transaction) => transaction.records),
      0.5,
    ),
  );
  const messages = Math.round(
    quantile(
      transactions.map((transaction) => transaction.messages),
      0.5,
    ),
  );
  return `${transactions.length} transactions, median ${records} records in ${messages} messages, p50 ${quantile(ms, 0.5).toFixed(1)} ms, p99 ${quantile(ms, 0.99).toFixed(1)} ms`;
}

const rows: [string, string, string][] = [];
function report(what: string, value: string, goal = ''): void {
  rows.push([what, value, goal]);
  console.error(`  ${what}: ${value}`);
}

/**
 * Publishes records from a worker thread (its own event loop, like a separate audit service) in
 * messages of at most PER_MESSAGE records, at `rate` records/s or as fast as acks allow; resolves
 * to each record's publish time (that of the message carrying it), by position. The times come
 * back as one transferred buffer: cloning tens of thousands of entries would stall this event
 * loop, which is the writer's, while the last records are still being committed.
 */
function publish(
  harness: { nats: { url: string; prefix: string } },
  records: readonly unknown[],
  rate: number,
): Promise<Float64Array> {
  const worker = new Worker(new URL('./ledger-publisher.worker.ts', import.meta.url), {
    workerData: {
      url: harness.nats.url,
      prefix: harness.nats.prefix,
      records,
      rate,
      perMessage: PER_MESSAGE,
    },
    execArgv: ['--import', 'tsx'],
  });
  return new Promise((resolve, reject) => {
    worker.once('message', (times: Float64Array) => resolve(times));
    worker.once('error', reject);
  });
}

const harness = await startLedgerHarness('ledger_bench');
try {
  console.error(
    `ledger bench: backlog ${BACKLOG}, then ${RATE}/s for ${SECONDS}s, at most ${PER_MESSAGE} records per message, transactions of about ${BATCH}`,
  );
  // Every record is built before the writer starts (building them takes the event loop the writer
  // runs on for a second or more) and dropped once handed to the publisher: this process is the
  // writer's, and what the bench holds on to would be the writer's garbage collection work.
  let backlog: EvidenceRecord[] | undefined = evidenceRecords(Math.ceil(BACKLOG / 50), 50, 'backlog').slice(
    0,
    BACKLOG,
  );
  let paced: EvidenceRecord[] | undefined = evidenceRecords(
    Math.ceil((RATE * SECONDS) / 50),
    50,
    'paced',
  ).slice(0, RATE * SECONDS);
  const pacedIds = paced.map((record) => record.id);
  // 1. Durable throughput: drain a backlog already in the stream.
  const publishStarted = now();
  const publishingBacklog = publish(harness, backlog, 0);
  backlog = undefined;
  await publishingBacklog;
  report(
    'publish backlog (JetStream acks)',
    `${Math.round(BACKLOG / ((now() - publishStarted) / 1000))} records/s`,
  );

  const replica: LedgerReplica = await startLedgerReplica(harness, {
    LOG_LEVEL: 'warn',
    LEDGER_BATCH_SIZE: BATCH,
  });
  // Summaries only: keeping the committed messages would keep every record alive.
  const transactions: TransactionSummary[] = [];
  const summary = (batch: CommittedBatch): TransactionSummary => ({
    records: batch.result.appended,
    messages: batch.messages.length,
    ms: batch.transactionMs,
  });
  const lags: number[] = [];
  const signing: number[] = [];
  let committed = 0;
  let signedSize = 0;
  let firstCommit = 0;
  let lastCommit = 0;
  replica.writer.observe({
    committed: (batch) => {
      firstCommit ||= now();
      lastCommit = now();
      committed += batch.result.appended;
      transactions.push(summary(batch));
    },
    checkpointSigned: ({ size, lagMs, signMs }) => {
      signedSize = Math.max(signedSize, size);
      lags.push(lagMs);
      signing.push(signMs);
    },
  });
  await waitFor('backlog appended', () => committed >= BACKLOG, 300_000);
  const drainSeconds = (lastCommit - firstCommit) / 1000;
  report('durable append from the stream', `${Math.round(BACKLOG / drainSeconds)} records/s`, '>= 10000/s');
  report('append transaction (backlog)', describeTransactions(transactions));

  // 2. Latency under a steady offered load, per record: from the publish of the message carrying
  // it (or from the writer receiving that message) to the ack of that message after its commit.
  // The backlog's last checkpoint is its own phase's.
  await waitFor('backlog checkpoint', () => signedSize >= BACKLOG);
  transactions.length = 0;
  lags.length = 0;
  signing.length = 0;
  const ackedAt = new Map<string, number>();
  const receivedToAck: number[] = [];
  replica.writer.observe({
    committed: (batch) => {
      const at = now();
      const ackedPerf = performance.now();
      for (const { message, receivedAt } of batch.messages) {
        for (const record of message.body.records) {
          ackedAt.set(record.id, at);
          receivedToAck.push(ackedPerf - receivedAt);
        }
      }
    },
  });
  const publishingPaced = publish(harness, paced, RATE);
  paced = undefined;
  const published = await publishingPaced;
  // From the first publish to the last (the worker's start-up is not offered load).
  const offeredSeconds = ((published.at(-1) as number) - (published[0] as number)) / 1000;
  await waitFor('paced records appended', () => ackedAt.size >= pacedIds.length, 120_000);
  const endToEnd = pacedIds.map(
    (id, position) => (ackedAt.get(id) as number) - (published[position] as number),
  );
  report(
    'offered load',
    `${Math.round(pacedIds.length / offeredSeconds)} records/s for ${offeredSeconds.toFixed(1)} s`,
  );
  report(
    'ack latency, ledger received -> committed and acked',
    `p50 ${quantile(receivedToAck, 0.5).toFixed(1)} ms, p99 ${quantile(receivedToAck, 0.99).toFixed(1)} ms`,
    'p99 <= 25 ms',
  );
  report(
    'ack latency, published -> committed and acked',
    `p50 ${quantile(endToEnd, 0.5).toFixed(1)} ms, p99 ${quantile(endToEnd, 0.99).toFixed(1)} ms`,
  );
  report('append transaction (offered load)', describeTransactions(transactions));
  await new Promise((resolve) => setTimeout(resolve, 1500));
  report(
    'checkpoint lag (commit -> signed checkpoint)',
    `max ${Math.max(...lags).toFixed(0)} ms, p50 ${quantile(lags, 0.5).toFixed(0)} ms over ${lags.length} checkpoints (signing and storing: max ${Math.max(...signing).toFixed(0)} ms)`,
    '<= 1000 ms',
  );

  // 3. Offline replay verification over every stored entry.
  const total = BACKLOG + pacedIds.length;
  const stored = await replica.runtime.db
    .selectFrom('ledger_entries')
    .select(['idx', 'record', 'leaf_hash'])
    .orderBy('idx')
    .execute();
  for (const [label, chains] of [
    ['replay verification (leaf hashes, root, session chains)', 'complete'],
    ['replay verification (leaf hashes and root only)', 'off'],
  ] as const) {
    const started = performance.now();
    const replay = new LogReplay({ chains });
    for (const row of stored) replay.add(Number(row.idx), row.record, row.leaf_hash);
    const { problems } = replay.finish();
    if (problems.length > 0 || replay.size !== total) {
      throw new Error(
        `replay of ${replay.size} entries (expected ${total}) found ${problems.length} problems`,
      );
    }
    report(
      label,
      `${Math.round(total / ((performance.now() - started) / 1000))} records/s`,
      chains === 'complete' ? '>= 300000/s' : '',
    );
  }

  // 4. Proof latency over HTTP (auditor token, guard included), and bundle verification.
  const token = await harness.issuer.mintToken({ sub: 'bench', groups: ['auditors'] });
  const api = (path: string) =>
    fetch(`${replica.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  for (const [label, path] of [
    ['GET /v1/entries/{index} (entry + inclusion proof)', (i: number) => `/v1/entries/${i}`],
    ['GET /v1/proof/inclusion?index', (i: number) => `/v1/proof/inclusion?index=${i}`],
    ['GET /v1/proof/consistency?from', (i: number) => `/v1/proof/consistency?from=${i + 1}`],
  ] as const) {
    const times: number[] = [];
    for (let n = 0; n < 300; n++) {
      const index = Math.floor(Math.random() * (total - 1));
      const started = performance.now();
      const response = await api(path(index));
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`${path(index)} answered ${response.status}`);
      times.push(performance.now() - started);
    }
    report(label, `p50 ${quantile(times, 0.5).toFixed(2)} ms, p99 ${quantile(times, 0.99).toFixed(2)} ms`);
  }
  const exportStarted = performance.now();
  const bundle = await (await api('/v1/export?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z')).text();
  report(
    'GET /v1/export (all entries, streamed)',
    `${Math.round(total / ((performance.now() - exportStarted) / 1000))} records/s, ${(bundle.length / 1e6).toFixed(0)} MB`,
  );
  const lines = bundle.split('\n').filter((line) => line.length > 0);
  const verifierKey = (await readFile(`${harness.keyFile}.pub`, 'utf8')).trim();
  const bundleStarted = performance.now();
  const bundleReport = await verifyBundle(lines, { verifierKey });
  if (!bundleReport.ok) throw new Error('bundle did not verify');
  report(
    'bundle verification (proofs, fences, chains)',
    `${Math.round(total / ((performance.now() - bundleStarted) / 1000))} records/s`,
  );
  const liveStarted = performance.now();
  const live = await verifyLedger({ client: new LedgerClient({ baseUrl: replica.url, token }), verifierKey });
  if (!live.report.ok) throw new Error('live verification failed');
  report(
    'live verification through the API',
    `${Math.round(total / ((performance.now() - liveStarted) / 1000))} records/s`,
  );
  await replica.stop();
} finally {
  await harness.stop();
}

const width = Math.max(...rows.map(([what]) => what.length));
console.log(`\n${'measure'.padEnd(width)}  result  (goal)`);
for (const [what, value, goal] of rows)
  console.log(`${what.padEnd(width)}  ${value}${goal ? `  (goal ${goal})` : ''}`);
process.exit(0);
