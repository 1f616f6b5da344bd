import { UnknownTargetError } from '@gatehouse/errors';
import type { CatalogReader, CompositeType, Relation, TableColumns } from './catalog-reader.ts';

/** A table of the in-memory catalog: OID, row type OID, name and columns in attribute order. */
export interface FixtureTable {
  oid: number;
  /** The OID of the table's row type (pg_type); without it the table has no known composite. */
  typeOid?: number;
  /** The OID of the array of that row type (`customers[]`). */
  arrayTypeOid?: number;
  name: string;
  columns: { name: string; typeOid: number; typeModifier?: number }[];
}

/**
 * A catalog held in memory, for unit tests of the masking logic (the medium tests read a real
 * PostgreSQL catalog through TargetCatalogs). Counts lookups so tests can prove caching upstream.
 */
export class InMemoryCatalog implements CatalogReader {
  lookups = 0;

  constructor(private readonly targets: Record<string, FixtureTable[]>) {}

  async tables(target: string, tableOids: readonly number[]): Promise<ReadonlyMap<number, TableColumns>> {
    this.lookups += 1;
    const tables = this.#target(target);
    const out = new Map<number, TableColumns>();
    for (const oid of tableOids) {
      const table = tables.find((candidate) => candidate.oid === oid);
      if (table)
        out.set(oid, { name: table.name, columns: new Map(table.columns.map((c, i) => [i + 1, c.name])) });
    }
    return out;
  }

  async compositeTypes(
    target: string,
    typeOids: readonly number[],
  ): Promise<ReadonlyMap<number, CompositeType>> {
    this.lookups += 1;
    const tables = this.#target(target);
    const out = new Map<number, CompositeType>();
    for (const oid of typeOids) {
      const table = tables.find((candidate) => candidate.typeOid === oid || candidate.arrayTypeOid === oid);
      if (table) {
        out.set(oid, {
          name: table.name,
          array: table.arrayTypeOid === oid,
          fields: table.columns.map((c) => ({
            name: c.name,
            typeOid: c.typeOid,
            typeModifier: c.typeModifier ?? -1,
          })),
        });
      }
    }
    return out;
  }

  async relation(target: string, _schema: string | undefined, name: string): Promise<Relation | undefined> {
    this.lookups += 1;
    const table = this.#target(target).find((candidate) => candidate.name === name);
    return table === undefined
      ? undefined
      : {
          name: table.name,
          columns: table.columns.map((c) => ({
            name: c.name,
            typeOid: c.typeOid,
            typeModifier: c.typeModifier ?? -1,
            generated: false,
          })),
        };
  }

  #target(name: string): FixtureTable[] {
    const tables = this.targets[name];
    if (tables === undefined)
      throw new UnknownTargetError(`masking has no catalog access to target "${name}"`);
    return tables;
  }
}
