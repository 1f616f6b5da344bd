import { UnclassifiableStatementError } from '@gatehouse/errors';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { readSqlCorpus } from './corpus/index.ts';
import {
  classifyOrThrow,
  createSqlClassifier,
  DEFAULT_MAX_STATEMENT_BYTES,
  isRiskClass,
  isRiskFlag,
  isStatementKind,
  type SqlClassifier,
} from './index.ts';

let classifier: SqlClassifier;

beforeAll(async () => {
  classifier = await createSqlClassifier();
});

const fingerprintOf = (sql: string): string => classifier.classify(sql).fingerprint;

describe('sql-classifier', () => {
  it('sql-classifier - reports one classification per top-level statement and their union', () => {
    const result = classifier.classify('SELECT * FROM customers; DELETE FROM orders WHERE id = $2');
    expect(result.statements.map((statement) => [statement.kind, statement.riskClass])).toEqual([
      ['select', 'read'],
      ['delete', 'write'],
    ]);
    expect(result.statements[0]?.relationsRead).toEqual(['customers']);
    expect(result.statements[1]?.relationsWritten).toEqual(['orders']);
    expect(result.kinds).toEqual(['select', 'delete']);
    expect(result.riskClass).toBe('write');
    expect(result.riskFlags).toEqual(['multi_statement']);
    expect(result.parameterCount).toBe(2);
  });

  it('sql-classifier - the top-level kind comes first in a statement that nests others', () => {
    const [statement] = classifier.classify(
      'EXPLAIN ANALYZE WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d',
    ).statements;
    expect(statement?.kind).toBe('explain');
    expect(statement?.kinds).toEqual(['explain', 'select', 'delete']);
    expect(statement?.riskFlags).toEqual(['write_without_where', 'writable_cte', 'explain_analyze']);
  });

  it('sql-classifier - an empty or comment-only text is an empty read', () => {
    for (const sql of ['', '  \n', ';', '/* nothing */']) {
      const result = classifier.classify(sql);
      expect(result.statements).toEqual([]);
      expect(result.riskClass).toBe('read');
      expect(result.normalized).toBe(sql.includes(';') ? ';' : '');
    }
  });

  it('sql-classifier - is deterministic', () => {
    const sql = "WITH x AS (SELECT * FROM a) UPDATE b SET c = 1 FROM x WHERE b.id = x.id AND x.k = 'v'";
    expect(classifier.classify(sql)).toEqual(classifier.classify(sql));
  });

  it('sql-classifier - fingerprint is equal across literal values, whitespace, comments and keyword case', () => {
    const base = fingerprintOf('SELECT * FROM customers WHERE id = 1');
    expect(base).toMatch(/^[0-9a-f]{64}$/u);
    expect(fingerprintOf("select *\n  from CUSTOMERS  where id=42 -- who's asking")).toBe(base);
    expect(fingerprintOf('SELECT /* c */ * FROM customers WHERE id = 9999999')).toBe(base);
    expect(fingerprintOf("DELETE FROM t WHERE name = 'a'")).toBe(
      fingerprintOf("delete from t where name = 'b'"),
    );
  });

  it('sql-classifier - fingerprint differs for different tables, columns, statements and statement counts', () => {
    const base = fingerprintOf('SELECT * FROM customers WHERE id = 1');
    expect(fingerprintOf('SELECT * FROM orders WHERE id = 1')).not.toBe(base);
    expect(fingerprintOf('SELECT * FROM customers WHERE email = 1')).not.toBe(base);
    expect(fingerprintOf('DELETE FROM customers WHERE id = 1')).not.toBe(base);
    expect(fingerprintOf('SELECT * FROM customers WHERE id = 1; SELECT 1')).not.toBe(base);
  });

  it('sql-classifier - fingerprint follows the classification where pg_query ignores a constant', () => {
    // pg_query's fingerprint ignores DO bodies and option values; the classification does not.
    expect(fingerprintOf('DO $$BEGIN DELETE FROM t WHERE id = 1; END$$')).toBe(
      fingerprintOf('DO $$BEGIN DELETE FROM t WHERE id = 2; END$$'),
    );
    expect(fingerprintOf('DO $$BEGIN DELETE FROM t WHERE id = 1; END$$')).not.toBe(
      fingerprintOf('DO $$BEGIN DELETE FROM t; END$$'),
    );
    expect(fingerprintOf('BEGIN READ ONLY')).not.toBe(fingerprintOf('BEGIN READ WRITE'));
    expect(fingerprintOf('EXPLAIN (ANALYZE off) DELETE FROM t')).not.toBe(
      fingerprintOf('EXPLAIN (ANALYZE on) DELETE FROM t'),
    );
  });

  it('sql-classifier - fingerprint and normalized text ignore any string literal value', () => {
    const reference = classifier.classify("SELECT * FROM t WHERE a = 'x'");
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme' }).filter((value) => !value.includes('\0')),
        (value) => {
          const result = classifier.classify(`SELECT * FROM t WHERE a = '${value.replaceAll("'", "''")}'`);
          expect(result.normalized).toBe('SELECT * FROM t WHERE a = $1');
          expect(result.fingerprint).toBe(reference.fingerprint);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('sql-classifier - normalized text replaces literals in utility statements and drops comments', () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      [
        "CREATE VIEW v AS SELECT * FROM c WHERE ssn = '123-45-6789' -- secret",
        'CREATE VIEW v AS SELECT * FROM c WHERE ssn = $1',
      ],
      ["COPY customers TO '/tmp/customers.csv'", 'COPY customers TO $1'],
      ["ALTER USER bob WITH PASSWORD 'hunter2'", 'ALTER USER bob WITH PASSWORD $1'],
      ["ALTER SYSTEM SET work_mem = '64MB'", 'ALTER SYSTEM SET work_mem = $1'],
      ['SET TRANSACTION ISOLATION LEVEL REPEATABLE READ', 'SET TRANSACTION ISOLATION LEVEL REPEATABLE READ'],
      ["PREPARE p AS SELECT 'secret', $1", 'PREPARE p AS SELECT $2, $1'],
      ["SELECT 1 /* the customer's email is a@b.c */ + 2", 'SELECT $1 + $2'],
      ['SELECT a/**/FROM t', 'SELECT a FROM t'],
      ["DO $$BEGIN RAISE NOTICE 'secret'; END$$", 'DO $1'],
      ["SELECT 'é' FROM t WHERE n = 'ü' -- ünïcödé", 'SELECT $1 FROM t WHERE n = $2'],
    ];
    for (const [sql, normalized] of cases) expect(classifier.classify(sql).normalized, sql).toBe(normalized);
  });

  it('sql-classifier - parameterCount is the highest $n the client used', () => {
    expect(classifier.classify('SELECT 1').parameterCount).toBe(0);
    expect(classifier.classify('SELECT $1, $3').parameterCount).toBe(3);
    expect(classifier.classify('PREPARE p AS SELECT * FROM t WHERE a = $2').parameterCount).toBe(2);
    expect(classifier.classify("SELECT $1 FROM t WHERE x = 'literal'").parameterCount).toBe(1);
  });

  it('sql-classifier - text over the byte cap is unknown and too_large without being parsed', async () => {
    const small = await createSqlClassifier({ maxStatementBytes: 100 });
    const ascii = small.classify(`SELECT '${'x'.repeat(100)}'`);
    expect(ascii.riskClass).toBe('unknown');
    expect(ascii.riskFlags).toEqual(['too_large']);
    expect(ascii.statements).toEqual([
      {
        kind: 'unknown',
        kinds: ['unknown'],
        relationsRead: [],
        relationsWritten: [],
        functions: [],
        riskFlags: ['too_large'],
        riskClass: 'unknown',
      },
    ]);
    expect(ascii.normalized).toBe('');
    // 45 characters but 90 UTF-8 bytes fit; 51 characters are 102 bytes and do not.
    expect(small.classify(`SELECT '${'é'.repeat(45)}'`).riskClass).toBe('read');
    expect(small.classify(`SELECT '${'é'.repeat(51)}'`).riskFlags).toEqual(['too_large']);
  });

  it('sql-classifier - the default cap is 1 MiB', () => {
    expect(DEFAULT_MAX_STATEMENT_BYTES).toBe(1_048_576);
    const prefix = 'SELECT 1 -- ';
    expect(
      classifier.classify(prefix + 'x'.repeat(DEFAULT_MAX_STATEMENT_BYTES - prefix.length)).riskClass,
    ).toBe('read');
    expect(
      classifier.classify(prefix + 'x'.repeat(DEFAULT_MAX_STATEMENT_BYTES - prefix.length + 1)).riskFlags,
    ).toEqual(['too_large']);
  });

  it('sql-classifier - refuses a cap that is not a positive integer', async () => {
    await expect(createSqlClassifier({ maxStatementBytes: 0 })).rejects.toThrow(RangeError);
    await expect(createSqlClassifier({ maxStatementBytes: 1.5 })).rejects.toThrow(RangeError);
  });

  it('sql-classifier - a NUL byte or a lone surrogate makes the text unparsable', () => {
    for (const sql of [
      'SELECT 1\0; DROP TABLE t',
      'SELECT 1\0',
      "SELECT '\ud800'",
      "SELECT '\udc00' FROM t",
    ]) {
      const result = classifier.classify(sql);
      expect(result.riskClass, JSON.stringify(sql)).toBe('unknown');
      expect(result.riskFlags).toEqual(['unparsable']);
      expect(result.normalized).toBe('');
    }
    // A well-formed surrogate pair is an ordinary character.
    expect(classifier.classify("SELECT '😀'").riskClass).toBe('read');
  });

  it('sql-classifier - unparsable text gets a literal-free rendering and a stable fingerprint', () => {
    const first = classifier.classify("DR/**/OP TABLE t WHERE x = 'secret'");
    expect(first.normalized).toBe('DR OP TABLE t WHERE x = $1');
    expect(first.fingerprint).toBe(classifier.classify("dr OP table T where X = 'other' -- c").fingerprint);
    expect(classifier.classify("SELECT 'unterminated").normalized).toBe('');
  });

  it('sql-classifier - a tree too deep to parse or walk fails closed', () => {
    const deepSum = classifier.classify(`SELECT 1${' + 1'.repeat(10_000)}`);
    expect(deepSum.riskClass).toBe('unknown');
    expect(deepSum.riskFlags).toEqual(['unparsable']);
    const deepNot = classifier.classify(`DELETE FROM t WHERE ${'NOT '.repeat(3000)}true`);
    expect(deepNot.riskClass).toBe('unknown');
    expect(deepNot.riskFlags).toEqual(['too_complex']);
  });

  it('sql-classifier - DO blocks nested beyond eight levels are unknown', () => {
    let nested = 'SELECT 1';
    for (let level = 0; level < 8; level += 1)
      nested = `DO $l${level}$BEGIN ${nested.startsWith('DO') ? nested : `PERFORM 1`}; END$l${level}$`;
    expect(classifier.classify(nested).riskClass).toBe('read');
    const deeper = `DO $l8$BEGIN ${nested}; END$l8$`;
    expect(classifier.classify(deeper).riskClass).toBe('unknown');
    expect(classifier.classify(deeper).riskFlags).toContain('too_complex');
  });

  it('sql-classifier - uses the session prepared statements only when given', () => {
    expect(classifier.classify('EXECUTE purge').riskClass).toBe('unknown');
    const context = { preparedStatements: new Map([['purge', 'DELETE FROM customers']]) };
    const result = classifier.classify('EXECUTE purge', context);
    expect(result.riskClass).toBe('destructive');
    expect(result.kinds).toEqual(['execute', 'delete']);
    expect(result.fingerprint).not.toBe(classifier.classify('EXECUTE purge').fingerprint);
  });

  it('sql-classifier - never throws and always answers in the published vocabulary, whatever the text', () => {
    const corpus = readSqlCorpus().map((row) => row.sql);
    const mutated = fc
      .tuple(fc.constantFrom(...corpus), fc.nat(), fc.string({ unit: 'binary', maxLength: 6 }))
      .map(
        ([sql, at, insert]) =>
          sql.slice(0, at % (sql.length + 1)) + insert + sql.slice(at % (sql.length + 1)),
      );
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), mutated), (sql) => {
        const result = classifier.classify(sql);
        expect(isRiskClass(result.riskClass)).toBe(true);
        expect(result.kinds.every(isStatementKind)).toBe(true);
        expect(result.riskFlags.every(isRiskFlag)).toBe(true);
        expect(result.fingerprint).toMatch(/^[0-9a-f]{64}$/u);
        expect(result.statements.length > 0 || result.riskClass === 'read').toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('classifyOrThrow - throws UnclassifiableStatementError without the SQL text for unparsable or oversized text', async () => {
    const thrown = (() => {
      try {
        classifyOrThrow(classifier, "DR/**/OP TABLE customers -- 'secret'");
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(thrown).toBeInstanceOf(UnclassifiableStatementError);
    expect((thrown as UnclassifiableStatementError).code).toBe('unclassifiable_statement');
    expect((thrown as Error).message).toBe('SQL text could not be classified: unparsable');
    const small = await createSqlClassifier({ maxStatementBytes: 10 });
    expect(() => classifyOrThrow(small, 'SELECT 1234567890')).toThrow(
      'SQL text could not be classified: too_large',
    );
  });

  it('classifyOrThrow - returns the classification of anything that parsed, unknown effect included', () => {
    expect(classifyOrThrow(classifier, 'CALL p()').riskClass).toBe('unknown');
    expect(classifyOrThrow(classifier, 'SELECT 1').riskClass).toBe('read');
  });
});
