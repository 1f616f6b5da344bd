/**
 * edge-postgres against its baselines, in one run on one machine: `pgbench -S` (select-only) at 1
 * and 8 clients with -M simple, extended and prepared, straight to PostgreSQL, through pgbouncer
 * (session pooling, the Debian package, its own instance on a free port) and through the edge with
 * authz and acknowledged evidence on (a local stack: authz, audit and edge-postgres as processes on
 * NATS and PostgreSQL, policy bench-policy.yaml). Latency percentiles come from pgbench's
 * per-transaction logs (-l). Loopback only; about 20 runs of `--seconds` each.
 *
 *   node --import tsx services/edge-postgres/bench/pgbench.bench.ts [--seconds=10] [--clients=1,8]
 *     [--modes=simple,extended,prepared] [--with-ledger] [--without-audit] [--profile=DIR]
 *
 * The audit service consumes the evidence as it would in production (`--with-ledger` also runs the
 * ledger writer); `--without-audit` leaves the evidence in JetStream unconsumed, which shows the
 * edge's own cost when the consumers run on other machines.
 * `--profile=DIR` runs every service with `--cpu-prof` and leaves the profiles in DIR (the edge's
 * is the one whose top frames are relay-session.ts). NATS_URL and DATABASE_URL as for the tests.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startStack, type RunningStack } from '@gatehouse/local-stack';
import { ensureStreams, jetstreamManager } from '@gatehouse/nats';
import { uniquePrefix } from '@gatehouse/testing';
import { connect } from '@nats-io/transport-node';

const run = promisify(execFile);
const here = import.meta.dirname;
const args = new Map(
  process.argv.slice(2).map((arg) => {
    const [name, value] = arg.replace(/^--/, '').split('=');
    return [name!, value ?? 'true'] as const;
  }),
);
const seconds = Number(args.get('seconds') ?? 10);
const clientCounts = (args.get('clients') ?? '1,8').split(',').map(Number);
const modes = (args.get('modes') ?? 'simple,extended,prepared').split(',');
const profileDir = args.get('profile');
const natsUrl = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
const adminUrl = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

interface Measurement {
  tps: number;
  p50: number;
  p99: number;
  transactions: number;
}

interface Endpoint {
  name: 'direct' | 'pgbouncer' | 'edge';
  conninfo: string;
  password?: string;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
}

/** One pgbench -S run; latency percentiles (ms) from its per-transaction log. */
async function pgbench(
  endpoint: Endpoint,
  clients: number,
  mode: string,
  logDir: string,
): Promise<Measurement> {
  const prefix = join(logDir, `${endpoint.name}-${mode}-${clients}`);
  const { stdout } = await run(
    'pgbench',
    [
      '-n',
      '-S',
      '-T',
      String(seconds),
      '-c',
      String(clients),
      '-j',
      String(Math.min(clients, 2)),
      '-M',
      mode,
      '-l',
      `--log-prefix=${prefix}`,
      endpoint.conninfo,
    ],
    {
      env: { ...process.env, ...(endpoint.password ? { PGPASSWORD: endpoint.password } : {}) },
      maxBuffer: 16 * 1024 * 1024,
      timeout: (seconds + 60) * 1000,
    },
  );
  const tps = Number(/tps = ([0-9.]+) \(without initial connection time\)/.exec(stdout)?.[1] ?? Number.NaN);
  const failed = /number of failed transactions: ([0-9]+)/.exec(stdout)?.[1];
  if (failed !== undefined && failed !== '0')
    throw new Error(`${endpoint.name} ${mode} ${clients}: ${failed} failed transactions`);
  const latencies: number[] = [];
  for (const file of readdirSync(logDir).filter((name) =>
    name.startsWith(`${endpoint.name}-${mode}-${clients}.`),
  )) {
    for (const line of readFileSync(join(logDir, file), 'utf8').split('\n')) {
      // client_id transaction_no time script_no time_epoch time_us (time: latency in µs)
      const fields = line.split(' ');
      if (fields.length >= 3) latencies.push(Number(fields[2]) / 1000);
    }
  }
  const sorted = Float64Array.from(latencies).sort();
  return { tps, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), transactions: sorted.length };
}

/** pgbouncer in session pooling mode on a free port, trusting loopback (the baseline a user would know). */
async function startPgbouncer(
  dir: string,
  database: string,
): Promise<{ port: number; process: ChildProcess } | undefined> {
  const binary = ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'].find((path) => existsSync(path));
  if (!binary) return undefined;
  const port = await freePort();
  const admin = new URL(adminUrl);
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o777);
  writeFileSync(join(dir, 'userlist.txt'), `"${admin.username || 'postgres'}" ""\n`);
  writeFileSync(
    join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `bench = host=${admin.hostname} port=${admin.port || 5432} dbname=${database} user=${admin.username || 'postgres'}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${join(dir, 'userlist.txt')}`,
      'pool_mode = session',
      'max_client_conn = 200',
      'default_pool_size = 20',
      'ignore_startup_parameters = extra_float_digits',
      `logfile = ${join(dir, 'pgbouncer.log')}`,
      '',
    ].join('\n'),
  );
  // pgbouncer refuses to run as root; -u drops to the postgres account when started as root.
  const asRoot = process.getuid?.() === 0;
  const child = spawn(binary, [...(asRoot ? ['-u', 'postgres'] : []), join(dir, 'pgbouncer.ini')], {
    stdio: 'ignore',
  });
  for (let attempt = 0; attempt < 50; attempt++) {
    const up = await run('pg_isready', ['-h', '127.0.0.1', '-p', String(port), '-d', 'bench']).then(
      () => true,
      () => false,
    );
    if (up) return { port, process: child };
    await new Promise((done) => setTimeout(done, 100));
  }
  child.kill();
  throw new Error(`pgbouncer did not start (see ${join(dir, 'pgbouncer.log')})`);
}

/** Sums and counts of the edge's histograms that explain where a statement's time goes. */
interface EdgeCounters {
  admissionSeconds: number;
  admissions: number;
  batchRecords: number;
  batches: number;
}

/** Reads the edge's /metrics: statement admission (decision + acknowledged evidence) and evidence batch sizes. */
async function edgeCounters(metricsBase: string): Promise<EdgeCounters> {
  const text = await (await fetch(`${metricsBase}/metrics`)).text();
  const value = (pattern: RegExp): number =>
    [...text.matchAll(pattern)].reduce((sum, match) => sum + Number(match[1]), 0);
  return {
    admissionSeconds: value(
      /^gatehouse_request_duration_seconds_sum\{[^}]*operation="statement"[^}]*\} (\S+)$/gm,
    ),
    admissions: value(
      /^gatehouse_request_duration_seconds_count\{[^}]*operation="statement"[^}]*\} (\S+)$/gm,
    ),
    batchRecords: value(/^gatehouse_evidence_batch_records_sum\{[^}]*\} (\S+)$/gm),
    batches: value(/^gatehouse_evidence_batch_records_count\{[^}]*\} (\S+)$/gm),
  };
}

function format(value: number, digits = 3): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '-';
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'gatehouse-pgbench-'));
  const logDir = join(work, 'logs');
  mkdirSync(logDir);
  if (profileDir) mkdirSync(resolve(profileDir), { recursive: true });
  let stack: RunningStack | undefined;
  let bouncer: { port: number; process: ChildProcess } | undefined;
  try {
    const prefix = uniquePrefix();
    const withAudit = !args.has('without-audit');
    // Without audit nobody consumes the evidence: the edge's acks are measured without the audit
    // service competing for the same two cores (in production it runs elsewhere). The streams are
    // (re)created before every run, so a stream removed by anyone sharing the NATS server cannot
    // fail the measurement.
    const ensure = async (): Promise<void> => {
      const bus = await connect({ servers: natsUrl });
      await ensureStreams(await jetstreamManager(bus), prefix, ['EVIDENCE', 'LEDGER']);
      await bus.close();
    };
    await ensure();
    stack = await startStack({
      prefix,
      stateDir: join(work, 'stack'),
      natsUrl,
      databaseUrl: adminUrl,
      ports: 'auto',
      services: [
        'authz',
        ...(withAudit ? ['audit'] : []),
        ...(args.has('with-ledger') ? ['ledger'] : []),
        'edge-postgres',
      ],
      policyFile: join(here, 'bench-policy.yaml'),
      dropOnStop: true,
      logLevel: 'warn',
      ...(profileDir ? { env: { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${resolve(profileDir)}` } } : {}),
    });
    const database = stack.databases.demoDatabase;
    const direct = new URL(stack.databases.demoUrl);
    const directConninfo = `host=${direct.hostname} port=${direct.port || 5432} dbname=${database} user=${direct.username || 'postgres'} sslmode=disable`;
    const token = await stack.mintToken('bench', ['benchmark'], 3600);
    const { host, port } = stack.endpoints.edgePostgres;
    const edgeConninfo = `host=${host} port=${port} dbname=demo user=bench sslmode=disable`;
    // Initialised through the edge, so the tables belong to the role the edge logs in as upstream.
    await run('pgbench', ['-i', '-s', '1', '-q', edgeConninfo], {
      env: { ...process.env, PGPASSWORD: token },
      maxBuffer: 16 * 1024 * 1024,
    });
    // Its own folder: pgbouncer runs as postgres and must reach it.
    bouncer = await startPgbouncer(mkdtempSync(join(tmpdir(), 'gatehouse-pgbouncer-')), database);
    const endpoints: Endpoint[] = [
      { name: 'direct', conninfo: directConninfo },
      ...(bouncer
        ? [
            {
              name: 'pgbouncer' as const,
              conninfo: `host=127.0.0.1 port=${bouncer.port} dbname=bench user=${direct.username || 'postgres'} sslmode=disable`,
            },
          ]
        : []),
      { name: 'edge', conninfo: edgeConninfo, password: token },
    ];
    console.log(
      `pgbench -S -T ${seconds} (select-only, scale 1), loopback; edge: authz + JetStream-acknowledged evidence` +
        `${args.has('with-ledger') ? ' + ledger' : ''}, decision cache warm after the first statement of each shape` +
        (bouncer ? '' : '; pgbouncer not installed (apt-get install -y pgbouncer): skipped'),
    );
    // Warm-up: first connections, JIT and the edge's decision cache.
    for (const endpoint of endpoints) {
      for (const mode of modes) await pgbenchWarmup(endpoint, mode);
    }
    const rows: Record<string, string | number>[] = [];
    for (const clients of clientCounts) {
      for (const mode of modes) {
        // Interleaved, so drift in the machine's load hits every target alike.
        const results = new Map<string, Measurement>();
        let before: EdgeCounters | undefined;
        let after: EdgeCounters | undefined;
        for (const endpoint of endpoints) {
          if (endpoint.name === 'edge') {
            await ensure();
            before = await edgeCounters(stack.endpoints.edgePostgresHttp);
          }
          results.set(endpoint.name, await pgbench(endpoint, clients, mode, logDir));
          if (endpoint.name === 'edge') after = await edgeCounters(stack.endpoints.edgePostgresHttp);
        }
        const d = results.get('direct')!;
        const b = results.get('pgbouncer');
        const e = results.get('edge')!;
        rows.push({
          clients,
          mode,
          'direct tps': Math.round(d.tps),
          'direct p50/p99 ms': `${format(d.p50)} / ${format(d.p99)}`,
          'pgbouncer tps': b ? Math.round(b.tps) : '-',
          'pgbouncer p50/p99 ms': b ? `${format(b.p50)} / ${format(b.p99)}` : '-',
          'edge tps': Math.round(e.tps),
          'edge p50/p99 ms': `${format(e.p50)} / ${format(e.p99)}`,
          'edge/pgbouncer': b ? format(e.tps / b.tps, 2) : '-',
          'edge/direct': format(e.tps / d.tps, 2),
          'edge +p50 ms': format(e.p50 - d.p50),
          ...breakdown(before!, after!),
        });
      }
    }
    console.table(rows);
    console.log(
      'Goal (issue 6): edge/pgbouncer >= 1.0, and edge +p50 <= 0.15 ms at 1 client. ' +
        'tps from pgbench (without connection time); p50/p99 from its per-transaction logs. ' +
        "Where the edge's time goes, from its /metrics during the run: 'admit ms' is the mean wait of a " +
        'Query/Parse for its decision and JetStream acknowledgement (prepared executions have none); ' +
        "'records/msg' is the mean evidence records per JetStream message (group commit).",
    );
  } finally {
    if (bouncer) {
      bouncer.process.kill('SIGTERM');
      await once(bouncer.process, 'exit').catch(() => undefined);
    }
    await stack?.stop();
  }
}

/** The edge's own share of a run, from two /metrics readings. */
function breakdown(before: EdgeCounters, after: EdgeCounters): Record<string, string> {
  const admissions = after.admissions - before.admissions;
  const batches = after.batches - before.batches;
  return {
    'admit ms':
      admissions > 0 ? format(((after.admissionSeconds - before.admissionSeconds) / admissions) * 1000) : '-',
    'records/msg': batches > 0 ? format((after.batchRecords - before.batchRecords) / batches, 1) : '-',
  };
}

async function pgbenchWarmup(endpoint: Endpoint, mode: string): Promise<void> {
  await run('pgbench', ['-n', '-S', '-t', '200', '-c', '2', '-M', mode, endpoint.conninfo], {
    env: { ...process.env, ...(endpoint.password ? { PGPASSWORD: endpoint.password } : {}) },
    timeout: 120_000,
  });
}

await main();
process.exit(0);
