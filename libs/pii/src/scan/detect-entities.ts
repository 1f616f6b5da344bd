import type { CompiledProfile } from '../profile/compile-profile.ts';
import { ipSlotFor } from './apply-spans.ts';

/** Where an entity was found: offsets only, the caller already holds the text. */
export interface Finding {
  /** Entity name. */
  readonly entity: string;
  /** Start offset (UTF-16 units, inclusive). */
  readonly start: number;
  /** End offset (exclusive). */
  readonly end: number;
}

/** The column a value came from, as far as known. */
export interface ColumnHintSource {
  /** Output column name. */
  readonly name: string;
  /** Source table, when traceable. */
  readonly tableName?: string;
  /** Source column, when traceable. */
  readonly columnName?: string;
}

/**
 * Runs the profile's detectors on one value and lists what they found, after overlap
 * resolution. With `column`, its name is the hint (`ssn` enables the bare 9-digit form,
 * `first_name` makes the value a name) exactly as a JSON key or a `SSN:` label would; without it
 * the text is treated as command output. This is detection only: a result column that a hint
 * names is masked whole by `planResultSet` without calling the detectors at all.
 */
export function detectEntities(text: string, profile: CompiledProfile, column?: ColumnHintSource): Finding[] {
  const hint =
    column === undefined
      ? undefined
      : profile.hintForColumn(column.name, column.tableName, column.columnName);
  const context = {
    hint: hint === undefined || hint.slot < 0 ? -1 : ipSlotFor(hint.slot, text),
    identifier: hint?.identifier ?? false,
    wholeCell: column !== undefined,
  };
  const scanner = profile.scanner;
  const n = scanner.scan(text, context);
  const findings: Finding[] = [];
  for (let i = 0; i < n; i++) {
    findings.push({
      entity: profile.entityNames[scanner.spans.slots[i]!]!,
      start: scanner.spans.starts[i]!,
      end: scanner.spans.ends[i]!,
    });
  }
  return findings;
}
