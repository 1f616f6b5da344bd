import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { dockerEngineAvailable } from './container-runtime.ts';

/** A PostgreSQL server for one test run. */
export interface TestPostgres {
  /** Superuser URL of the server's maintenance database. */
  adminUrl: string;
  /** Creates an isolated database and returns its URL; dropped by `stop`. */
  createDatabase(label: string): Promise<string>;
  stop(): Promise<void>;
}

/** Starts PostgreSQL with testcontainers where Docker answers, else uses DATABASE_URL or the local default. */
export async function startTestPostgres(): Promise<TestPostgres> {
  const explicit = process.env['DATABASE_URL'];
  let adminUrl = explicit ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  let stopContainer = async (): Promise<void> => undefined;
  if (!explicit && dockerEngineAvailable()) {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await new PostgreSqlContainer('postgres:17').start();
    adminUrl = container.getConnectionUri();
    stopContainer = async () => void (await container.stop());
  }
  const created: string[] = [];
  return {
    adminUrl,
    async createDatabase(label: string) {
      const name = `gh_${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
      await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
      created.push(name);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return url.toString();
    },
    async stop() {
      for (const name of created) {
        await withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      }
      await stopContainer();
    },
  };
}

async function withAdmin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
