import { createDatabase, migrateToLatest, type Kysely } from '@gatehouse/db';
import { ledgerMigrations } from './ledger-migrations.ts';
import type { LedgerDatabase } from './ledger-tables.ts';

/** Where the ledger's tables live and who may do what to them. */
export interface LedgerStorageOptions {
  databaseUrl: string;
  /** Owner's URL for migrations; `databaseUrl` when undefined. */
  migrationsDatabaseUrl: string | undefined;
  /** Role to SET on every connection, or `none`. */
  databaseRole: string;
  /** Whether to run migrations first (`skip` when a separate job runs them). */
  migrate?: 'start' | 'skip' | 'only';
}

/**
 * Migrates the ledger tables with the owner's connection, then opens the service's pool, which
 * runs as the append-only role.
 */
export async function openLedgerStorage(options: LedgerStorageOptions): Promise<Kysely<LedgerDatabase>> {
  if (options.migrate !== 'skip') await migrateLedger(options);
  // Every pooled connection drops to the append-only role: the guarantee must not depend on
  // which user the deployment happens to log in as.
  return createDatabase<LedgerDatabase>({
    url: options.databaseUrl,
    applicationName: 'ledger',
    ...(options.databaseRole === 'none' ? {} : { role: options.databaseRole }),
  });
}

/** Applies the ledger migrations with the owner's connection. */
export async function migrateLedger(options: LedgerStorageOptions): Promise<void> {
  const owner = createDatabase<unknown>({
    url: options.migrationsDatabaseUrl ?? options.databaseUrl,
    applicationName: 'ledger-migrations',
    maxConnections: 1,
  });
  try {
    await migrateToLatest(owner as Kysely<unknown>, 'ledger', ledgerMigrations);
  } finally {
    await owner.destroy();
  }
}
