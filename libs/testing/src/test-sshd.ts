import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.ts';

const run = promisify(execFile);

/** A real OpenSSH sshd on loopback for one test file. */
export interface TestSshd {
  host: string;
  port: number;
  /** Login name (root: sshd runs as root in the test environment). */
  user: string;
  /** Private key file whose public half is the only authorized key. */
  clientKeyFile: string;
  /** `SHA256:...` of the sshd's host key, as `ssh-keygen -lf` prints it. */
  hostKeySha256: string;
  stop(): Promise<void>;
}

/**
 * Starts `/usr/sbin/sshd -D` with a generated host key, one authorized client key, public-key
 * authentication only, listening on 127.0.0.1 at a free port. Needs root (sshd's privilege
 * separation) and OpenSSH's `sshd` and `ssh-keygen`; `dir` holds every file it uses.
 */
export async function startTestSshd(dir: string): Promise<TestSshd> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Debian's sshd refuses to start without its privilege separation directory.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const hostKey = join(dir, 'ssh_host_ed25519_key');
  const clientKey = join(dir, 'client_ed25519_key');
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'test-sshd-host', '-f', hostKey]);
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'gatehouse-edge', '-f', clientKey]);
  const authorizedKeys = join(dir, 'authorized_keys');
  writeFileSync(authorizedKeys, readFileSync(`${clientKey}.pub`), { mode: 0o600 });
  const port = await freePort();
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      'PidFile none',
      `AuthorizedKeysFile ${authorizedKeys}`,
      'PermitRootLogin prohibit-password',
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      // The key files live under the shared temporary directory.
      'StrictModes no',
      'LogLevel VERBOSE',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  const { stdout } = await run('ssh-keygen', ['-l', '-f', `${hostKey}.pub`]);
  const hostKeySha256 = stdout.split(' ')[1]!;
  const sshd = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', config, '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await listening(sshd);
  return {
    host: '127.0.0.1',
    port,
    user: 'root',
    clientKeyFile: clientKey,
    hostKeySha256,
    stop: async () => {
      if (sshd.exitCode !== null) return;
      const exited = new Promise((resolve) => sshd.once('exit', resolve));
      sshd.kill('SIGTERM');
      await exited;
    },
  };
}

function listening(sshd: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => reject(new Error(`sshd did not start:\n${log}`)), 10_000);
    sshd.stderr!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('Server listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
    sshd.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sshd exited with ${code}:\n${log}`));
    });
  });
}
