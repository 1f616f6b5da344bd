import type { DevIssuer } from '@gatehouse/identity';
import type { StackServiceName } from './stack-services.ts';

/** A TCP listener. */
export interface HostPort {
  host: string;
  port: number;
}

/**
 * Where the stack listens. Every HTTP URL has no trailing slash; a URL of a service that was not
 * started is where it would listen.
 */
export interface StackEndpoints {
  /** PostgreSQL wire listener of edge-postgres. */
  edgePostgres: HostPort;
  /** SSH listener of edge-ssh, when started. */
  edgeSsh?: HostPort;
  /** Approvers' REST API. */
  approvalApi: string;
  /** Auditors' REST API (entries, proofs). */
  ledgerApi: string;
  /** Audit service API (recordings). */
  auditApi: string;
  /** authz health and metrics. */
  authzHttp: string;
  /** masking health and metrics. */
  maskingHttp: string;
  /** edge-postgres health and metrics. */
  edgePostgresHttp: string;
  /** edge-ssh health and metrics. */
  edgeSshHttp: string;
  /** Dev OIDC issuer (discovery, JWKS, POST /token); also the `iss` of its tokens. */
  issuer: string;
}

/** The databases of the stack. */
export interface StackDatabases {
  /** Superuser URL of the server's maintenance database. */
  adminUrl: string;
  /** Database of the ledger and approval services (their DATABASE_URL). */
  evidenceUrl: string;
  /** Superuser URL of the demo target database, for checking the target side directly. */
  demoUrl: string;
  /** Name of the demo database (`demo`, or `<prefix>_demo`). */
  demoDatabase: string;
  /** Role the edges log in upstream as; it owns the demo database. */
  demoOwner: string;
}

/** A started local stack. */
export interface RunningStack {
  endpoints: StackEndpoints;
  databases: StackDatabases;
  /** NATS URL the services use. */
  natsUrl: string;
  /** Subject and stream prefix. */
  prefix: string;
  stateDir: string;
  /** TARGETS_FILE handed to the edges. */
  targetsFile: string;
  /** Services started, in start order. */
  services: readonly StackServiceName[];
  /** Whether nats-server and PostgreSQL were started by the launcher (rather than given by URL). */
  started: { natsServer: boolean; embeddedPostgres: boolean };
  /** The in-process dev OIDC issuer the services trust. */
  issuer: DevIssuer;
  /** Mints an access token (audience `gatehouse`) for `sub` in `groups`. */
  mintToken(sub: string, groups: readonly string[], ttlSeconds?: number): Promise<string>;
  /** Log file of a service (or `nats-server`, `postgres`). */
  logFile(name: StackServiceName | 'nats-server' | 'postgres'): string;
  /** Process ids of the child processes the launcher runs now (services and nats-server). */
  pids(): Record<string, number>;
  /** Stops one service (SIGTERM, or `SIGKILL` to simulate a crash); it does not count as unexpected. */
  stopService(name: StackServiceName, signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Starts a stopped service again with the same configuration and waits for its /readyz. */
  startService(name: StackServiceName): Promise<void>;
  /** Stops everything the launcher started, services first. Safe to call more than once. */
  stop(): Promise<void>;
}
