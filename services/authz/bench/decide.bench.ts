/**
 * authz speed: `node --import tsx services/authz/bench/decide.bench.ts` (NATS at NATS_URL or
 * 127.0.0.1:4222 for the round-trip part; `--no-nats` skips it).
 *
 * Per instance (one thread, no bus): classifications/s and decisions/s, cold (every statement
 * new: identifiers and tables vary, so the fingerprint changes and nothing is cached) and cached
 * (a working set of repeated statements hits the classification LRU), each against the same work
 * without the cache in the same run. Then decide round trips/s over real NATS: one authz process
 * (services/authz/src/main.ts, the demo policy) and N concurrent requesters on one connection, as
 * an edge makes them. Goals (issue #3): >= 50k cached decisions/s, < 50 us median classification
 * of a typical statement.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { existsSync, readFileSync } from 'node:fs';
import { connect } from '@nats-io/transport-node';
import { MessageType, decodeMessage, envelope, subjectsFor } from '@gatehouse/contracts';
import { requestMessage, type NatsConnection } from '@gatehouse/nats';
import { demoPolicyPath, loadPolicy } from '@gatehouse/policy';
import { createSqlClassifier } from '@gatehouse/sql-risk';
import { uniquePrefix } from '@gatehouse/testing';
import { decideRequest } from '../src/decision/decision-request.fixture.ts';
import { DecisionService, replyProblems, type DecideRequest } from '../src/decision/decision-service.ts';
import { OperationClassifier } from '../src/decision/operation-classifier.ts';

const TYPICAL = 'SELECT id, name, email FROM customers WHERE id = $1';
const WORKING_SET = 200;
// The machine is shared: each case runs several rounds and reports its best round.
const ROUNDS = 5;

interface Row {
  readonly name: string;
  readonly opsPerSecond: number;
  readonly medianMicros: number;
}

/** Times every call (a classification is well above timer resolution) and reports the best round. */
function measure(name: string, run: (i: number) => unknown, samples: number): Row {
  let offset = 0;
  for (let i = 0; i < Math.min(2000, samples); i += 1) run(offset++);
  let best: Row = { name, opsPerSecond: 0, medianMicros: Number.POSITIVE_INFINITY };
  const times = new Float64Array(samples);
  for (let round = 0; round < ROUNDS; round += 1) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < samples; i += 1) {
      const before = process.hrtime.bigint();
      run(offset++);
      times[i] = Number(process.hrtime.bigint() - before) / 1000;
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    times.sort();
    const median = times[samples >> 1] ?? 0;
    if (median < best.medianMicros) best = { name, opsPerSecond: samples / seconds, medianMicros: median };
  }
  return best;
}

/** A statement no earlier call used: new table, column and alias names change the fingerprint. */
function coldSql(i: number): string {
  return `SELECT c${i}.id, c${i}.email_${i % 97} FROM customers_${i} c${i} WHERE c${i}.id = $1`;
}

function coldShell(i: number): string {
  return `grep -n pattern_${i} /var/log/app_${i}.log | tail -n ${i % 50}`;
}

const workingSql = Array.from({ length: WORKING_SET }, (_, i) => coldSql(1_000_000_000 + i));
const workingShell = Array.from({ length: WORKING_SET }, (_, i) => coldShell(1_000_000_000 + i));

const sqlClassifier = await createSqlClassifier();
const policy = loadPolicy(readFileSync(demoPolicyPath, 'utf8'));
const uncached = new OperationClassifier(sqlClassifier, { cacheSize: 0, maxTextBytes: 1_048_576 });
const cached = new OperationClassifier(sqlClassifier, { cacheSize: 10_000, maxTextBytes: 1_048_576 });
const uncachedDecisions = new DecisionService(uncached, () => policy);
const cachedDecisions = new DecisionService(cached, () => policy);

const sqlRequests: DecideRequest[] = workingSql.map((text) => decideRequest('sql', text));
const shellRequests: DecideRequest[] = workingShell.map((text) => decideRequest('shell', text));
const typicalDecision = uncachedDecisions.decide(decideRequest('sql', TYPICAL));

const rows: Row[] = [
  measure('sql-risk classify, typical statement', () => sqlClassifier.classify(TYPICAL), 10_000),
  measure(
    'classify SQL, cold (new statement each)',
    (i) => uncached.classify({ kind: 'sql', text: coldSql(i) }),
    10_000,
  ),
  measure(
    'classify SQL, cached (200 repeated)',
    (i) => cached.classify({ kind: 'sql', text: workingSql[i % WORKING_SET]! }),
    50_000,
  ),
  measure('classify shell, cold', (i) => uncached.classify({ kind: 'shell', text: coldShell(i) }), 10_000),
  measure(
    'classify shell, cached',
    (i) => cached.classify({ kind: 'shell', text: workingShell[i % WORKING_SET]! }),
    50_000,
  ),
  measure('reply contract check alone', () => replyProblems(typicalDecision), 50_000),
  measure('decide SQL, cold', (i) => uncachedDecisions.decide(decideRequest('sql', coldSql(i))), 10_000),
  measure(
    'decide SQL, same 200 without cache',
    (i) => uncachedDecisions.decide(sqlRequests[i % WORKING_SET]!),
    10_000,
  ),
  measure('decide SQL, cached', (i) => cachedDecisions.decide(sqlRequests[i % WORKING_SET]!), 50_000),
  measure(
    'decide shell, cold',
    (i) => uncachedDecisions.decide(decideRequest('shell', coldShell(i))),
    10_000,
  ),
  measure('decide shell, cached', (i) => cachedDecisions.decide(shellRequests[i % WORKING_SET]!), 50_000),
];

console.log(`authz per instance (demo policy ${policy.version}, best of ${ROUNDS} rounds)`);
console.log(`${'case'.padEnd(42)}${'ops/s'.padStart(12)}${'median us'.padStart(12)}`);
for (const row of rows) {
  console.log(
    `${row.name.padEnd(42)}${Math.round(row.opsPerSecond).toLocaleString('en-US').padStart(12)}${row.medianMicros
      .toFixed(1)
      .padStart(12)}`,
  );
}

if (!process.argv.includes('--no-nats')) await roundTrips();

/** Decide round trips/s against one authz process, for several numbers of concurrent requesters. */
async function roundTrips(): Promise<void> {
  const natsUrl = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
  const prefix = uniquePrefix();
  const subjects = subjectsFor(prefix);
  const connection = await connect({ servers: natsUrl.split(','), name: 'authz-bench' });
  // authz announces its policy version once it serves requests: that is the readiness signal.
  const announced = connection.subscribe(subjects.policyChanged, { max: 1 });
  const authz = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('../src/main.ts', import.meta.url))],
    {
      env: {
        ...process.env,
        NATS_URL: natsUrl,
        GATEHOUSE_PREFIX: prefix,
        AUTHZ_HTTP_PORT: '0',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  try {
    for await (const message of announced) decodeMessage(MessageType.PolicyChanged, message.data);
    // Warm up both processes (JIT, connection buffers) before anything is measured.
    await drive(connection, subjects.authzDecide, 16, 2000, (i) => workingSql[i % WORKING_SET]!);
    let coldCounter = 2_000_000_000;
    const results: Array<{ name: string; perSecond: number; medianMicros: number; authzCpuMicros: number }> =
      [];
    for (const [label, text] of [
      ['cached', (i: number) => workingSql[i % WORKING_SET]!],
      // One counter across runs: a statement authz saw in an earlier run would hit its cache.
      ['cold', () => coldSql(coldCounter++)],
    ] as const) {
      for (const concurrency of [1, 8, 64]) {
        const started = performance.now();
        const cpuBefore = cpuSeconds(authz.pid);
        const latencies = await drive(connection, subjects.authzDecide, concurrency, 3000, text);
        const seconds = (performance.now() - started) / 1000;
        const authzCpu = cpuSeconds(authz.pid) - cpuBefore;
        results.push({
          name: `${label}, ${concurrency} concurrent`,
          perSecond: latencies.length / seconds,
          medianMicros: latencies[latencies.length >> 1] ?? 0,
          authzCpuMicros: (authzCpu * 1e6) / latencies.length,
        });
      }
    }
    console.log('\ndecide round trips over NATS (one authz process, requesters on one connection)');
    console.log(
      `${'case'.padEnd(42)}${'round trips/s'.padStart(14)}${'median us'.padStart(12)}${'authz cpu us/req'.padStart(18)}`,
    );
    for (const row of results) {
      console.log(
        `${row.name.padEnd(42)}${Math.round(row.perSecond).toLocaleString('en-US').padStart(14)}${row.medianMicros
          .toFixed(0)
          .padStart(
            12,
          )}${(Number.isNaN(row.authzCpuMicros) ? 'n/a' : row.authzCpuMicros.toFixed(0)).padStart(18)}`,
      );
    }
  } finally {
    authz.kill('SIGTERM');
    await connection.drain();
  }
}

/** Runs `concurrency` requesters in a loop for `durationMs`; returns every round trip's latency in us, sorted. */
async function drive(
  connection: NatsConnection,
  subject: string,
  concurrency: number,
  durationMs: number,
  text: (i: number) => string,
): Promise<number[]> {
  let next = 0;
  const latencies: number[] = [];
  const deadline = performance.now() + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const before = performance.now();
        const reply = await requestMessage(
          connection,
          envelope(MessageType.AuthzDecideRequest, decideRequest('sql', text(next++))),
          { subject, dependency: 'authz', replyType: MessageType.AuthzDecideReply, timeoutMs: 5000 },
        );
        if (reply.body.effect !== 'allow')
          throw new Error(`unexpected ${reply.body.effect}: ${reply.body.reason}`);
        latencies.push((performance.now() - before) * 1000);
      }
    }),
  );
  return latencies.sort((a, b) => a - b);
}

/**
 * CPU time (user + system) a process has used, from /proc (Linux; NaN elsewhere): what authz
 * spends per request, whatever else shares the machine.
 */
function cpuSeconds(pid: number | undefined): number {
  const path = `/proc/${pid}/stat`;
  if (pid === undefined || !existsSync(path)) return Number.NaN;
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15, in clock ticks (100 Hz).
  const stat = readFileSync(path, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
