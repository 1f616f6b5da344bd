import { compareRiskClass, type RiskClass } from './risk-class.ts';
import { sortRiskFlags, type RiskFlag } from './risk-flag.ts';
import type { StatementClassification } from './sql-classification.ts';
import type { StatementKind } from './statement-kind.ts';

/** Mutable accumulator filled while one top-level statement's tree is walked. */
export class StatementFacts {
  /** Kinds in order of first appearance. */
  readonly kinds = new Set<StatementKind>();
  /** Flags raised so far. */
  readonly flags = new Set<RiskFlag>();
  /** Relations read (lower-cased names). */
  readonly read = new Set<string>();
  /** Relations written, locked, truncated, dropped or altered. */
  readonly written = new Set<string>();
  /** Functions called (lower-cased names). */
  readonly functions = new Set<string>();
  /** Riskiest class raised so far. */
  riskClass: RiskClass = 'read';
  /** Highest `$n` parameter reference seen. */
  maxParam = 0;

  /** Records a kind; the first one recorded is the top-level statement's kind. */
  kind(kind: StatementKind): void {
    this.kinds.add(kind);
  }

  /** Raises the class to at least `riskClass`, adding `flags`. */
  raise(riskClass: RiskClass, ...flags: RiskFlag[]): void {
    if (compareRiskClass(riskClass, this.riskClass) > 0) this.riskClass = riskClass;
    for (const flag of flags) this.flags.add(flag);
  }

  /** Freezes the facts into the public per-statement shape. */
  toClassification(): StatementClassification {
    const kinds = [...this.kinds];
    return {
      kind: kinds[0] ?? 'unknown',
      kinds,
      relationsRead: [...this.read].sort(),
      relationsWritten: [...this.written].sort(),
      functions: [...this.functions].sort(),
      riskFlags: sortRiskFlags(this.flags),
      riskClass: this.riskClass,
    };
  }
}
