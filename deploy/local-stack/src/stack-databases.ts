import pg from 'pg';
import { StackStartError } from './stack-start-error.ts';

/** Names of what the launcher creates on the PostgreSQL server. */
export interface StackDatabaseNames {
  /** Database of the ledger and approval services. */
  evidence: string;
  /** The demo target database (the `demo` target of the edges). */
  demo: string;
  /** Login role owning the demo database; the edges log in upstream as this role. */
  demoOwner: string;
}

/** Database names: `gatehouse` and `demo`, or `<prefix>_evidence` and `<prefix>_demo` for another prefix. */
export function stackDatabaseNames(
  prefix: string,
  overrides: { evidence?: string; demo?: string } = {},
): StackDatabaseNames {
  const own = prefix === 'gatehouse';
  const evidence = overrides.evidence ?? (own ? 'gatehouse' : `${prefix}_evidence`);
  const demo = overrides.demo ?? (own ? 'demo' : `${prefix}_demo`);
  return { evidence, demo, demoOwner: `${demo}_owner` };
}

/** What {@link prepareStackDatabases} found and did. */
export interface PreparedDatabases {
  evidenceUrl: string;
  demoUrl: string;
  /** Databases this call created (the rest existed). */
  created: string[];
  /** Whether this call created the demo owner role. */
  createdRole: boolean;
  /** Whether the demo schema and data were loaded by this call. */
  loadedDemo: boolean;
}

// Marks the demo database as the stack's own, so that the stack never loads its data into (or
// hands to its demo role) a database of the same name that someone else created on a shared server.
const ownerMark = 'Created by the Gatehouse local stack';

/**
 * Creates, idempotently, the evidence database (an existing one is used as it is), the demo owner
 * role (password refreshed from the state folder each time, stored as a SCRAM verifier) and the
 * demo database it owns; loads `demoSql` into the demo database when its `customers` table is absent.
 * @throws StackStartError when a demo database of that name exists that the stack did not create.
 */
export async function prepareStackDatabases(
  adminUrl: string,
  names: StackDatabaseNames,
  demoOwnerPassword: string,
  demoSql: string,
): Promise<PreparedDatabases> {
  const created: string[] = [];
  let createdRole = false;
  await withClient(adminUrl, async (admin) => {
    await admin.query("SET password_encryption = 'scram-sha-256'");
    const role = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [names.demoOwner]);
    const password = admin.escapeLiteral(demoOwnerPassword);
    const owner = admin.escapeIdentifier(names.demoOwner);
    if (role.rowCount === 0) {
      await admin.query(`CREATE ROLE ${owner} LOGIN PASSWORD ${password}`).catch(ignoreDuplicate);
      createdRole = true;
    }
    await admin.query(`ALTER ROLE ${owner} WITH LOGIN PASSWORD ${password}`);
    if (await ensureDatabase(admin, names.evidence, undefined)) created.push(names.evidence);
    if (await ensureDatabase(admin, names.demo, names.demoOwner)) created.push(names.demo);
  });
  const evidenceUrl = databaseUrl(adminUrl, names.evidence);
  const demoUrl = databaseUrl(adminUrl, names.demo);
  const loadedDemo = await withClient(demoUrl, async (demo) => {
    const existing = await demo.query("SELECT to_regclass('public.customers') IS NOT NULL AS present");
    if (existing.rows[0].present === true) return false;
    const owner = demo.escapeIdentifier(names.demoOwner);
    // One simple-protocol Query: the script and the ownership change commit together or not at all.
    await demo.query(
      `${demoSql}\nALTER TABLE customers OWNER TO ${owner};\nALTER TABLE orders OWNER TO ${owner};\n`,
    );
    return true;
  });
  return { evidenceUrl, demoUrl, created, createdRole, loadedDemo };
}

/** Drops the given databases (closing their connections) and, when asked, the demo owner role. */
export async function dropStackDatabases(
  adminUrl: string,
  databases: readonly string[],
  role: string | undefined,
): Promise<void> {
  await withClient(adminUrl, async (admin) => {
    for (const name of databases) {
      await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(name)} WITH (FORCE)`);
    }
    if (role !== undefined) await admin.query(`DROP ROLE IF EXISTS ${admin.escapeIdentifier(role)}`);
  });
}

/** `adminUrl` with its database replaced by `database`. */
export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

// With an owner, the database is the stack's own demo target: marked when created, refused when
// it exists unmarked, and (re)assigned to the owner.
async function ensureDatabase(admin: pg.Client, name: string, owner: string | undefined): Promise<boolean> {
  const quoted = admin.escapeIdentifier(name);
  const existing = await admin.query(
    'SELECT shobj_description(oid, $2) AS mark FROM pg_database WHERE datname = $1',
    [name, 'pg_database'],
  );
  let created = false;
  if (existing.rowCount === 0) {
    created = await admin.query(`CREATE DATABASE ${quoted}`).then(() => true, ignoreDuplicate);
    if (owner !== undefined)
      await admin.query(`COMMENT ON DATABASE ${quoted} IS ${admin.escapeLiteral(ownerMark)}`);
  } else if (owner !== undefined && existing.rows[0].mark !== ownerMark) {
    throw new StackStartError(
      `database "${name}" already exists on the PostgreSQL server and was not created by the local stack; ` +
        'drop it, or set GATEHOUSE_PREFIX to use other database names',
      'databases',
    );
  }
  if (owner !== undefined)
    await admin.query(`ALTER DATABASE ${quoted} OWNER TO ${admin.escapeIdentifier(owner)}`);
  return created;
}

// Two stacks starting at once may race on CREATE; the loser finds the object made (42710, 42P04).
function ignoreDuplicate(error: unknown): false {
  const code = (error as { code?: string }).code;
  if (code === '42710' || code === '42P04') return false;
  throw error;
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: 'gatehouse-local-stack' });
  try {
    await client.connect();
  } catch (cause) {
    const where = new URL(url);
    throw new StackStartError(
      `cannot connect to PostgreSQL at ${where.hostname}:${where.port || 5432}/${where.pathname.slice(1)}: ${(cause as Error).message}`,
      'databases',
      { cause },
    );
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
