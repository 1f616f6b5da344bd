/**
 * `npm run bench`: runs every benchmark beside the code (libs/*\/bench, services/*\/bench) one
 * after another, so they never compete for the two cores, and prints each one's comparison
 * table (every benchmark measures its own baseline in the same run and reports ratios).
 * `npm run bench -- merkle pgbench` runs only the benchmarks whose path contains a word given.
 */
import { spawn } from 'node:child_process';
import { readdirSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const filters = process.argv.slice(2);

function discover(): string[] {
  const found: string[] = [];
  for (const group of ['libs', 'services']) {
    for (const project of readdirSync(join(root, group))) {
      const dir = join(root, group, project, 'bench');
      if (!existsSync(dir)) continue;
      for (const file of readdirSync(dir).sort()) {
        if (file.endsWith('.bench.ts')) found.push(join(dir, file));
      }
    }
  }
  return found.filter((path) => filters.length === 0 || filters.some((word) => path.includes(word)));
}

function run(path: string): Promise<{ code: number; seconds: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path], { cwd: root, stdio: 'inherit' });
    child.on('exit', (code) => resolve({ code: code ?? 1, seconds: (performance.now() - started) / 1000 }));
  });
}

const benches = discover();
if (benches.length === 0) {
  console.error(`no benchmark matches ${filters.join(' ')}`);
  process.exit(2);
}
const summary: { bench: string; code: number; seconds: number }[] = [];
for (const path of benches) {
  const name = relative(root, path);
  console.log(`\n### ${name}\n`);
  summary.push({ bench: name, ...(await run(path)) });
}
console.log('\n### summary\n');
console.table(
  summary.map((row) => ({
    benchmark: row.bench,
    result: row.code === 0 ? 'ok' : `exit ${row.code}`,
    seconds: row.seconds.toFixed(1),
  })),
);
process.exit(summary.every((row) => row.code === 0) ? 0 : 1);
