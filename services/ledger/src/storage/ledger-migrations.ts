import { sql, type Kysely, type Migration } from '@gatehouse/db';

/**
 * Ledger tables. Entries and nodes are append-only: a trigger refuses UPDATE, DELETE and
 * TRUNCATE, so only someone who disables triggers as a superuser can change history, and the
 * offline verifier catches that.
 */
export const ledgerMigrations: Record<string, Migration> = {
  '001_merkle_log': {
    async up(db: Kysely<unknown>) {
      await sql`
        create table ledger_entries (
          idx bigint primary key,
          record_id text not null unique,
          leaf_hash bytea not null check (octet_length(leaf_hash) = 32),
          record bytea not null,
          kind text not null,
          session_id text not null,
          session_seq integer not null,
          session_prev text,
          time timestamptz not null,
          appended_at timestamptz not null default now()
        )`.execute(db);
      await sql`create index ledger_entries_session on ledger_entries (session_id, session_seq)`.execute(db);
      await sql`create index ledger_entries_time on ledger_entries (time)`.execute(db);
      await sql`
        create table ledger_nodes (
          level smallint not null,
          idx bigint not null,
          hash bytea not null check (octet_length(hash) = 32),
          primary key (level, idx)
        )`.execute(db);
      await sql`
        create table ledger_head (
          id boolean primary key default true check (id),
          size bigint not null,
          root bytea not null,
          updated_at timestamptz not null
        )`.execute(db);
      await sql`
        create function ledger_refuse_change() returns trigger language plpgsql as $$
        begin
          raise exception 'ledger tables are append-only (% on %)', tg_op, tg_table_name
            using errcode = 'insufficient_privilege';
        end $$`.execute(db);
      for (const table of ['ledger_entries', 'ledger_nodes']) {
        await sql`create trigger ${sql.raw(`${table}_append_only`)} before update or delete on ${sql.table(table)}
          for each row execute function ledger_refuse_change()`.execute(db);
        await sql`create trigger ${sql.raw(`${table}_no_truncate`)} before truncate on ${sql.table(table)}
          for each statement execute function ledger_refuse_change()`.execute(db);
      }
    },
  },
};
