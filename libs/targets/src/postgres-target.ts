/** How the upstream session to a target is encrypted. */
export const TargetTlsMode = ['disable', 'require', 'verify-full'] as const;

/** `disable`, `require` (encrypt, no verification) or `verify-full` (CA and host name checked). */
export type TargetTlsMode = (typeof TargetTlsMode)[number];

/**
 * How Gatehouse reaches one upstream PostgreSQL. Credentials come from the targets file, never
 * from the client: the edges log in with them, and masking reads the target's catalog with them.
 */
export interface PostgresTarget {
  /** Name clients use as `dbname`. */
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  /** From `password` or the trimmed content of `passwordFile`; undefined for trust auth. */
  readonly password: string | undefined;
  readonly tls: TargetTlsMode;
  /** PEM CA bundle for `verify-full`. */
  readonly ca: string | undefined;
}
