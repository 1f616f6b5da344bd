import { describe, expect, it } from 'vitest';
import { compareRiskClass, isRiskClass, maxRiskClass, RiskClass } from './risk-class.ts';
import { isRiskFlag, RiskFlag, sortRiskFlags } from './risk-flag.ts';
import { isStatementKind, StatementKind } from './statement-kind.ts';

describe('risk-class', () => {
  it('risk-class - orders read < write < admin < destructive < unknown', () => {
    expect(RiskClass).toEqual(['read', 'write', 'admin', 'destructive', 'unknown']);
    const shuffled: RiskClass[] = ['unknown', 'read', 'destructive', 'write', 'admin'];
    expect(shuffled.sort(compareRiskClass)).toEqual([...RiskClass]);
    expect(compareRiskClass('write', 'write')).toBe(0);
    expect(compareRiskClass('admin', 'destructive')).toBeLessThan(0);
    expect(maxRiskClass('admin', 'write')).toBe('admin');
    expect(maxRiskClass('read', 'unknown')).toBe('unknown');
  });

  it('risk-class - the guards accept exactly the listed names', () => {
    expect(RiskClass.every(isRiskClass)).toBe(true);
    expect(isRiskClass('deny')).toBe(false);
    expect(isRiskClass('toString')).toBe(false);
    expect(RiskFlag.every(isRiskFlag)).toBe(true);
    expect(isRiskFlag('drop_table')).toBe(false);
    expect(StatementKind.every(isStatementKind)).toBe(true);
    expect(isStatementKind('SELECT')).toBe(false);
  });

  it('risk-flag - sorts flags into list order', () => {
    expect(sortRiskFlags(['ddl', 'multi_statement', 'write_without_where'])).toEqual([
      'write_without_where',
      'multi_statement',
      'ddl',
    ]);
  });
});
