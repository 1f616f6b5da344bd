import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@gatehouse/errors';
import ssh2 from 'ssh2';
import { keyFingerprint, loadOrCreateHostKey } from './host-key.ts';

const dir = mkdtempSync(join(tmpdir(), 'edge-ssh-host-key-'));

describe('loadOrCreateHostKey', () => {
  it('host-key - generates an ed25519 key, saves it with mode 0600, and reuses it next time', () => {
    const file = join(dir, 'nested', 'ssh_host_ed25519_key');
    const first = loadOrCreateHostKey(file);
    expect(first.generated).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const parsed = ssh2.utils.parseKey(readFileSync(file, 'utf8'));
    expect(parsed instanceof Error ? parsed.message : parsed.type).toBe('ssh-ed25519');
    const second = loadOrCreateHostKey(file);
    expect(second).toEqual({ ...first, generated: false });
  });

  it('host-key - prints the fingerprint exactly as ssh-keygen -lf does', () => {
    const file = join(dir, 'compare_key');
    const key = loadOrCreateHostKey(file);
    const parsed = ssh2.utils.parseKey(key.privateKey);
    if (parsed instanceof Error) throw parsed;
    writeFileSync(`${file}.pub`, `${parsed.type} ${parsed.getPublicSSH().toString('base64')}\n`);
    const keygen = execFileSync('ssh-keygen', ['-l', '-f', `${file}.pub`])
      .toString()
      .split(' ')[1];
    expect(key.fingerprint).toBe(keygen);
    expect(keyFingerprint(parsed.getPublicSSH())).toBe(keygen);
  });

  it('host-key - refuses a file that is not a private key instead of replacing it', () => {
    const file = join(dir, 'garbage_key');
    writeFileSync(file, 'not a key');
    expect(() => loadOrCreateHostKey(file)).toThrow(ConfigError);
    expect(() => loadOrCreateHostKey(file)).toThrow(
      /EDGE_SSH_HOST_KEY_FILE: .* is not an unencrypted SSH private key/,
    );
    expect(readFileSync(file, 'utf8')).toBe('not a key');
  });
});
