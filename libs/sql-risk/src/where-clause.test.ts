import { beforeAll, describe, expect, it } from 'vitest';
import { loadPgParser, type PgParser } from './pg-parser.ts';
import { restrictsNothing } from './where-clause.ts';

let parser: PgParser;

beforeAll(async () => {
  parser = await loadPgParser();
});

/** The WHERE of `DELETE FROM customers c <where>`, judged for target `customers` alias `c`. */
function unrestricted(where: string, variables: readonly string[] = []): boolean {
  const [raw] = parser.parse(`DELETE FROM customers c USING orders o WHERE ${where}`).stmts ?? [];
  const predicate = (raw?.stmt?.DeleteStmt as { whereClause?: unknown }).whereClause;
  return restrictsNothing(predicate, {
    targetNames: new Set(['customers', 'c']),
    variables: new Set(variables),
  });
}

describe('where-clause', () => {
  it('where-clause - a missing predicate restricts nothing', () => {
    expect(restrictsNothing(undefined, { targetNames: new Set(['t']), variables: new Set() })).toBe(true);
  });

  it('where-clause - predicates on target columns restrict', () => {
    for (const where of [
      'id = 1',
      'c.id = $1',
      'customers.email IS NULL',
      'id = 1 AND 1 = 1',
      'NOT (id = 1)',
      'id <> id',
      'id IN (SELECT 1)',
    ]) {
      expect(unrestricted(where), where).toBe(false);
    }
  });

  it('where-clause - constants, other tables, self-comparisons and tautological arms restrict nothing', () => {
    const cases = [
      '1 = 1',
      'true',
      "'a' = 'a'",
      '1 = 2',
      '$1 = $1',
      'now() IS NOT NULL',
      'o.total > 0',
      'EXISTS (SELECT 1 FROM orders x WHERE x.total > 0)',
      'id = id',
      'c.id >= c.id',
      'lower(email) = lower(email)',
      'id IS NOT DISTINCT FROM id',
      'id = 5 OR 1 = 1',
      'NOT false',
      'NOT (id <> id)',
      'NOT (id = 1 AND false)',
      'vip OR NOT vip',
      'email IS NULL OR email IS NOT NULL',
      'id = id AND name = name',
    ];
    for (const where of cases) expect(unrestricted(where), where).toBe(true);
  });

  it('where-clause - a PL/pgSQL variable is a constant, not a column', () => {
    expect(unrestricted('id = v', ['v'])).toBe(false);
    expect(unrestricted('v = 5', ['v'])).toBe(true);
  });
});
