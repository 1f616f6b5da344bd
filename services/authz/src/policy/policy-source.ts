/**
 * Where the policy document comes from (POLICY_SOURCE): a watched file or a watched NATS KV key.
 * A source only delivers text; {@link PolicyStore} validates it and decides whether it takes effect.
 */
export interface PolicySource {
  /** Names the source in logs, e.g. `file /etc/gatehouse/policy.yaml` or `kv gatehouse_policy/current`. */
  readonly origin: string;
  /** The document text in force now; throws when there is none (authz then does not start). */
  read(): Promise<string>;
  /**
   * Calls `onText` with the current text once the watch is running (so nothing written between
   * `read` and `watch` is missed), then with every new text, one call at a time, until closed.
   */
  watch(onText: (text: string) => void): Promise<void>;
  /** Stops watching. */
  close(): Promise<void>;
}
