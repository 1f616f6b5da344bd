import { describe, expect, it } from 'vitest';
import type { Decision } from '@gatehouse/contracts';
import { PolicyDeniedError } from '@gatehouse/errors';
import { isOperationLanguage } from './operation-language.ts';
import { policyDenial } from './policy-denial.ts';

const decision = {
  effect: 'deny',
  rule: 'no-drop',
  reason: 'DROP is denied',
  policyVersion: 'sha256:1',
  cacheTtlMs: 0,
  classification: {
    riskClass: 'destructive',
    kinds: ['drop'],
    riskFlags: [],
    relationsRead: [],
    relationsWritten: [],
    fingerprint: 'f',
    normalized: 'DROP TABLE t',
    statementCount: 1,
  },
} satisfies Decision;

describe('policyDenial', () => {
  it('policy-denial - names a SQL operation a statement and a shell operation a command, with the rule', () => {
    const sql = policyDenial('sql', decision);
    expect(sql).toBeInstanceOf(PolicyDeniedError);
    expect(sql.message).toBe('Gatehouse policy denied this statement: DROP is denied');
    expect(sql.rule).toBe('no-drop');
    expect(policyDenial('shell', decision).message).toBe(
      'Gatehouse policy denied this command: DROP is denied',
    );
  });

  it('operation-language - accepts exactly sql and shell', () => {
    expect(['sql', 'shell', 'SQL', 'bash', undefined].map(isOperationLanguage)).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
  });
});
