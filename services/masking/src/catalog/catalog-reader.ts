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

/**
 * What masking needs from a target's catalog: the real table and column behind a result column
 * (RowDescription carries only OIDs and attribute numbers), and a relation's columns for COPY.
 * Throws UnknownTargetError for a target it cannot reach by name, DependencyUnavailableError when
 * the catalog cannot be read.
 */
export interface CatalogReader {
  /** Tables by OID; OIDs the catalog does not know are absent from the map. */
  tables(target: string, tableOids: readonly number[]): Promise<ReadonlyMap<number, TableColumns>>;
  /** A relation's columns, or undefined when the name resolves to nothing. */
  relation(target: string, schema: string | undefined, name: string): Promise<Relation | undefined>;
}
