import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';

/** The demo target as the edges reach it. */
export interface DemoTarget {
  host: string;
  port: number;
  database: string;
  user: string;
  /** File holding the password; the edge reads it at boot (never the client's credentials). */
  passwordFile: string;
}

/**
 * Renders TARGETS_FILE for the edges (format: services/edge-postgres/src/targets/target-registry.ts):
 * one `demo` target, so clients connect with `dbname=demo` whatever the database is called.
 */
export function renderTargetsFile(demo: DemoTarget): string {
  const document = {
    targets: {
      demo: {
        kind: 'postgres',
        host: demo.host,
        port: demo.port,
        database: demo.database,
        user: demo.user,
        passwordFile: demo.passwordFile,
        // The upstream is the stack's own server on loopback.
        tls: 'disable',
      },
    },
  };
  return `# Written by the Gatehouse local stack at every start; edits are overwritten.\n${stringify(document)}`;
}

/** Writes {@link renderTargetsFile} to `path` (mode 0600: it names a password file). */
export function writeTargetsFile(path: string, demo: DemoTarget): void {
  writeFileSync(path, renderTargetsFile(demo), { mode: 0o600 });
}
