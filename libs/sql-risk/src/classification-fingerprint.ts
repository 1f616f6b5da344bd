import { hash } from 'node:crypto';
import type { StatementClassification } from './sql-classification.ts';

/**
 * Fingerprint of a parsed text: SHA-256 over pg_query's shape fingerprint and the classification
 * of every statement. pg_query's fingerprint ignores every constant, including ones that change
 * what a statement does (a DO body, `BEGIN READ ONLY` versus `READ WRITE`, `EXPLAIN (ANALYZE off)`
 * versus `on`); mixing the classification in keeps "equal fingerprint" meaning "equal
 * classification", which a decision cache keyed by fingerprint relies on.
 */
export function classificationFingerprint(
  shapeFingerprint: string,
  statements: readonly StatementClassification[],
): string {
  return hash('sha256', `${shapeFingerprint}\n${JSON.stringify(statements)}`, 'hex');
}

/** Fingerprint of a text that was not parsed: derived from its reason and a literal-free rendering. */
export function refusalFingerprint(reason: string, rendering: string): string {
  return hash('sha256', `${reason}\n${rendering}`, 'hex');
}
