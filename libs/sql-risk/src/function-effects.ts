import type { RiskClass } from './risk-class.ts';
import type { RiskFlag } from './risk-flag.ts';

/** What calling a built-in function does beyond returning a value. */
export interface FunctionEffect {
  readonly riskClass: RiskClass;
  readonly flags: readonly RiskFlag[];
}

// Sequences, notifications, advisory locks and large-object writes change state but no table rows.
const WRITE: FunctionEffect = { riskClass: 'write', flags: ['side_effect_function'] };
// Backend signalling, configuration, WAL/replication control and server file reads are operator work.
const ADMIN: FunctionEffect = { riskClass: 'admin', flags: ['side_effect_function'] };
// Writing or deleting server files, deleting large objects, and dblink (arbitrary SQL on a
// connection the gateway cannot see, possibly a loopback to the same database) lose data.
const DESTRUCTIVE: FunctionEffect = { riskClass: 'destructive', flags: ['side_effect_function'] };
const REMOTE_SQL: FunctionEffect = {
  riskClass: 'destructive',
  flags: ['side_effect_function', 'dynamic_sql'],
};
// These run a query given as text (or read whole tables/schemas named by a value), so the
// relations they read are invisible to the walker.
const DYNAMIC_QUERY: FunctionEffect = { riskClass: 'unknown', flags: ['dynamic_sql'] };
const SLEEP: FunctionEffect = { riskClass: 'read', flags: ['long_running'] };

const BY_NAME: ReadonlyMap<string, FunctionEffect> = new Map<string, FunctionEffect>([
  ['nextval', WRITE],
  ['setval', WRITE],
  ['pg_notify', WRITE],
  ['pg_logical_emit_message', WRITE],
  ['lo_create', WRITE],
  ['lo_creat', WRITE],
  ['lo_from_bytea', WRITE],
  ['lo_put', WRITE],
  ['lowrite', WRITE],
  ['lo_truncate', WRITE],
  ['lo_truncate64', WRITE],
  ['pg_terminate_backend', ADMIN],
  ['pg_cancel_backend', ADMIN],
  ['set_config', ADMIN],
  ['pg_reload_conf', ADMIN],
  ['pg_rotate_logfile', ADMIN],
  ['pg_switch_wal', ADMIN],
  ['pg_create_restore_point', ADMIN],
  ['pg_promote', ADMIN],
  ['pg_backup_start', ADMIN],
  ['pg_backup_stop', ADMIN],
  ['pg_start_backup', ADMIN],
  ['pg_stop_backup', ADMIN],
  ['pg_wal_replay_pause', ADMIN],
  ['pg_wal_replay_resume', ADMIN],
  ['pg_log_backend_memory_contexts', ADMIN],
  ['pg_create_physical_replication_slot', ADMIN],
  ['pg_create_logical_replication_slot', ADMIN],
  ['pg_copy_physical_replication_slot', ADMIN],
  ['pg_copy_logical_replication_slot', ADMIN],
  ['pg_drop_replication_slot', ADMIN],
  ['pg_replication_slot_advance', ADMIN],
  ['pg_import_system_collations', ADMIN],
  ['pg_read_file', ADMIN],
  ['pg_read_binary_file', ADMIN],
  ['pg_stat_file', ADMIN],
  ['lo_import', ADMIN],
  ['lo_export', DESTRUCTIVE],
  ['lo_unlink', DESTRUCTIVE],
  ['pg_file_write', DESTRUCTIVE],
  ['pg_file_rename', DESTRUCTIVE],
  ['pg_file_unlink', DESTRUCTIVE],
  ['pg_file_sync', DESTRUCTIVE],
  ['query_to_xml', DYNAMIC_QUERY],
  ['query_to_xmlschema', DYNAMIC_QUERY],
  ['query_to_xml_and_xmlschema', DYNAMIC_QUERY],
  ['table_to_xml', DYNAMIC_QUERY],
  ['table_to_xmlschema', DYNAMIC_QUERY],
  ['table_to_xml_and_xmlschema', DYNAMIC_QUERY],
  ['schema_to_xml', DYNAMIC_QUERY],
  ['schema_to_xmlschema', DYNAMIC_QUERY],
  ['schema_to_xml_and_xmlschema', DYNAMIC_QUERY],
  ['database_to_xml', DYNAMIC_QUERY],
  ['database_to_xmlschema', DYNAMIC_QUERY],
  ['database_to_xml_and_xmlschema', DYNAMIC_QUERY],
  ['ts_stat', DYNAMIC_QUERY],
  ['ts_rewrite', DYNAMIC_QUERY],
  ['pg_sleep', SLEEP],
  ['pg_sleep_for', SLEEP],
  ['pg_sleep_until', SLEEP],
]);

// Families matched by prefix so that every member (dblink_exec, pg_try_advisory_xact_lock_shared,
// pg_stat_reset_shared, pg_ls_waldir, ...) is covered, including ones added by later releases.
const BY_PREFIX: readonly (readonly [string, FunctionEffect])[] = [
  ['dblink', REMOTE_SQL],
  ['pg_advisory_', WRITE],
  ['pg_try_advisory_', WRITE],
  ['pg_stat_reset', ADMIN],
  ['pg_stat_statements_reset', ADMIN],
  ['pg_replication_origin_', ADMIN],
  ['pg_logical_slot_', ADMIN],
  ['pg_ls_', ADMIN],
];

/**
 * The effect of calling function `name` (its unqualified, lower-cased name: a function with the
 * same name in any schema is treated alike), or undefined for functions with no known effect.
 */
export function functionEffect(name: string): FunctionEffect | undefined {
  const exact = BY_NAME.get(name);
  if (exact !== undefined) return exact;
  for (const [prefix, effect] of BY_PREFIX) if (name.startsWith(prefix)) return effect;
  return undefined;
}
