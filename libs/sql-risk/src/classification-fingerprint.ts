import { createHash } from 'node:crypto';
import type { StatementClassification } from './sql-classification.ts';

/**
 * Fingerprint of a parsed text: SHA-256 over pg_query's shape fingerprint and the classification
 * of every statement. pg_query's fingerprint ignores every constant, including ones that change
 * what a statement does (a DO body, `set_config('role', ...)`'s setting name, `BEGIN READ ONLY`
 * versus `READ WRITE`); mixing the classification in keeps "equal fingerprint" meaning "equal
 * classification", which a decision cache keyed by fingerprint relies on.
 */
export function classificationFingerprint(
  shapeFingerprint: string,
  statements: readonly StatementClassification[],
): string {
  return createHash('sha256')
    .update(shapeFingerprint)
    .update('\n')
    .update(JSON.stringify(statements))
    .digest('hex');
}

/** Fingerprint of a text that was not parsed: derived from its reason and a literal-free rendering. */
export function refusalFingerprint(reason: string, rendering: string): string {
  return createHash('sha256').update(reason).update('\n').update(rendering).digest('hex');
}
