import { beforeAll, describe, expect, it } from 'vitest';
import { loadPgParser, type PgParser } from './pg-parser.ts';
import { assignmentExpression, dollarQuote, readPlPgSqlBlock } from './plpgsql-block.ts';

let parser: PgParser;

beforeAll(async () => {
  parser = await loadPgParser();
});

describe('plpgsql-block', () => {
  it('plpgsql-block - dollar-quotes a body with a tag it does not contain, even at its end', () => {
    expect(dollarQuote('BEGIN END')).toBe('$gh0$BEGIN END$gh0$');
    expect(dollarQuote('x $gh0$ y')).toBe('$gh1$x $gh0$ y$gh1$');
    // `…$gh0` + `$gh0$` would close early at the body's own `$gh0`.
    expect(dollarQuote('RAISE NOTICE $gh0')).toBe('$gh1$RAISE NOTICE $gh0$gh1$');
  });

  it('plpgsql-block - lists embedded statements, expressions, variables and dynamic SQL', () => {
    const block = readPlPgSqlBlock(
      parser,
      "DECLARE v int := 1; BEGIN DELETE FROM t WHERE id = v; IF v > 0 THEN EXECUTE 'x'; END IF; COMMIT; END",
    );
    expect(block.embedded).toEqual([
      { text: '1', mode: 2 },
      { text: 'DELETE FROM t WHERE id = v', mode: 0 },
      { text: 'v > 0', mode: 2 },
      { text: "'x'", mode: 2 },
    ]);
    expect([...block.variables].sort()).toEqual(['found', 'v']);
    expect(block.dynamic).toBe(true);
    expect(block.transactionControl).toBe(true);
  });

  it('plpgsql-block - throws on a body PL/pgSQL rejects', () => {
    expect(() => readPlPgSqlBlock(parser, 'BEGIN garbage; END')).toThrow();
  });

  it('plpgsql-block - takes the expression of an assignment, refusing targets that compute', () => {
    expect(assignmentExpression('x := pg_sleep(1)')).toBe(' pg_sleep(1)');
    expect(assignmentExpression('arr[i + 1] = 2')).toBe(' 2');
    expect(assignmentExpression('r.field := 3')).toBe(' 3');
    expect(assignmentExpression('arr[f(1)] := 2')).toBeUndefined();
    expect(assignmentExpression('no assignment')).toBeUndefined();
  });
});
