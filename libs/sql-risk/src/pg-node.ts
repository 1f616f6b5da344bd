import type { PgNode } from './pg-parser.ts';

export type { PgNode } from './pg-parser.ts';

/** `value` as a node/field object, or undefined when it is a scalar, array or missing. */
export function asNode(value: unknown): PgNode | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as PgNode) : undefined;
}

/** `value` as a list of nodes; missing lists (omitted by libpg-query when empty) are `[]`. */
export function asNodeList(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The fields of wrapper `node` when it is of `type` (`{ BoolExpr: {...} }` → `{...}`). */
export function nodeFields(node: PgNode, type: string): PgNode | undefined {
  return asNode(node[type]);
}

/** The type name of a wrapper node (its single key). */
export function nodeType(node: PgNode): string | undefined {
  for (const key in node) return key;
  return undefined;
}

/** The text of a `{ String: { sval } }` node. libpg-query omits `sval` when it is empty. */
export function stringValue(value: unknown): string | undefined {
  const node = asNode(value);
  const string = node === undefined ? undefined : asNode(node.String);
  if (string === undefined) return undefined;
  return typeof string.sval === 'string' ? string.sval : '';
}

/** `a.b.c` from a list of String nodes (function and object names), lower-cased. */
export function dottedName(list: unknown): string {
  return asNodeList(list)
    .map((item) => stringValue(item) ?? '*')
    .join('.')
    .toLowerCase();
}

/** `schema.relation` (or `relation`) of RangeVar fields, lower-cased, qualified only when written so. */
export function relationName(rangeVar: PgNode): string {
  const relname = typeof rangeVar.relname === 'string' ? rangeVar.relname : '';
  const schema = typeof rangeVar.schemaname === 'string' ? `${rangeVar.schemaname}.` : '';
  const catalog = typeof rangeVar.catalogname === 'string' ? `${rangeVar.catalogname}.` : '';
  return `${catalog}${schema}${relname}`.toLowerCase();
}

/** The names a statement's columns may use for RangeVar `rangeVar`: its name and its alias. */
export function relationAliases(rangeVar: PgNode): Set<string> {
  const names = new Set<string>();
  if (typeof rangeVar.relname === 'string') names.add(rangeVar.relname);
  const alias = asNode(rangeVar.alias);
  if (alias !== undefined && typeof alias.aliasname === 'string') names.add(alias.aliasname);
  return names;
}
