import { sql, type Kysely, type Migration } from '@gatehouse/db';

/** Role the service runs as: SELECT and INSERT on the ledger tables, nothing else. */
export const LEDGER_ROLE = 'gatehouse_ledger';

const LEDGER_TABLES = ['ledger_entries', 'ledger_nodes', 'ledger_heads', 'ledger_checkpoints'] as const;

/**
 * Ledger tables. Every table is append-only twice over: a trigger refuses UPDATE, DELETE and
 * TRUNCATE, and the service's role (`gatehouse_ledger`) holds only SELECT and INSERT. Only a
 * superuser who disables triggers can change history, and the offline verifier catches that.
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
  '002_heads_checkpoints_role': {
    async up(db: Kysely<unknown>) {
      // The single-row head needed UPDATE; one row per committed batch needs only INSERT.
      await sql`
        create table ledger_heads (
          size bigint primary key,
          root bytea not null check (octet_length(root) = 32),
          committed_at timestamptz not null default now()
        )`.execute(db);
      await sql`insert into ledger_heads (size, root, committed_at) select size, root, updated_at from ledger_head`.execute(
        db,
      );
      await sql`drop table ledger_head`.execute(db);
      await sql`
        create table ledger_checkpoints (
          size bigint primary key,
          root bytea not null check (octet_length(root) = 32),
          note text not null,
          jws text not null,
          signed_at timestamptz not null
        )`.execute(db);
      // GET /v1/proof/inclusion?hash=... looks entries up by leaf hash.
      await sql`create index ledger_entries_leaf_hash on ledger_entries using hash (leaf_hash)`.execute(db);
      for (const table of ['ledger_heads', 'ledger_checkpoints']) {
        await sql`create trigger ${sql.raw(`${table}_append_only`)} before update or delete on ${sql.table(table)}
          for each row execute function ledger_refuse_change()`.execute(db);
        await sql`create trigger ${sql.raw(`${table}_no_truncate`)} before truncate on ${sql.table(table)}
          for each statement execute function ledger_refuse_change()`.execute(db);
      }
      // The role is cluster-wide: create it when this user may (CREATEROLE or superuser), and
      // tolerate another database's migration creating it first.
      await sql`
        do $$
        begin
          if not exists (select from pg_roles where rolname = ${sql.lit(LEDGER_ROLE)})
             and exists (select from pg_roles where rolname = current_user and (rolcreaterole or rolsuper)) then
            create role ${sql.raw(LEDGER_ROLE)} nologin;
          end if;
        exception when duplicate_object or unique_violation then null;
        end $$`.execute(db);
      const role = await sql<{
        exists: boolean;
      }>`select exists (select from pg_roles where rolname = ${LEDGER_ROLE}) as exists`.execute(db);
      if (!role.rows[0]?.exists) return;
      for (const table of LEDGER_TABLES) {
        await sql`revoke all on ${sql.table(table)} from ${sql.raw(LEDGER_ROLE)}`.execute(db);
        await sql`revoke update, delete, truncate on ${sql.table(table)} from public`.execute(db);
        await sql`grant select, insert on ${sql.table(table)} to ${sql.raw(LEDGER_ROLE)}`.execute(db);
      }
    },
  },
};
