import { createSqlClassifier, type SqlClassification } from '@gatehouse/sql-risk';
import { readSqlCorpus } from '@gatehouse/sql-risk/corpus';
import { beforeAll, describe, expect, it } from 'vitest';
import { statementTemplate } from './statement-template.ts';

describe('statementTemplate', () => {
  it('statement-template - replaces the numeric literals of pgbench -M simple statements', () => {
    expect(statementTemplate('SELECT abalance FROM pgbench_accounts WHERE aid = 48213;')).toBe(
      'SELECT abalance FROM pgbench_accounts WHERE aid = ?i;',
    );
    expect(statementTemplate('UPDATE pgbench_accounts SET abalance = abalance + -4711 WHERE aid = 7;')).toBe(
      'UPDATE pgbench_accounts SET abalance = abalance + -?i WHERE aid = ?i;',
    );
    expect(
      statementTemplate(
        'INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (3, 1, 9, 12, CURRENT_TIMESTAMP);',
      ),
    ).toBe(
      'INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (?i, ?i, ?i, ?i, CURRENT_TIMESTAMP);',
    );
  });

  it('statement-template - keeps the literal category, strings, parameters, quoted names and identifiers with digits', () => {
    expect(statementTemplate('SELECT 1.5, .5, 4e2, 1_000, \'x1\', $1, "col2", t3.c4 FROM t3 LIMIT 10')).toBe(
      'SELECT ?n, ?n, ?n, ?i, \'x1\', $1, "col2", t3.c4 FROM t3 LIMIT ?i',
    );
    expect(statementTemplate("SELECT E'a\\'1', $$2$$, $tag$ 3 $tag$, 4 -- 5\n/* 6 /* 7 */ */")).toBe(
      "SELECT E'a\\'1', $$2$$, $tag$ 3 $tag$, ?i -- 5\n/* 6 /* 7 */ */",
    );
    expect(statementTemplate('BEGIN; SELECT 1; COMMIT')).toBe('BEGIN; SELECT ?i; COMMIT');
    expect(statementTemplate('  with x as (select 2) select * from x')).toBe(
      '  with x as (select ?i) select * from x',
    );
  });

  it('statement-template - gives two texts that differ only in numbers the same template, other differences not', () => {
    expect(statementTemplate('SELECT * FROM t WHERE id = 1')).toBe(
      statementTemplate('SELECT * FROM t WHERE id = 99'),
    );
    expect(statementTemplate('SELECT * FROM t WHERE id = 1')).not.toBe(
      statementTemplate('SELECT * FROM t WHERE id = 1.0'),
    );
    expect(statementTemplate("SELECT 'a', 1")).not.toBe(statementTemplate("SELECT 'b', 1"));
    expect(statementTemplate('SELECT * FROM t WHERE id = 1')).not.toBe(
      statementTemplate('SELECT * FROM u WHERE id = 1'),
    );
  });

  it('statement-template - has no template where a number can change what runs', () => {
    for (const text of [
      'EXPLAIN (ANALYZE 0) DELETE FROM customers',
      'SELECT 1; EXPLAIN (ANALYZE 1) DELETE FROM customers',
      'COPY t FROM STDIN (FREEZE 1)',
      'SET statement_timeout = 0',
      'DO $$ BEGIN PERFORM 1; END $$',
      'CALL p(1)',
      'PREPARE p AS DELETE FROM t WHERE id = 1',
      'EXECUTE p(1)',
      'DECLARE c CURSOR FOR SELECT 1',
      'FETCH 5 FROM c',
      'CREATE TABLE t (id int DEFAULT 1)',
      '(SELECT 1) UNION SELECT 2',
    ]) {
      expect(statementTemplate(text), text).toBeUndefined();
    }
  });

  it('statement-template - has no template where lexing could differ or the text holds no number', () => {
    for (const text of [
      "SELECT 'a\\' , 1 --'", // meaning depends on standard_conforming_strings
      'SELECT 1abc', // number glued to an identifier lexes differently across versions
      'SELECT 0x1F',
      'SELECT 1..2',
      "SELECT 'unterminated, 1",
      'SELECT $$ unterminated 1',
      'SELECT $ 1',
      "SELECT U&'d\\0061t\\+000061', 1",
      'SELECT "x"1',
      'SELECT t.5',
      'SELECT 1 /* unterminated',
      'SELECT a FROM t',
      '',
      `SELECT ${'1,'.repeat(9000)}1`,
    ]) {
      expect(statementTemplate(text), text).toBeUndefined();
    }
  });

  describe('against the sql-risk classifier', () => {
    let classify: (text: string) => SqlClassification;

    beforeAll(async () => {
      const classifier = await createSqlClassifier();
      classify = (text) => classifier.classify(text);
    });

    /** What a decision depends on (policy conditions) plus the fingerprint evidence carries. */
    function decisionInputs(classification: SqlClassification): unknown {
      const {
        riskClass,
        kinds,
        riskFlags,
        relationsRead,
        relationsWritten,
        functions,
        fingerprint,
        normalized,
      } = classification;
      return {
        riskClass,
        kinds,
        riskFlags,
        relationsRead,
        relationsWritten,
        functions,
        fingerprint,
        normalized,
      };
    }

    function instantiate(template: string, integer: string, decimal: string): string {
      return template.replaceAll('?i', integer).replaceAll('?n', decimal);
    }

    it('statement-template - texts sharing a template classify identically across the corpus (no cache poisoning)', () => {
      let checked = 0;
      // Extra statements whose numbers sit next to what the classifier judges.
      const extra = [
        'DELETE FROM customers WHERE 1 = 1',
        'DELETE FROM customers WHERE 1 = 0',
        'DELETE FROM customers WHERE id = 5 OR 1 = 1',
        'UPDATE customers SET city = 1 WHERE id = id',
        'WITH d AS (DELETE FROM customers WHERE 1 = 1 RETURNING *) SELECT 1 FROM d',
        'SELECT pg_sleep(10)',
        "SELECT set_config('statement_timeout', '1', false), 2",
        'SELECT * FROM customers LIMIT 0',
        'SELECT * FROM customers FOR UPDATE LIMIT 1',
        'INSERT INTO customers SELECT * FROM customers WHERE id = 1 ON CONFLICT DO NOTHING',
        'SELECT id FROM customers TABLESAMPLE SYSTEM (10) REPEATABLE (3)',
        'SELECT nextval(1::regclass)',
        'SELECT lo_unlink(4242)',
        'BEGIN READ ONLY; SELECT 1; COMMIT',
        'BEGIN READ WRITE; SELECT 1; COMMIT',
      ].map((sql) => ({ sql, prepared: undefined }));
      for (const row of [...readSqlCorpus(), ...extra]) {
        if (row.prepared || row.sql.includes('?')) continue;
        const template = statementTemplate(row.sql);
        if (template === undefined) continue;
        const reference = decisionInputs(classify(row.sql));
        for (const [integer, decimal] of [
          ['0', '0.0'],
          ['1', '1.5'],
          ['2147483648', '9e99'],
        ] as const) {
          const variant = instantiate(template, integer, decimal);
          expect(statementTemplate(variant), variant).toBe(template);
          expect(decisionInputs(classify(variant)), `${row.sql}\n  vs ${variant}`).toEqual(reference);
        }
        checked++;
      }
      // The property is about real statements: make sure many corpus rows have a template.
      expect(checked).toBeGreaterThan(50);
    });

    it('statement-template - the pgbench scripts share templates across values and keep their classification', () => {
      const scripts = [
        'SELECT abalance FROM pgbench_accounts WHERE aid = 1;',
        'UPDATE pgbench_accounts SET abalance = abalance + 5 WHERE aid = 1;',
        'UPDATE pgbench_tellers SET tbalance = tbalance + 5 WHERE tid = 1;',
        'UPDATE pgbench_branches SET bbalance = bbalance + 5 WHERE bid = 1;',
        'INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (1, 1, 1, 5, CURRENT_TIMESTAMP);',
      ];
      for (const text of scripts) {
        const other = text.replaceAll('1', '4').replaceAll('5', '3');
        expect(statementTemplate(other)).toBe(statementTemplate(text));
        expect(decisionInputs(classify(other))).toEqual(decisionInputs(classify(text)));
      }
    });
  });
});
