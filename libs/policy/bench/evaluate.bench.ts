/**
 * Policy evaluation speed: `node --import tsx libs/policy/bench/evaluate.bench.ts`.
 * Goal: well over 100k evaluations/s for the demo policy. Baseline: JSON.stringify of the
 * decision, which authz pays for every reply anyway, so the ratio says what the engine adds.
 */
import { readFileSync } from 'node:fs';
import { demoPolicyPath, loadPolicy, type OperationFacts, type PolicyRequest } from '../src/index.ts';

const BATCH = 1_000;
const BATCHES = 300;

interface Result {
  readonly name: string;
  readonly opsPerSecond: number;
  readonly medianNanos: number;
}

// Times batches of calls (one call is far below timer resolution) and reports the median batch.
function measure(name: string, run: (i: number) => unknown): Result {
  for (let i = 0; i < 50 * BATCH; i += 1) run(i);
  const perOp = new Float64Array(BATCHES);
  const start = process.hrtime.bigint();
  for (let b = 0; b < BATCHES; b += 1) {
    const before = process.hrtime.bigint();
    for (let i = 0; i < BATCH; i += 1) run(i);
    perOp[b] = Number(process.hrtime.bigint() - before) / BATCH;
  }
  const totalSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  perOp.sort();
  return { name, opsPerSecond: (BATCH * BATCHES) / totalSeconds, medianNanos: perOp[BATCHES >> 1] ?? 0 };
}

function facts(
  riskClass: OperationFacts['riskClass'],
  kinds: string[],
  riskFlags: string[] = [],
): OperationFacts {
  return { riskClass, kinds, riskFlags, relationsRead: ['customers'], relationsWritten: [], functions: [] };
}

function request(groups: string[], operation: OperationFacts, target = 'demo'): PolicyRequest {
  return {
    actor: { sub: 'ci-bot', groups, issuer: 'http://127.0.0.1:8090' },
    target: { name: target, kind: target === 'demo' ? 'postgres' : 'ssh' },
    operation: { language: target === 'demo' ? 'sql' : 'shell', classification: operation },
    context: { tls: true, clientAddress: '10.1.2.3', time: new Date() },
  };
}

const demo = loadPolicy(readFileSync(demoPolicyPath, 'utf8'));
const read = request(['pipelines'], facts('read', ['select']));
const write = request(['pipelines'], facts('write', ['update']));
const stranger = request([], facts('read', ['select']));
const mix = [
  read,
  write,
  stranger,
  request(['pipelines'], facts('destructive', ['delete'], ['write_without_where'])),
  request(['pipelines'], facts('admin', ['create'], ['ddl'])),
  request(['dbadmins'], facts('admin', ['vacuum'])),
  request(['pipelines'], facts('read', ['ls']), 'demo-ssh'),
  request(['pipelines'], facts('destructive', ['rm']), 'demo-ssh'),
];

// 500 rules for other targets ahead of the one that matches: the cost of a large document.
const large = loadPolicy(
  [
    'version: 1',
    'name: large',
    'maskingProfiles: [default]',
    'rules:',
    ...Array.from(
      { length: 500 },
      (_, i) =>
        `  - { id: r${i}, effect: allow, match: { groups: [team-${i}], targets: { names: ['db-${i}-*'] }, operation: { riskClasses: [read], relations: { read: ['app_${i}.*'] } } }, masking: default }`,
    ),
    '  - { id: last, effect: allow, match: { groups: [pipelines], targets: { names: [demo] } }, masking: default }',
  ].join('\n'),
);

// Time window and client networks: the unkeyed conditions and their TTL bounds.
const windowed = loadPolicy(`
version: 1
name: windowed
rules:
  - { id: hours, effect: allow, match: { groups: [pipelines], time: { days: [mon, tue, wed, thu, fri], between: ['00:00', '24:00'], timezone: Europe/Berlin } } }
  - { id: office, effect: deny, match: { session: { clientCidrs: ['192.0.2.0/24', '2001:db8::/32'] } } }
`);

const decision = demo.evaluate(read);
const results = [
  measure('baseline: JSON.stringify(decision)', () => JSON.stringify(decision)),
  measure('demo: pipelines read (allow)', () => demo.evaluate(read)),
  measure('demo: pipelines write (review)', () => demo.evaluate(write)),
  measure('demo: no groups (default deny)', () => demo.evaluate(stranger)),
  measure('demo: mix of 8 requests', (i) => demo.evaluate(mix[i & 7]!)),
  measure('500 rules, last one matches', () => large.evaluate(read)),
  measure('time window + client networks', () => windowed.evaluate(read)),
];

const baseline = results[0]!.medianNanos;
console.log(`policy evaluate (${demo.name} ${demo.version})`);
console.log(
  `${'case'.padEnd(36)}${'ops/s'.padStart(12)}${'median ns'.padStart(11)}${'x baseline'.padStart(12)}`,
);
for (const row of results) {
  console.log(
    `${row.name.padEnd(36)}${Math.round(row.opsPerSecond).toLocaleString('en-US').padStart(12)}${row.medianNanos
      .toFixed(0)
      .padStart(11)}${(row.medianNanos / baseline).toFixed(2).padStart(12)}`,
  );
}
