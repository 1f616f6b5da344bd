import { CompiledQuery, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { LedgerDatabase } from './ledger-tables.ts';

/** How the ledger connects to its database. */
export interface LedgerDatabaseOptions {
  /** postgres:// URL. */
  url: string;
  /**
   * Role every pooled connection switches to with SET ROLE before use (e.g. `gatehouse_ledger`),
   * so even a service that logs in as the tables' owner writes with SELECT and INSERT only;
   * undefined keeps the login role's privileges.
   */
  role: string | undefined;
  /** Name shown in pg_stat_activity. */
  applicationName: string;
  maxConnections?: number;
}

/**
 * A Kysely handle for the ledger tables. Unlike `createDatabase` from @gatehouse/db it drops to
 * the ledger role on every new connection: the append-only guarantee must not depend on which
 * user the deployment happens to log in as.
 */
export function createLedgerDatabase(options: LedgerDatabaseOptions): Kysely<LedgerDatabase> {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 5,
    application_name: options.applicationName,
    connectionTimeoutMillis: 5000,
  });
  // An idle client dropped by the server must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  // Nor may a client dropped while checked out (pg-pool removes its idle listener then): the
  // error still fails the query in flight, the pool discards the client, the batch is retried.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const { role } = options;
  return new Kysely<LedgerDatabase>({
    dialect: new PostgresDialect({
      pool,
      ...(role === undefined
        ? {}
        : {
            onCreateConnection: async (connection) => {
              await connection.executeQuery(CompiledQuery.raw(`set role "${role.replaceAll('"', '""')}"`));
            },
          }),
    }),
  });
}
