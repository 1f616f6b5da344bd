import type { PgNode } from './pg-node.ts';
import { asNode, asNodeList, nodeFields, stringValue } from './pg-node.ts';

/** How a WHERE (or MERGE join condition) may name the rows of the relation a statement writes. */
export interface PredicateScope {
  /** The written relation's name and alias, exactly as the parser folded them. */
  readonly targetNames: ReadonlySet<string>;
  /** PL/pgSQL variable names in scope: a bare reference to one is a constant, not a column. */
  readonly variables: ReadonlySet<string>;
}

/**
 * True when `predicate` does not restrict which target rows an UPDATE/DELETE touches: absent,
 * built only from constants, parameters, variables or other relations' columns (`1=1`, `true`,
 * `$1 = $1`, `s.flag` in `DELETE ... USING s`), a self-comparison (`x = x`), an OR with such an
 * arm (`id = 5 OR 1=1`), or a complementary pair (`x IS NULL OR x IS NOT NULL`).
 *
 * The verdict never depends on literal values (`1=2` counts like `1=1`): statements differing only
 * in literals share a fingerprint, so they must share a classification. A predicate that names the
 * target's columns but still matches every row (`id > 0`) cannot be recognised statically.
 */
export function restrictsNothing(predicate: unknown, scope: PredicateScope): boolean {
  if (predicate === undefined || predicate === null) return true;
  // WHERE CURRENT OF names exactly the row a cursor is on.
  if (asNode(predicate)?.CurrentOfExpr !== undefined) return false;
  return tautological(predicate, scope, true);
}

/** `positive` false means the expression is under an odd number of NOTs. */
function tautological(expression: unknown, scope: PredicateScope, positive: boolean): boolean {
  if (!referencesTarget(expression, scope)) return true;
  const node = asNode(expression);
  if (node === undefined) return false;
  const bool = nodeFields(node, 'BoolExpr');
  if (bool !== undefined) {
    const args = asNodeList(bool.args);
    switch (bool.boolop) {
      case 'AND_EXPR':
        return positive
          ? args.every((arg) => tautological(arg, scope, true))
          : args.some((arg) => tautological(arg, scope, false)) || hasComplementaryPair(args);
      case 'OR_EXPR':
        return positive
          ? args.some((arg) => tautological(arg, scope, true)) || hasComplementaryPair(args)
          : args.every((arg) => tautological(arg, scope, false));
      case 'NOT_EXPR':
        return tautological(args[0], scope, !positive);
      default:
        return false;
    }
  }
  const expr = nodeFields(node, 'A_Expr');
  if (expr !== undefined && sameExpression(expr.lexpr, expr.rexpr)) {
    return positive ? TRUE_ON_EQUAL.has(operatorOf(expr)) : FALSE_ON_EQUAL.has(operatorOf(expr));
  }
  return false;
}

// `x op x` is true for every non-null x with these operators, false with the others.
const TRUE_ON_EQUAL: ReadonlySet<string> = new Set(['=', '<=', '>=', 'not_distinct', '~~', '~~*']);
const FALSE_ON_EQUAL: ReadonlySet<string> = new Set(['<>', '!=', '<', '>', 'distinct']);

function operatorOf(expr: PgNode): string {
  if (expr.kind === 'AEXPR_NOT_DISTINCT') return 'not_distinct';
  if (expr.kind === 'AEXPR_DISTINCT') return 'distinct';
  if (expr.kind !== 'AEXPR_OP' && expr.kind !== 'AEXPR_LIKE' && expr.kind !== 'AEXPR_ILIKE') return '';
  const name = asNodeList(expr.name);
  return stringValue(name[name.length - 1]) ?? '';
}

/** True when some argument appears both plainly and negated (`a OR NOT a`, `x IS NULL OR x IS NOT NULL`). */
function hasComplementaryPair(args: readonly unknown[]): boolean {
  const seen = new Map<string, boolean>();
  for (const arg of args) {
    const [key, negated] = literalOf(arg);
    const other = seen.get(key);
    if (other !== undefined && other !== negated) return true;
    seen.set(key, negated);
  }
  return false;
}

function literalOf(arg: unknown): [string, boolean] {
  const node = asNode(arg);
  const bool = node === undefined ? undefined : nodeFields(node, 'BoolExpr');
  if (bool !== undefined && bool.boolop === 'NOT_EXPR') {
    const [key, negated] = literalOf(asNodeList(bool.args)[0]);
    return [key, !negated];
  }
  const nullTest = node === undefined ? undefined : nodeFields(node, 'NullTest');
  if (nullTest !== undefined) {
    return [`null:${shapeKey(nullTest.arg)}`, nullTest.nulltesttype === 'IS_NOT_NULL'];
  }
  return [shapeKey(arg), false];
}

function sameExpression(left: unknown, right: unknown): boolean {
  if (left === undefined || right === undefined) return false;
  const l = asNode(left);
  const r = asNode(right);
  if (l === undefined || r === undefined) return false;
  // Cheap reject before serialising: different node types can never be equal.
  for (const key in l) if (!(key in r)) return false;
  return shapeKey(left) === shapeKey(right);
}

/** Structural identity of an expression, ignoring source positions. */
function shapeKey(expression: unknown): string {
  return JSON.stringify(expression, (key, value: unknown) => (key === 'location' ? undefined : value));
}

/** True when some column reference in `expression` (subqueries included) may name a target column. */
function referencesTarget(expression: unknown, scope: PredicateScope): boolean {
  if (Array.isArray(expression)) {
    for (const item of expression) if (referencesTarget(item, scope)) return true;
    return false;
  }
  if (expression === null || typeof expression !== 'object') return false;
  const record = expression as PgNode;
  for (const key in record) {
    const child = record[key];
    if (key === 'ColumnRef') {
      if (columnNamesTarget(child as PgNode, scope)) return true;
      continue;
    }
    if (child !== null && typeof child === 'object' && referencesTarget(child, scope)) return true;
  }
  return false;
}

function columnNamesTarget(columnRef: PgNode, scope: PredicateScope): boolean {
  const fields = asNodeList(columnRef.fields);
  if (fields.length <= 1) {
    const name = stringValue(fields[0]);
    // A bare name is a target column unless a PL/pgSQL variable of that name is in scope
    // (PL/pgSQL rejects ambiguous names by default, so a variable match means "not a column").
    return name === undefined || !scope.variables.has(name);
  }
  const qualifier = stringValue(fields[fields.length - 2]);
  return qualifier !== undefined && scope.targetNames.has(qualifier);
}
