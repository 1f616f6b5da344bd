import type { StackPortName, StackServiceName } from './stack-services.ts';

/** Log levels the services accept (LOG_LEVEL). */
export type StackLogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/** Receives the launcher's own messages (not the services' logs, which go to files). */
export type StackLog = (level: 'info' | 'warn' | 'error', message: string) => void;

/** How a service process ended when nobody asked it to. */
export interface ServiceExitEvent {
  service: StackServiceName;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Its log file and last lines. */
  logFile: string;
  tail: string;
}

/** Settings of {@link startStack}. */
export interface StackOptions {
  /** Folder for everything the stack writes: logs, keys, targets.yaml, NATS and PostgreSQL data. */
  stateDir: string;
  /** Subject and stream prefix, also naming the databases when not `gatehouse` (default `gatehouse`). */
  prefix?: string;
  /** A NATS server with JetStream; when absent the launcher starts `nats-server` from PATH. */
  natsUrl?: string;
  /** Admin (superuser) URL of a PostgreSQL server; when absent an embedded PostgreSQL is started. */
  databaseUrl?: string;
  /**
   * Ports: `'auto'` picks a free port for every listener (tests); otherwise per name, where 0 or
   * `'auto'` picks a free one and unnamed ports keep the defaults of DESIGN.md section 7.
   */
  ports?: 'auto' | Partial<Record<StackPortName, number | 'auto'>>;
  /** Services to start (default: every one whose services/<name>/src/main.ts exists). */
  services?: readonly string[];
  /** Policy YAML for authz (POLICY_FILE); authz's own default is the demo policy. */
  policyFile?: string;
  /** Extra environment for every service (wins over the launcher's variables). */
  env?: Readonly<Record<string, string>>;
  /** Database name overrides (defaults: see {@link stackDatabaseNames}). */
  databases?: { evidence?: string; demo?: string };
  /** LOG_LEVEL of the services (default `warn`). */
  logLevel?: StackLogLevel;
  /** Also copy every service log line to stdout as `[service] line` (default false). */
  echoLogs?: boolean;
  /** How long each service may take to answer /readyz with 200 (default 60 s). */
  readyTimeoutMs?: number;
  /**
   * For tests: on stop, also delete the prefix's JetStream streams and drop the databases and
   * role this start created. Requires a prefix other than `gatehouse`.
   */
  dropOnStop?: boolean;
  /** Called when a service exits without being asked to (after it was logged). */
  onServiceExit?: (event: ServiceExitEvent) => void;
  /** The launcher's messages (default: warnings and errors to stderr). */
  log?: StackLog;
  /** Repository root holding services/ (default: found from this file). */
  repoRoot?: string;
}
