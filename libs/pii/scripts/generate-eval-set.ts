// Regenerates test/fixtures/eval-set.jsonl from the seeded generator:
//   node --import tsx libs/pii/scripts/generate-eval-set.ts          (write)
//   node --import tsx libs/pii/scripts/generate-eval-set.ts --check  (fail if the file is stale)
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { evalSetJsonl } from './eval-set-generator.ts';

const target = fileURLToPath(new URL('../test/fixtures/eval-set.jsonl', import.meta.url));
const fresh = evalSetJsonl();
if (process.argv.includes('--check')) {
  const current = readFileSync(target, 'utf8');
  if (current !== fresh) {
    process.stderr.write(`${target} is stale: run this script without --check\n`);
    process.exit(1);
  }
  process.stdout.write(`${target} is up to date\n`);
} else {
  writeFileSync(target, fresh);
  process.stdout.write(`wrote ${fresh.split('\n').length - 1} cells to ${target}\n`);
}
