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
  /** Everything else (bool, time, interval, arrays, geometric, cidr, ...): masked means NULL. */
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
]);

/**
 * The value kind of a type OID. Types this library does not know (extension types such as
 * `citext` have no fixed OID) are treated as text only when the caller says the OID is `unknown`
 * (705); any other unknown OID is {@link ValueKind.Other}.
 */
export function valueKindOf(typeOid: number): ValueKind {
  return kinds.get(typeOid) ?? ValueKind.Other;
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
