// Classification throughput: what the SSH edge (and authz) pay per command line, for a typical
// command, a long pipeline, a wrapped script and a here-document; parse-only shows the parser share.
// Run: node --import tsx libs/shell-risk/bench/classify.bench.ts
import { performance } from 'node:perf_hooks';
import { classifyShell, parseShell } from '../src/index.ts';

const iterations = 20_000;

const typical = 'sudo systemctl restart nginx && journalctl -u nginx --since "5 min ago" | tail -n 50';
const longPipeline = Array.from({ length: 40 }, (_, i) =>
  i % 4 === 0
    ? `grep -v 'pattern ${i}'`
    : i % 4 === 1
      ? `sed -n 's/a${i}/b/p'`
      : i % 4 === 2
        ? `awk '{print $${(i % 9) + 1}}'`
        : 'sort -u',
).join(' | ');
const wrapped = `sudo -u deploy env -i timeout 30 sh -c 'cd /srv/app && git pull && npm ci && find . -name "*.tmp" -exec rm -f {} +'`;
const hereDoc = `cat <<'EOF' > /srv/app/config.yaml\n${'key: value\n'.repeat(50)}EOF`;

function measure(name: string, operation: () => unknown): Record<string, string> {
  for (let i = 0; i < 2_000; i++) operation();
  const samples = new Float64Array(iterations);
  const started = performance.now();
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    operation();
    samples[i] = performance.now() - t0;
  }
  const elapsed = performance.now() - started;
  samples.sort();
  return {
    case: name,
    'ops/s': Math.round((iterations / elapsed) * 1000).toLocaleString('en-US'),
    'median µs': ((samples[iterations >> 1] ?? 0) * 1000).toFixed(1),
    'p99 µs': ((samples[Math.floor(iterations * 0.99)] ?? 0) * 1000).toFixed(1),
  };
}

console.table([
  measure(`classify typical (${typical.length} B)`, () => classifyShell(typical)),
  measure(`classify 40-stage pipeline (${longPipeline.length} B)`, () => classifyShell(longPipeline)),
  measure(`classify sudo env timeout sh -c (${wrapped.length} B)`, () => classifyShell(wrapped)),
  measure(`classify here-document (${hereDoc.length} B)`, () => classifyShell(hereDoc)),
  measure('parse only: typical', () => parseShell(typical)),
  measure('parse only: 40-stage pipeline', () => parseShell(longPipeline)),
]);
