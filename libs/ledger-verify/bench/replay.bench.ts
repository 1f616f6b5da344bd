// Offline replay verification speed (issue #5 goal: >= 300k records/s with session chains), with
// no NATS or PostgreSQL: a realistic ledger built in memory, replayed by LogReplay as
// `gatehouse ledger verify` and the ledger's own replay do. Rows:
//   (a) leaf hashes + Merkle root (+ stored leaf hash comparison),
//   (b) the same + every session chain,
// beside baselines measured in the same run: one raw SHA-256 per record, and the hashing a full
// check cannot avoid (two SHA-256 over the record: leaf hash and chain hash; one node hash per
// leaf), which is the ceiling of (b). Also the chain-field read alone against a plain TextDecoder + JSON.parse.
// Run: node --import tsx libs/ledger-verify/bench/replay.bench.ts   (or: npm run bench -- ledger-verify)
// BENCH_RECORDS (default 200000) sets the ledger size.
import { hash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { rootOf } from '@gatehouse/merkle';
import { LogReplay, readChainFields } from '../src/index.ts';
import { replayWorkload } from './replay-workload.ts';

const RECORDS = Number(process.env['BENCH_RECORDS'] ?? 200_000);
const ROUNDS = 5;
const GOAL = 300_000;

const built = performance.now();
const workload = replayWorkload(RECORDS);
const { records, leafHashes } = workload;
const expectedRoot = Buffer.from(rootOf(leafHashes));
const bytes = records.reduce((sum, record) => sum + record.length, 0);
console.log(
  `${RECORDS.toLocaleString('en-US')} records (${Math.round(bytes / RECORDS)} B average canonical record), ` +
    `${workload.sessions.toLocaleString('en-US')} sessions, ${workload.reordered.toLocaleString('en-US')} records appended out of seq order; ` +
    `built in ${((performance.now() - built) / 1000).toFixed(1)} s`,
);

/** A measured case: `batch` processes every record once. */
interface Case {
  readonly name: string;
  readonly batch: () => void;
  readonly goal?: number;
}

/**
 * Median records/s of each case over ROUNDS rounds after a warm-up. Rounds interleave the cases,
 * so load from other work on the machine falls on all of them alike and the ratios hold.
 */
function measure(cases: readonly Case[]): number[] {
  for (const { batch } of cases) batch();
  const seconds = cases.map((): number[] => []);
  for (let round = 0; round < ROUNDS; round++) {
    cases.forEach(({ batch }, i) => {
      const started = performance.now();
      batch();
      seconds[i]?.push((performance.now() - started) / 1000);
    });
  }
  return seconds.map((times) => {
    times.sort((a, b) => a - b);
    return RECORDS / (times[Math.floor(ROUNDS / 2)] as number);
  });
}

function replay(chains: 'complete' | 'off'): void {
  const log = new LogReplay({ chains });
  for (let index = 0; index < RECORDS; index++) {
    log.add(index, records[index] as Buffer, leafHashes[index] as Buffer);
  }
  const { problems, chains: summary } = log.finish();
  if (problems.length > 0)
    throw new Error(`replay found ${problems.length} problems: ${problems[0]?.message}`);
  if (!Buffer.from(log.root()).equals(expectedRoot)) throw new Error('replay computed the wrong root');
  if (chains === 'complete' && summary?.closed !== workload.sessions)
    throw new Error('sessions not all closed');
}

const nodeInput = Buffer.alloc(65, 1);
const decoder = new TextDecoder('utf-8', { fatal: true });
let sink = 0;

// Baselines hash with latin1 ('binary', a byte string) output, the cheapest form node:crypto returns.
const cases: Case[] = [
  {
    name: 'baseline: raw SHA-256 of each record',
    batch: () => {
      for (const record of records) sink += hash('sha256', record, 'binary').length;
    },
  },
  {
    name: 'baseline: 2 record SHA-256 + 1 node SHA-256 (ceiling of b)',
    batch: () => {
      for (const record of records) {
        sink += hash('sha256', record, 'binary').length + hash('sha256', record, 'binary').length;
        sink += hash('sha256', nodeInput, 'binary').length;
      }
    },
  },
  { name: '(a) LogReplay: leaf hashes + root', batch: () => replay('off') },
  { name: '(b) LogReplay: leaf hashes + root + session chains', batch: () => replay('complete'), goal: GOAL },
  {
    name: 'baseline: TextDecoder + JSON.parse of each record',
    batch: () => {
      for (const record of records) sink += JSON.parse(decoder.decode(record)) === null ? 1 : 0;
    },
  },
  {
    name: 'readChainFields of each record',
    batch: () => {
      for (const record of records) sink += readChainFields(record)?.seq ?? 0;
    },
  },
];
const rates = measure(cases);
const [raw, ceiling] = rates as [number, number];
console.table(
  cases.map(({ name, goal }, i) => {
    const rate = rates[i] as number;
    return {
      case: name,
      'records/s': Math.round(rate).toLocaleString('en-US'),
      'µs/record': (1e6 / rate).toFixed(2),
      'x raw': (rate / raw).toFixed(2),
      'x ceiling': (rate / ceiling).toFixed(2),
      goal:
        goal === undefined ? '' : `>= ${goal.toLocaleString('en-US')}/s ${rate >= goal ? 'met' : 'NOT met'}`,
    };
  }),
);
if (sink === -1) console.log(sink);
