// Writes deploy/local-stack/sql/demo.sql from the seeded generator, or with --check fails when
// the committed file differs from a fresh generation.
//   node --import tsx deploy/local-stack/scripts/generate-demo-sql.ts [--check]
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateDemoDataset } from '../src/demo-data/demo-dataset.ts';
import { renderDemoSql } from '../src/demo-data/demo-sql.ts';

const target = fileURLToPath(new URL('../sql/demo.sql', import.meta.url));
const sql = renderDemoSql(generateDemoDataset());
if (process.argv.includes('--check')) {
  const committed = readFileSync(target, 'utf8');
  if (committed !== sql) {
    console.error(
      `${target} is stale: run node --import tsx deploy/local-stack/scripts/generate-demo-sql.ts`,
    );
    process.exit(1);
  }
  console.log(`${target} is up to date`);
} else {
  writeFileSync(target, sql);
  console.log(`wrote ${target} (${Buffer.byteLength(sql)} bytes)`);
}
