import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/**
 * Absolute path of the SQL classification corpus (YAML): each row has `sql`, the expected
 * `riskClass`, `kinds` (exact set) and `flags` (a subset of the actual flags), optional
 * `relationsRead` / `relationsWritten` / `functions` (exact when present), optional `prepared`
 * (name → text, passed as `preparedStatements`), and `demoEffect`, the demo policy's effect
 * (read → allow, write → review, admin/destructive/unknown → deny).
 */
export const sqlCorpusPath: string = fileURLToPath(new URL('./sql-corpus.yaml', import.meta.url));

/** The demo policy's effect for a corpus row. */
export type DemoEffect = 'allow' | 'review' | 'deny';

/** One row of the corpus, as read from {@link sqlCorpusPath}. */
export interface SqlCorpusRow {
  readonly sql: string;
  readonly riskClass: string;
  readonly kinds: readonly string[];
  readonly flags: readonly string[];
  readonly demoEffect: DemoEffect;
  readonly relationsRead?: readonly string[];
  readonly relationsWritten?: readonly string[];
  readonly functions?: readonly string[];
  readonly prepared?: Readonly<Record<string, string>>;
  readonly note?: string;
}

/** Reads and parses the corpus file (the rows are checked by this library's own tests). */
export function readSqlCorpus(): SqlCorpusRow[] {
  return parse(readFileSync(sqlCorpusPath, 'utf8')) as SqlCorpusRow[];
}
