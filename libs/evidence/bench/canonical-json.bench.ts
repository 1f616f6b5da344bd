/**
 * Canonical JSON speed: `node --import tsx libs/evidence/bench/canonical-json.bench.ts`.
 * Every evidence record is canonicalized twice (the edge's chain hash, the ledger writer's stored
 * bytes). Baselines in the same run: the `canonicalize` package (what this replaced) and plain
 * JSON.stringify (no key sorting: the floor).
 */
import canonicalize from 'canonicalize';
import { SessionEvidence } from '../src/index.ts';
import { canonicalJson } from '../src/canonical-json.ts';

const BATCH = 1_000;
const BATCHES = 200;

// Records shaped like edge-postgres' decision, statement and result records.
const evidence = new SessionEvidence(
  'a3c1f6de-4b1e-4f3a-9a51-5f0f7d3e2c11',
  { name: 'demo', kind: 'postgres' },
  { sub: 'ci-bot', groups: ['pipelines', 'readers'], issuer: 'http://127.0.0.1:8090', tokenId: 'jti-7f3a' },
);
const records = [
  evidence.next('decision', {
    effect: 'allow',
    rule: 'pipelines-read',
    policyVersion: 'sha256:9f2c',
    cached: true,
    riskClass: 'read',
    fingerprint: '5d41402abc4b2a76',
  }),
  evidence.next('statement', {
    protocol: 'simple',
    normalized: 'SELECT abalance FROM pgbench_accounts WHERE aid = $1',
    fingerprint: '5d41402abc4b2a76',
    kinds: ['select'],
    statementCount: 1,
    relationsRead: ['pgbench_accounts'],
    relationsWritten: [],
  }),
  evidence.next('result', {
    results: [
      {
        statements: ['7c9e6679-7425-40de-944b-e07fc1f90ae7'],
        rows: 1,
        bytes: 42,
        durationMs: 0.183,
        commands: ['SELECT'],
        sqlstate: '00000',
        masked: { 'customers.email': { email: 1 } },
      },
    ],
  }),
];

function measure(
  name: string,
  run: (i: number) => unknown,
): { name: string; recordsPerSecond: number; medianMicros: number } {
  for (let i = 0; i < 20 * BATCH; i += 1) run(i);
  const perOp = new Float64Array(BATCHES);
  const start = process.hrtime.bigint();
  for (let b = 0; b < BATCHES; b += 1) {
    const before = process.hrtime.bigint();
    for (let i = 0; i < BATCH; i += 1) run(i);
    perOp[b] = Number(process.hrtime.bigint() - before) / BATCH / 1000;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  perOp.sort();
  return {
    name,
    recordsPerSecond: Math.round((BATCH * BATCHES) / seconds),
    medianMicros: perOp[BATCHES >> 1] ?? 0,
  };
}

const rounds = [1, 2, 3].flatMap(() => [
  measure('canonicalJson (libs/evidence)', (i) => canonicalJson(records[i % 3])),
  measure('canonicalize package (baseline)', (i) => canonicalize(records[i % 3])),
  measure('JSON.stringify, unsorted (floor)', (i) => JSON.stringify(records[i % 3])),
]);
const best = new Map<string, { name: string; recordsPerSecond: number; medianMicros: number }>();
for (const result of rounds) {
  const seen = best.get(result.name);
  if (!seen || result.recordsPerSecond > seen.recordsPerSecond) best.set(result.name, result);
}
const ours = best.get('canonicalJson (libs/evidence)')!.recordsPerSecond;
console.table(
  [...best.values()].map((result) => ({
    case: result.name,
    'records/s': result.recordsPerSecond,
    'median µs': result.medianMicros.toFixed(2),
    'canonicalJson / this': (ours / result.recordsPerSecond).toFixed(2),
  })),
);
