export { createDatabase, type DatabaseOptions } from './create-database.ts';
export { databaseReady } from './database-ready.ts';
export { migrateToLatest } from './migrate.ts';
export { Kysely, sql } from 'kysely';
export type { Migration } from 'kysely/migration';
