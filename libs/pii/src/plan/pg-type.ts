/**
 * PostgreSQL built-in type OIDs this library reasons about (from `pg_type.dat`,
 * https://github.com/postgres/postgres/blob/master/src/include/catalog/pg_type.dat).
 */
export const PgTypeOid = {
  Bool: 16,
  Bytea: 17,
  Char: 18,
  Name: 19,
  Int8: 20,
  Int2: 21,
  Int4: 23,
  Text: 25,
  Oid: 26,
  Json: 114,
  Xml: 142,
  Float4: 700,
  Float8: 701,
  Unknown: 705,
  Money: 790,
  Inet: 869,
  Cidr: 650,
  Bpchar: 1042,
  Varchar: 1043,
  Date: 1082,
  Time: 1083,
  Timestamp: 1114,
  Timestamptz: 1184,
  Interval: 1186,
  Timetz: 1266,
  Numeric: 1700,
  Uuid: 2950,
  Jsonb: 3802,
  Record: 2249,
  RecordArray: 2287,
  TextArray: 1009,
  Int4Array: 1007,
} as const;

/**
 * How a column's values are shaped, which decides both whether it is scanned and what a
 * type-safe masked value looks like. One `as const` object drives the union and its checks.
 */
export const ValueKind = {
  /** Free text: scanned by content; masked with text operators. */
  Text: 'text',
  /** `json` / `jsonb`: scanned string by string; masking keeps the document valid JSON. */
  Json: 'json',
  /** `int2` / `int4` / `int8` / `oid`: masked values are digits only, same length, in range. */
  Integer: 'integer',
  /** `numeric` / `float4` / `float8` / `money`: digits are replaced, every other character kept. */
  Decimal: 'decimal',
  /** `date`: masked values are valid dates in the same DateStyle shape. */
  Date: 'date',
  /** `timestamp` / `timestamptz`: the date part is masked, the time kept. */
  Timestamp: 'timestamp',
  /** `uuid`: masked values are valid UUIDs. */
  Uuid: 'uuid',
  /** `inet`: masked values are valid addresses (same family, same prefix length suffix). */
  Inet: 'inet',
  /** `bytea` (hex output format): masked values are valid hex bytea. */
  Bytea: 'bytea',
  /**
   * Types whose values cannot hold personal data (bool, time, timetz, interval, the `reg*` and
   * other OID-like types, `pg_lsn`): never scanned; masked (a custom rule's `columns`) means NULL.
   */
  Scalar: 'scalar',
  /** A built-in array type: each element is scanned or masked as its element type's kind. */
  Array: 'array',
  /**
   * `record`, table row types, enums, extension types and every OID this library does not know:
   * scanned as composite `(...)` or array `{...}` text when the value has that shape, else as
   * free text. Domains never show up here: a RowDescription carries the domain's base type.
   */
  Structured: 'structured',
  /**
   * Built-in types with a fixed syntax that no in-place rewrite keeps valid (cidr, macaddr,
   * geometric, bit strings, tsvector / tsquery, ranges, jsonpath, ...): scanned as text, and a
   * finding turns the whole cell into NULL.
   */
  Other: 'other',
} as const;

/** One value kind. */
export type ValueKind = (typeof ValueKind)[keyof typeof ValueKind];

const kinds = new Map<number, ValueKind>([
  [PgTypeOid.Text, ValueKind.Text],
  [PgTypeOid.Varchar, ValueKind.Text],
  [PgTypeOid.Bpchar, ValueKind.Text],
  [PgTypeOid.Name, ValueKind.Text],
  [PgTypeOid.Char, ValueKind.Text],
  [PgTypeOid.Unknown, ValueKind.Text],
  [PgTypeOid.Xml, ValueKind.Text],
  [1790, ValueKind.Text], // refcursor
  [2275, ValueKind.Text], // cstring
  [PgTypeOid.Json, ValueKind.Json],
  [PgTypeOid.Jsonb, ValueKind.Json],
  [PgTypeOid.Int2, ValueKind.Integer],
  [PgTypeOid.Int4, ValueKind.Integer],
  [PgTypeOid.Int8, ValueKind.Integer],
  [PgTypeOid.Oid, ValueKind.Integer],
  [PgTypeOid.Numeric, ValueKind.Decimal],
  [PgTypeOid.Float4, ValueKind.Decimal],
  [PgTypeOid.Float8, ValueKind.Decimal],
  [PgTypeOid.Money, ValueKind.Decimal],
  [PgTypeOid.Date, ValueKind.Date],
  [PgTypeOid.Timestamp, ValueKind.Timestamp],
  [PgTypeOid.Timestamptz, ValueKind.Timestamp],
  [PgTypeOid.Uuid, ValueKind.Uuid],
  [PgTypeOid.Inet, ValueKind.Inet],
  [PgTypeOid.Bytea, ValueKind.Bytea],
  [PgTypeOid.Record, ValueKind.Structured],
  // The allow-list: values of these types carry no personal data.
  ...[
    PgTypeOid.Bool,
    PgTypeOid.Time,
    PgTypeOid.Timetz,
    PgTypeOid.Interval,
    22, // int2vector
    24, // regproc
    27, // tid
    28, // xid
    29, // cid
    30, // oidvector
    2202, // regprocedure
    2203, // regoper
    2204, // regoperator
    2205, // regclass
    2206, // regtype
    2278, // void
    3220, // pg_lsn
    3734, // regconfig
    3769, // regdictionary
    4089, // regnamespace
    4096, // regrole
    4191, // regcollation
    5069, // xid8
  ].map((oid) => [oid, ValueKind.Scalar] as const),
  // Fixed-syntax built-ins: a finding inside makes the cell NULL.
  ...[
    194, // pg_node_tree
    600, // point
    601, // lseg
    602, // path
    603, // box
    604, // polygon
    628, // line
    PgTypeOid.Cidr,
    718, // circle
    774, // macaddr8
    829, // macaddr
    1033, // aclitem
    1560, // bit
    1562, // varbit
    2970, // txid_snapshot
    3361, // pg_ndistinct
    3402, // pg_dependencies
    3614, // tsvector
    3615, // tsquery
    3642, // gtsvector
    3904, // int4range
    3906, // numrange
    3908, // tsrange
    3910, // tstzrange
    3912, // daterange
    3926, // int8range
    4072, // jsonpath
    4451, // int4multirange
    4532, // nummultirange
    4533, // tsmultirange
    4534, // tstzmultirange
    4535, // datemultirange
    4536, // int8multirange
    4600, // pg_brin_bloom_summary
    4601, // pg_brin_minmax_multi_summary
    5017, // pg_mcv_list
    5038, // pg_snapshot
  ].map((oid) => [oid, ValueKind.Other] as const),
]);

/**
 * Built-in array type OID → element type OID (`typelem` of the `_name` types in `pg_type.dat`).
 * Arrays of user types (enums, table row types) have no fixed OID: they are
 * {@link ValueKind.Structured} and parsed by shape.
 */
const ARRAY_ELEMENTS = new Map<number, number>([
  [143, PgTypeOid.Xml],
  [199, PgTypeOid.Json],
  [271, 5069],
  [629, 628],
  [651, PgTypeOid.Cidr],
  [719, 718],
  [775, 774],
  [791, PgTypeOid.Money],
  [1000, PgTypeOid.Bool],
  [1001, PgTypeOid.Bytea],
  [1002, PgTypeOid.Char],
  [1003, PgTypeOid.Name],
  [1005, PgTypeOid.Int2],
  [1006, 22],
  [PgTypeOid.Int4Array, PgTypeOid.Int4],
  [1008, 24],
  [PgTypeOid.TextArray, PgTypeOid.Text],
  [1010, 27],
  [1011, 28],
  [1012, 29],
  [1013, 30],
  [1014, PgTypeOid.Bpchar],
  [1015, PgTypeOid.Varchar],
  [1016, PgTypeOid.Int8],
  [1017, 600],
  [1018, 601],
  [1019, 602],
  [1020, 603],
  [1021, PgTypeOid.Float4],
  [1022, PgTypeOid.Float8],
  [1027, 604],
  [1028, PgTypeOid.Oid],
  [1034, 1033],
  [1040, 829],
  [1041, PgTypeOid.Inet],
  [1115, PgTypeOid.Timestamp],
  [1182, PgTypeOid.Date],
  [1183, PgTypeOid.Time],
  [1185, PgTypeOid.Timestamptz],
  [1187, PgTypeOid.Interval],
  [1231, PgTypeOid.Numeric],
  [1263, 2275],
  [1270, PgTypeOid.Timetz],
  [1561, 1560],
  [1563, 1562],
  [2201, 1790],
  [2207, 2202],
  [2208, 2203],
  [2209, 2204],
  [2210, 2205],
  [2211, 2206],
  [PgTypeOid.RecordArray, PgTypeOid.Record],
  [2949, 2970],
  [2951, PgTypeOid.Uuid],
  [3221, 3220],
  [3643, 3614],
  [3644, 3642],
  [3645, 3615],
  [3735, 3734],
  [3770, 3769],
  [3807, PgTypeOid.Jsonb],
  [3905, 3904],
  [3907, 3906],
  [3909, 3908],
  [3911, 3910],
  [3913, 3912],
  [3927, 3926],
  [4073, 4072],
  [4090, 4089],
  [4097, 4096],
  [4192, 4191],
  [5039, 5038],
  [6150, 4451],
  [6151, 4532],
  [6152, 4533],
  [6153, 4534],
  [6155, 4535],
  [6157, 4536],
]);

/** Array types whose element delimiter is not a comma (`box` prints `;`, `pg_type.typdelim`). */
const BOX_ARRAY = 1020;

/**
 * The value kind of a type OID: the built-ins this library knows, {@link ValueKind.Array} for
 * built-in arrays, and {@link ValueKind.Structured} for `record` and every OID it does not know
 * (table row types, enums, extension types, arrays of those), which are scanned by shape.
 */
export function valueKindOf(typeOid: number): ValueKind {
  return kinds.get(typeOid) ?? (ARRAY_ELEMENTS.has(typeOid) ? ValueKind.Array : ValueKind.Structured);
}

/**
 * The first OID a database hands out to objects users create (`FirstNormalObjectId`,
 * https://github.com/postgres/postgres/blob/master/src/include/access/transam.h): every OID below
 * it is built in, and no built-in type is a table's row type.
 */
export const FIRST_NORMAL_OBJECT_ID = 16_384;

/**
 * Whether a column of this type may be a composite of a user relation (`SELECT c FROM customers
 * c`), so that a catalog can tell its fields: a user type this library does not know. Enums and
 * extension types pass this test too; the catalog tells them apart.
 */
export function mayBeRowType(typeOid: number): boolean {
  return typeOid >= FIRST_NORMAL_OBJECT_ID && valueKindOf(typeOid) === ValueKind.Structured;
}

/** The element type OID of a built-in array type, or undefined when `typeOid` is not one. */
export function arrayElementOf(typeOid: number): number | undefined {
  return ARRAY_ELEMENTS.get(typeOid);
}

/** The element delimiter of an array type's text form: `;` for `box[]`, `,` for every other. */
export function arrayDelimiterOf(typeOid: number): string {
  return typeOid === BOX_ARRAY ? ';' : ',';
}

/** Largest number of decimal digits an integer type can print without overflowing. */
export function integerDigitLimit(typeOid: number): number {
  switch (typeOid) {
    case PgTypeOid.Int2:
      return 5; // 32767
    case PgTypeOid.Int4:
      return 10; // 2147483647
    case PgTypeOid.Oid:
      return 10; // 4294967295
    default:
      return 19; // int8: 9223372036854775807
  }
}

/**
 * Character length limit that masking must respect, from the type modifier of `char(n)` /
 * `varchar(n)` (atttypmod = n + 4, https://www.postgresql.org/docs/current/catalog-pg-attribute.html);
 * `"char"` is always one byte. -1 when the type has no length.
 */
export function lengthLimitOf(typeOid: number, typeModifier: number | undefined): number {
  if (typeOid === PgTypeOid.Char) return 1;
  if (
    (typeOid === PgTypeOid.Bpchar || typeOid === PgTypeOid.Varchar) &&
    typeModifier !== undefined &&
    typeModifier >= 5
  ) {
    return typeModifier - 4;
  }
  return -1;
}
