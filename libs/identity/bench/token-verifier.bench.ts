// Verification cost per connection: full ES256 verification vs the verified-token cache, which
// is what the PostgreSQL edge pays when a client opens a connection per statement (pgbench -C).
// Run: node --import tsx libs/identity/bench/token-verifier.bench.ts
import { performance } from 'node:perf_hooks';
import { DevIssuer, TokenVerifier } from '../src/index.ts';

const iterations = 5000;

async function measure(name: string, operation: () => Promise<unknown>): Promise<Record<string, string>> {
  for (let i = 0; i < 200; i++) await operation();
  const samples: number[] = [];
  const started = performance.now();
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await operation();
    samples.push(performance.now() - t0);
  }
  const elapsed = performance.now() - started;
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)] ?? 0;
  return {
    case: name,
    'ops/s': Math.round((iterations / elapsed) * 1000).toLocaleString('en-US'),
    'median µs': (median * 1000).toFixed(1),
  };
}

const issuer = new DevIssuer();
const { url } = await issuer.start();
try {
  const token = await issuer.mintToken({ sub: 'bench', groups: ['pipelines'], ttlSeconds: 600 });
  const plain = new TokenVerifier({ issuer: url, audience: 'gatehouse' });
  const cached = new TokenVerifier({ issuer: url, audience: 'gatehouse', cacheMaxEntries: 1024 });
  const rows = [
    await measure('verify ES256 (no cache)', () => plain.verify(token)),
    await measure('verify ES256 (cache hit)', () => cached.verify(token)),
    await measure('mint ES256', () => issuer.mintToken({ sub: 'bench' })),
  ];
  console.table(rows);
} finally {
  await issuer.stop();
}
