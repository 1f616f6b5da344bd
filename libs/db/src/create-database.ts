import { CompiledQuery, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';

/** Options for a service's database handle. */
export interface DatabaseOptions {
  /** postgres:// URL of the service's own database. */
  url: string;
  /** Pool size; small by default: services batch their writes. */
  maxConnections?: number;
  /** Name shown in pg_stat_activity. */
  applicationName: string;
  /**
   * Role every new connection switches to with SET ROLE before use, so a service that logs in as
   * its tables' owner still works with the narrower role's privileges; undefined keeps the login role.
   */
  role?: string;
}

/** A Kysely handle over a pg pool; `destroy()` closes the pool. */
export function createDatabase<Schema>(options: DatabaseOptions): Kysely<Schema> {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 5,
    application_name: options.applicationName,
    connectionTimeoutMillis: 5000,
  });
  // A client dropped by the server (idle or checked out) must not crash the process: the pool
  // replaces idle ones, and the query on a checked-out one fails with its own error.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const { role } = options;
  return new Kysely<Schema>({
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
