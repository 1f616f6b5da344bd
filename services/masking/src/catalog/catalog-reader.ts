/** A table's name and its live columns by attribute number. */
export interface TableColumns {
  /** Relation name (no schema), as column hints of the `table.column` form expect. */
  readonly name: string;
  /** Column names by attribute number (pg_attribute.attnum). */
  readonly columns: ReadonlyMap<number, string>;
}

/** One column of a relation, in attribute order (what `COPY relation TO` writes). */
export interface RelationColumn {
  readonly name: string;
  readonly typeOid: number;
  readonly typeModifier: number;
  /** True for a generated column, which some server versions leave out of a plain COPY TO. */
  readonly generated: boolean;
}

/** A relation resolved by name. */
export interface Relation {
  readonly name: string;
  readonly columns: readonly RelationColumn[];
}

/** One field of a composite type: a live column of its relation. */
export interface CompositeField {
  readonly name: string;
  readonly typeOid: number;
  readonly typeModifier: number;
}

/**
 * A composite type resolved by OID through `pg_type.typrelid`: the row type of a table or view,
 * or a `CREATE TYPE ... AS (...)` composite, or an array of one (through `typelem`). Fields in
 * attribute order, dropped columns left out (what `record_out` prints).
 */
export interface CompositeType {
  /** Relation name (no schema), as column hints of the `table.column` form expect. */
  readonly name: string;
  readonly fields: readonly CompositeField[];
  /** True when the OID is an array of the composite (`customers[]`): the fields are each element's. */
  readonly array: boolean;
}

/**
 * What masking needs from a target's catalog: the real table and column behind a result column
 * (RowDescription carries only OIDs and attribute numbers), the fields of a whole-row column's
 * composite type, and a relation's columns for COPY.
 * Throws UnknownTargetError for a target it cannot reach by name, DependencyUnavailableError when
 * the catalog cannot be read.
 */
export interface CatalogReader {
  /** Tables by OID; OIDs the catalog does not know are absent from the map. */
  tables(target: string, tableOids: readonly number[]): Promise<ReadonlyMap<number, TableColumns>>;
  /**
   * Composite types by type OID (a whole-row column's type), so that their fields are masked by
   * name; OIDs that are not composites (enums, base types) or that the catalog does not know are
   * absent from the map.
   */
  compositeTypes(target: string, typeOids: readonly number[]): Promise<ReadonlyMap<number, CompositeType>>;
  /** A relation's columns, or undefined when the name resolves to nothing. */
  relation(target: string, schema: string | undefined, name: string): Promise<Relation | undefined>;
}
