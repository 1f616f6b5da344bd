import { sql, type Kysely } from 'kysely';

/** Whether the database answers a trivial query (for /readyz). */
export async function databaseReady(db: Kysely<unknown>): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
