import { DependencyUnavailableError, UnknownTargetError } from '@gatehouse/errors';
import type { Logger } from '@gatehouse/logging';
import type { PostgresTarget, TargetRegistry } from '@gatehouse/targets';
import pg from 'pg';
import type { CatalogReader, CompositeType, Relation, TableColumns } from './catalog-reader.ts';

/** How catalogs are read and cached. */
export interface TargetCatalogsOptions {
  /** Targets by name; undefined when masking has no TARGETS_FILE (then no result column is traceable). */
  targets: TargetRegistry | undefined;
  /** How long a resolved table is reused. */
  ttlMs: number;
  /** Deadline for connecting and for each catalog query. */
  timeoutMs: number;
  logger: Logger;
}

interface Cached<T> {
  value: T;
  expires: number;
}

/** The OID-keyed lookups, cached the same way. */
type CachedKind = 'tables' | 'composites';

// Catalog reads are rare (one per table per TTL), so two connections per target are plenty.
const POOL_SIZE = 2;

const TABLES_SQL = `
  SELECT c.oid::int8 AS oid, c.relname, a.attnum, a.attname
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid
   WHERE c.oid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped`;

// typrelid is set for the row types of tables, views, materialized views and foreign tables and
// for CREATE TYPE ... AS composites; 0 (no row) for enums, base types and domains. An array type
// (typcategory 'A') reaches its composite through typelem.
const COMPOSITES_SQL = `
  SELECT t.oid::int8 AS typeoid, t.typrelid = 0 AS is_array, c.relname, a.attname,
         a.atttypid::int8 AS atttypid, a.atttypmod
    FROM pg_catalog.pg_type t
    LEFT JOIN pg_catalog.pg_type e ON t.typrelid = 0 AND t.typcategory = 'A' AND e.oid = t.typelem
    JOIN pg_catalog.pg_class c ON c.oid = COALESCE(NULLIF(t.typrelid, 0), e.typrelid)
    JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid
   WHERE t.oid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
   ORDER BY t.oid, a.attnum`;

const RELATION_SQL = `
  SELECT c.relname, a.attname, a.atttypid::int8 AS typeoid, a.atttypmod, a.attgenerated <> '' AS generated
    FROM pg_catalog.pg_attribute a
    JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
   WHERE a.attrelid = pg_catalog.to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
   ORDER BY a.attnum`;

/**
 * Reads each target's catalog with the target's own credentials (from TARGETS_FILE), through a
 * small pool per target, and caches what it read for `ttlMs`: table and column names are schema,
 * not data, and repeat on every statement. Concurrent lookups of the same OIDs share one query;
 * a failed read is not cached (the next request asks again).
 */
export class TargetCatalogs implements CatalogReader {
  readonly #pools = new Map<string, pg.Pool>();
  readonly #tables = new Map<string, Cached<TableColumns | null>>();
  readonly #composites = new Map<string, Cached<CompositeType | null>>();
  readonly #relations = new Map<string, Cached<Relation | undefined>>();
  readonly #inFlight = new Map<string, Promise<void>>();

  constructor(private readonly options: TargetCatalogsOptions) {}

  async tables(target: string, tableOids: readonly number[]): Promise<ReadonlyMap<number, TableColumns>> {
    return this.#cached('tables', this.#tables, target, tableOids);
  }

  async compositeTypes(
    target: string,
    typeOids: readonly number[],
  ): Promise<ReadonlyMap<number, CompositeType>> {
    return this.#cached('composites', this.#composites, target, typeOids);
  }

  async relation(target: string, schema: string | undefined, name: string): Promise<Relation | undefined> {
    const qualified = schema === undefined ? quoteIdent(name) : `${quoteIdent(schema)}.${quoteIdent(name)}`;
    const key = `${target}\0${qualified}`;
    const hit = this.#relations.get(key);
    if (hit !== undefined && hit.expires > Date.now()) return hit.value;
    const result = await this.#query<{
      relname: string;
      attname: string;
      typeoid: string;
      atttypmod: number;
      generated: boolean;
    }>(target, RELATION_SQL, [qualified]);
    const value =
      result.length === 0
        ? undefined
        : {
            name: result[0]!.relname,
            columns: result.map((row) => ({
              name: row.attname,
              typeOid: Number(row.typeoid),
              typeModifier: row.atttypmod,
              generated: row.generated,
            })),
          };
    this.#relations.set(key, { value, expires: Date.now() + this.options.ttlMs });
    return value;
  }

  /** Ends every pool. */
  async close(): Promise<void> {
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.allSettled(pools.map((pool) => pool.end()));
  }

  /** Cached entries of `oids`, reading the missing (or expired) ones in one query per kind. */
  async #cached<T>(
    kind: CachedKind,
    cache: Map<string, Cached<T | null>>,
    target: string,
    oids: readonly number[],
  ): Promise<ReadonlyMap<number, T>> {
    const now = Date.now();
    const found = new Map<number, T>();
    let missing: number[] | undefined;
    for (const oid of oids) {
      const hit = cache.get(`${target}\0${oid}`);
      if (hit !== undefined && hit.expires > now) {
        if (hit.value !== null) found.set(oid, hit.value);
      } else (missing ??= []).push(oid);
    }
    if (missing === undefined) return found;
    await this.#load(kind, target, missing);
    for (const oid of missing) {
      const value = cache.get(`${target}\0${oid}`)?.value;
      if (value) found.set(oid, value);
    }
    return found;
  }

  async #load(kind: CachedKind, target: string, oids: number[]): Promise<void> {
    const key = `${kind}\0${target}\0${oids.join(',')}`;
    let pending = this.#inFlight.get(key);
    if (pending === undefined) {
      pending = (
        kind === 'tables' ? this.#readTables(target, oids) : this.#readComposites(target, oids)
      ).finally(() => this.#inFlight.delete(key));
      this.#inFlight.set(key, pending);
    }
    await pending;
  }

  async #readTables(target: string, oids: number[]): Promise<void> {
    const rows = await this.#query<{ oid: string; relname: string; attnum: number; attname: string }>(
      target,
      TABLES_SQL,
      [oids],
    );
    const tables = new Map<number, { name: string; columns: Map<number, string> }>();
    for (const row of rows) {
      const oid = Number(row.oid);
      let table = tables.get(oid);
      if (table === undefined) tables.set(oid, (table = { name: row.relname, columns: new Map() }));
      table.columns.set(row.attnum, row.attname);
    }
    this.#remember(this.#tables, target, oids, tables);
  }

  async #readComposites(target: string, oids: number[]): Promise<void> {
    const rows = await this.#query<{
      typeoid: string;
      is_array: boolean;
      relname: string;
      attname: string;
      atttypid: string;
      atttypmod: number;
    }>(target, COMPOSITES_SQL, [oids]);
    const types = new Map<
      number,
      { name: string; fields: CompositeType['fields'][number][]; array: boolean }
    >();
    for (const row of rows) {
      const oid = Number(row.typeoid);
      let type = types.get(oid);
      if (type === undefined) types.set(oid, (type = { name: row.relname, fields: [], array: row.is_array }));
      type.fields.push({ name: row.attname, typeOid: Number(row.atttypid), typeModifier: row.atttypmod });
    }
    this.#remember(this.#composites, target, oids, types);
  }

  /** Caches what one read found; an OID it did not find (dropped since, not a composite) is remembered as unknown too. */
  #remember<T>(
    cache: Map<string, Cached<T | null>>,
    target: string,
    oids: readonly number[],
    found: ReadonlyMap<number, T>,
  ): void {
    const expires = Date.now() + this.options.ttlMs;
    for (const oid of oids) cache.set(`${target}\0${oid}`, { value: found.get(oid) ?? null, expires });
  }

  async #query<R extends pg.QueryResultRow>(target: string, sql: string, values: unknown[]): Promise<R[]> {
    const pool = this.#pool(target);
    try {
      return (await pool.query<R>(sql, values)).rows;
    } catch (cause) {
      this.options.logger.warn({ err: cause, target }, 'target catalog could not be read');
      throw new DependencyUnavailableError(`the catalog of target "${target}" could not be read`, 'catalog', {
        cause,
      });
    }
  }

  #pool(name: string): pg.Pool {
    let pool = this.#pools.get(name);
    if (pool === undefined) {
      const target = this.options.targets?.find(name);
      if (target === undefined) {
        throw new UnknownTargetError(
          `masking has no catalog access to target "${name}" (not in TARGETS_FILE)`,
        );
      }
      pool = new pg.Pool(poolConfig(target, this.options.timeoutMs));
      // An idle connection that dies must not crash the process; the next query reconnects.
      pool.on('error', (error) =>
        this.options.logger.warn({ err: error, target: name }, 'catalog connection lost'),
      );
      this.#pools.set(name, pool);
    }
    return pool;
  }
}

function poolConfig(target: PostgresTarget, timeoutMs: number): pg.PoolConfig {
  return {
    host: target.host,
    port: target.port,
    database: target.database,
    user: target.user,
    ...(target.password === undefined ? {} : { password: target.password }),
    ssl:
      target.tls === 'disable'
        ? false
        : target.tls === 'require'
          ? { rejectUnauthorized: false }
          : { rejectUnauthorized: true, ...(target.ca === undefined ? {} : { ca: target.ca }) },
    max: POOL_SIZE,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: timeoutMs,
    statement_timeout: timeoutMs,
    query_timeout: timeoutMs,
    application_name: 'gatehouse-masking',
  };
}

/** Quotes an identifier as PostgreSQL's quote_ident does when in doubt: always. */
function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
