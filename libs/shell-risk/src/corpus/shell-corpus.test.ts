import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { classifyShell } from '../shell-classifier.ts';
import { isShellRiskClass, type ShellRiskClass } from '../shell-risk-class.ts';
import { isShellRiskFlag, type ShellRiskFlag } from '../shell-risk-flag.ts';

interface CorpusRow {
  readonly command: string;
  readonly class: ShellRiskClass;
  readonly flags: readonly ShellRiskFlag[];
  readonly absent?: readonly ShellRiskFlag[];
  readonly programs?: readonly string[];
  readonly statements?: number;
  readonly note?: string;
}

function loadCorpus(): CorpusRow[] {
  const rows: unknown = parse(readFileSync(new URL('./shell-corpus.yaml', import.meta.url), 'utf8'));
  if (!Array.isArray(rows)) throw new Error('shell-corpus.yaml must hold a list');
  return rows.map((row: Record<string, unknown>, index) => {
    const where = `shell-corpus.yaml row ${index + 1}`;
    if (typeof row['command'] !== 'string') throw new Error(`${where}: command must be a string`);
    if (!isShellRiskClass(row['class'])) throw new Error(`${where}: unknown class ${String(row['class'])}`);
    for (const key of ['flags', 'absent'] as const) {
      const flags = row[key];
      if (flags === undefined && key === 'absent') continue;
      if (!Array.isArray(flags) || !flags.every(isShellRiskFlag))
        throw new Error(`${where}: ${key} must list known flags`);
    }
    return row as unknown as CorpusRow;
  });
}

const corpus = loadCorpus();

describe('shell corpus', () => {
  it('shell corpus - holds at least 170 command lines, each once', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(170);
    expect(new Set(corpus.map((row) => row.command)).size).toBe(corpus.length);
  });

  it.each(corpus.map((row) => [JSON.stringify(row.command), row] as const))(
    'shell corpus - classifies %s',
    (_, row) => {
      const result = classifyShell(row.command);
      expect({ command: row.command, riskClass: result.riskClass }).toEqual({
        command: row.command,
        riskClass: row.class,
      });
      expect(result.riskFlags).toEqual(expect.arrayContaining([...row.flags]));
      for (const flag of row.absent ?? []) expect(result.riskFlags).not.toContain(flag);
      if (row.programs !== undefined) expect(result.programs).toEqual(row.programs);
      if (row.statements !== undefined) expect(result.statementCount).toBe(row.statements);
    },
  );
});
