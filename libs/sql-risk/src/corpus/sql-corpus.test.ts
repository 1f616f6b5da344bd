import { scanSync } from 'libpg-query';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createSqlClassifier,
  isRiskClass,
  isRiskFlag,
  isStatementKind,
  type SqlClassifier,
} from '../index.ts';
import { readSqlCorpus, sqlCorpusPath, type SqlCorpusRow } from './index.ts';

// The demo policy for `pipelines` (DESIGN.md §7), restated here only to check the corpus column
// that the policy engine's own tests consume.
const DEMO_EFFECT: Readonly<Record<string, string>> = {
  read: 'allow',
  write: 'review',
  admin: 'deny',
  destructive: 'deny',
  unknown: 'deny',
};

// Lexer token types that carry a literal value or a comment.
const LITERAL_OR_COMMENT_TOKENS: ReadonlySet<number> = new Set([260, 261, 262, 263, 264, 266, 275, 276]);

const rows = readSqlCorpus();
let classifier: SqlClassifier;

beforeAll(async () => {
  classifier = await createSqlClassifier();
});

function classify(row: SqlCorpusRow) {
  const prepared = row.prepared === undefined ? undefined : new Map(Object.entries(row.prepared));
  return classifier.classify(row.sql, prepared === undefined ? undefined : { preparedStatements: prepared });
}

describe('sql corpus', () => {
  it('sql corpus - is exported as an absolute path and holds at least 320 well-formed rows', () => {
    expect(sqlCorpusPath.endsWith('/libs/sql-risk/src/corpus/sql-corpus.yaml')).toBe(true);
    expect(rows.length).toBeGreaterThanOrEqual(320);
    for (const row of rows) {
      expect(typeof row.sql, JSON.stringify(row)).toBe('string');
      expect(isRiskClass(row.riskClass), row.sql).toBe(true);
      expect(row.kinds.every(isStatementKind), row.sql).toBe(true);
      expect(row.flags.every(isRiskFlag), row.sql).toBe(true);
      expect(row.demoEffect, row.sql).toBe(DEMO_EFFECT[row.riskClass]);
    }
  });

  it('sql corpus - covers every risk class and demo effect', () => {
    expect(new Set(rows.map((row) => row.riskClass))).toEqual(
      new Set(['read', 'write', 'admin', 'destructive', 'unknown']),
    );
    expect(new Set(rows.map((row) => row.demoEffect))).toEqual(new Set(['allow', 'review', 'deny']));
  });

  it.each(rows.map((row) => [JSON.stringify(row.sql), row] as const))(
    'sql corpus - classifies %s as the row says',
    (_name, row) => {
      const result = classify(row);
      expect(result.riskClass).toBe(row.riskClass);
      expect([...new Set(result.kinds)].sort()).toEqual([...row.kinds].sort());
      expect(result.riskFlags).toEqual(expect.arrayContaining([...row.flags]));
      if (row.relationsRead !== undefined)
        expect(result.relationsRead).toEqual([...row.relationsRead].sort());
      if (row.relationsWritten !== undefined) {
        expect(result.relationsWritten).toEqual([...row.relationsWritten].sort());
      }
      if (row.functions !== undefined) expect(result.functions).toEqual([...row.functions].sort());
      expect(DEMO_EFFECT[result.riskClass]).toBe(row.demoEffect);
      // The normalized text never carries a literal value or a comment.
      if (result.normalized !== '') {
        const leaked = scanSync(result.normalized).tokens.filter((token) =>
          LITERAL_OR_COMMENT_TOKENS.has(token.tokenType),
        );
        expect(leaked).toEqual([]);
      }
    },
  );
});
