import { describe, expect, it } from 'vitest';
import { functionEffect } from './function-effects.ts';

describe('function-effects', () => {
  it('function-effects - classes session, config and file functions as admin', () => {
    for (const name of [
      'pg_terminate_backend',
      'pg_cancel_backend',
      'set_config',
      'pg_read_file',
      'lo_import',
    ]) {
      expect(functionEffect(name), name).toEqual({ riskClass: 'admin', flags: ['side_effect_function'] });
    }
  });

  it('function-effects - covers whole families by prefix', () => {
    expect(functionEffect('dblink_send_query')).toEqual({
      riskClass: 'destructive',
      flags: ['side_effect_function', 'dynamic_sql'],
    });
    expect(functionEffect('pg_try_advisory_xact_lock_shared')?.riskClass).toBe('write');
    expect(functionEffect('pg_stat_reset_shared')?.riskClass).toBe('admin');
    expect(functionEffect('pg_ls_logdir')?.riskClass).toBe('admin');
  });

  it('function-effects - query-running functions are unknown, sleeps are reads, others have no effect', () => {
    expect(functionEffect('query_to_xml')).toEqual({ riskClass: 'unknown', flags: ['dynamic_sql'] });
    expect(functionEffect('pg_sleep')).toEqual({ riskClass: 'read', flags: ['long_running'] });
    expect(functionEffect('lower')).toBeUndefined();
    expect(functionEffect('pg_ls')).toBeUndefined();
  });
});
