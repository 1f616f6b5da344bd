import { TargetKind, encodeBind, encodeClose, encodeExecute } from '@gatehouse/pg-wire';
import { describe, expect, it } from 'vitest';
import { PreparedStatements, type PreparedStatement } from './prepared-statements.ts';

const statement = (id: string): PreparedStatement => ({
  statementId: id,
  maskingProfile: undefined,
  text: `SELECT '${id}'`,
});
const bind = (portal: string, name: string): Buffer =>
  encodeBind({ portal, statement: name, parameterFormats: [], parameters: ['x', null], resultFormats: [1] });
const execute = (portal: string): Buffer => encodeExecute({ portal, maxRows: 0 });

describe('PreparedStatements', () => {
  it('prepared-statements - an Execute of a portal bound to a parsed statement names that statement', () => {
    const prepared = new PreparedStatements();
    prepared.parsed('by_id', statement('s1'));
    prepared.bound(bind('', 'by_id'));
    expect(prepared.executed(execute(''))?.statementId).toBe('s1');
    prepared.bound(bind('cursor-1', 'by_id'));
    expect(prepared.executed(execute('cursor-1'))?.statementId).toBe('s1');
    expect(prepared.executed(execute('unknown'))).toBeUndefined();
  });

  it('prepared-statements - a Bind of an unknown statement forgets what the portal stood for', () => {
    const prepared = new PreparedStatements();
    prepared.parsed('', statement('s1'));
    prepared.bound(bind('', ''));
    prepared.bound(bind('', 'never-parsed'));
    expect(prepared.executed(execute(''))).toBeUndefined();
  });

  it('prepared-statements - Close, a simple Query and a refused unnamed Parse drop what PostgreSQL drops', () => {
    const prepared = new PreparedStatements();
    prepared.parsed('a', statement('s1'));
    prepared.parsed('', statement('s2'));
    prepared.bound(bind('p', 'a'));
    prepared.bound(bind('', ''));
    prepared.closed(encodeClose({ kind: TargetKind.Portal, name: 'p' }));
    expect(prepared.executed(execute('p'))).toBeUndefined();
    prepared.closed(encodeClose({ kind: TargetKind.Statement, name: 'a' }));
    prepared.bound(bind('p', 'a'));
    expect(prepared.executed(execute('p'))).toBeUndefined();
    prepared.query();
    expect(prepared.executed(execute(''))).toBeUndefined();
    expect(prepared.size).toEqual({ statements: 0, portals: 0 });
    prepared.parsed('', statement('s3'));
    prepared.refused('');
    expect(prepared.size.statements).toBe(0);
  });

  it('prepared-statements - DEALLOCATE drops a name (folded or quoted), DEALLOCATE ALL every statement, DISCARD ALL everything', () => {
    const prepared = new PreparedStatements();
    for (const name of ['one', 'Two', 'three']) prepared.parsed(name, statement(name));
    prepared.bound(bind('keep', 'three'));
    prepared.deallocated('DEALLOCATE ONE');
    prepared.deallocated('deallocate prepare "Two"');
    expect(prepared.size).toEqual({ statements: 1, portals: 1 });
    prepared.deallocated('DEALLOCATE ALL');
    expect(prepared.size).toEqual({ statements: 0, portals: 1 });
    prepared.deallocated('DISCARD ALL');
    expect(prepared.size).toEqual({ statements: 0, portals: 0 });
  });
});
