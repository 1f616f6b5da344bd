/**
 * Run-time settings whose change lets a session escape the gateway's view or limits:
 * identity (`role`, `session_authorization`), how the server lexes later statements
 * (`standard_conforming_strings`, `backslash_quote`, `client_encoding`: the classifier parses with
 * the defaults, so a change makes the server read text differently from what was classified),
 * name resolution (`search_path` can put a look-alike function first), trigger and foreign-key
 * firing (`session_replication_role`), and read-only mode.
 * See https://www.postgresql.org/docs/current/runtime-config-client.html
 */
const SENSITIVE: ReadonlySet<string> = new Set([
  'role',
  'session_authorization',
  'search_path',
  'standard_conforming_strings',
  'backslash_quote',
  'client_encoding',
  'session_replication_role',
  'default_transaction_read_only',
  'transaction_read_only',
]);

/**
 * True when setting `name` (as the parser reports it, e.g. `role`, `timezone`) is sensitive.
 * Custom settings (`app.tenant_id`, `pgaudit.log`) count as sensitive: row-level security
 * policies commonly read them, and extensions such as pgaudit are configured through them.
 */
export function isSensitiveSetting(name: string): boolean {
  const lower = name.toLowerCase();
  return SENSITIVE.has(lower) || lower.includes('.');
}
