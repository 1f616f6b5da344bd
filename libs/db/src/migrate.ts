import type { Kysely } from 'kysely';
import { Migrator, type Migration } from 'kysely/migration';

/**
 * Applies a service's migrations in name order. Each service keeps its own migration table, so
 * services sharing one database never see each other's history (DESIGN.md: each service owns its tables).
 */
export async function migrateToLatest(
  db: Kysely<unknown>,
  service: string,
  migrations: Record<string, Migration>,
): Promise<string[]> {
  const table = `${service.replaceAll('-', '_')}_migrations`;
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: table,
    migrationLockTableName: `${table}_lock`,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw new Error(`${service} migrations failed`, { cause: error });
  return (results ?? [])
    .filter((result) => result.status === 'Success')
    .map((result) => result.migrationName);
}
