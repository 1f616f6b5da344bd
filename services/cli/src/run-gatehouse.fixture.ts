import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Launcher the tests run, exactly as `npx gatehouse` does. */
export const gatehouseBin = fileURLToPath(new URL('../bin/gatehouse.js', import.meta.url));

/** Repository root, the working directory of `npx gatehouse`. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** What one CLI run printed and how it exited. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real CLI in a child process. Asynchronous on purpose: a DevIssuer serving the child
 * lives in the test process, so blocking it (spawnSync) would leave the request unanswered.
 */
export function runGatehouse(args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env };
  if (!('GATEHOUSE_ISSUER_URL' in env)) delete childEnv['GATEHOUSE_ISSUER_URL'];
  delete childEnv['GATEHOUSE_CONFIG_FILE'];
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [gatehouseBin, ...args],
      { cwd: repoRoot, env: childEnv, timeout: 30_000 },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== 'number') {
          reject(error);
          return;
        }
        resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr });
      },
    );
  });
}
