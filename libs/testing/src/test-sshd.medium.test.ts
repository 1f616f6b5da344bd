// Medium tier: a real OpenSSH sshd (needs root, `sshd` and `ssh-keygen`), reached over TCP.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestSshd } from './test-sshd.ts';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'test-sshd-'));

/** The first line a server sends (RFC 4253 section 4.2 identification string). */
function banner(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, host);
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (received.includes('\r\n')) {
        socket.destroy();
        resolve(received.split('\r\n')[0]!);
      }
    });
    socket.on('error', reject);
  });
}

describe('startTestSshd (real sshd)', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('test-sshd - serves SSH on loopback, admits the generated client key, and stops', async () => {
    const sshd = await startTestSshd(join(dir, 'sshd'));
    try {
      expect(sshd.host).toBe('127.0.0.1');
      expect(await banner(sshd.host, sshd.port)).toMatch(/^SSH-2\.0-OpenSSH_/);
      expect(sshd.hostKeySha256).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
      const { stdout } = await run('ssh', [
        '-i',
        sshd.clientKeyFile,
        '-p',
        String(sshd.port),
        '-o',
        'BatchMode=yes',
        '-o',
        'StrictHostKeyChecking=no',
        '-o',
        'UserKnownHostsFile=/dev/null',
        `${sshd.user}@${sshd.host}`,
        'echo hello-from-sshd',
      ]);
      expect(stdout).toBe('hello-from-sshd\n');
    } finally {
      await sshd.stop();
    }
    await expect(banner(sshd.host, sshd.port)).rejects.toThrow(/ECONNREFUSED/);
  });
});
