import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@gatehouse/errors';
import { TargetRegistry } from './target-registry.ts';

const dir = mkdtempSync(join(tmpdir(), 'edge-ssh-targets-'));
const keyFile = join(dir, 'id_ed25519');
writeFileSync(keyFile, '-----BEGIN OPENSSH PRIVATE KEY-----\nkey\n-----END OPENSSH PRIVATE KEY-----\n');
const passwordFile = join(dir, 'password');
writeFileSync(passwordFile, 's3cret\n');
const fingerprint = 'SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8';

function problem(raw: Record<string, unknown>): string {
  try {
    TargetRegistry.fromDocument({ targets: { box: raw } });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('no error');
}

describe('TargetRegistry', () => {
  it('target-registry - reads ssh targets and skips other kinds', () => {
    const registry = TargetRegistry.fromDocument({
      targets: {
        demo: { kind: 'postgres', host: 'db', user: 'postgres' },
        legacy: { host: 'db', user: 'postgres' },
        'demo-ssh': {
          kind: 'ssh',
          host: '10.0.0.5',
          port: 2222,
          user: 'deploy',
          privateKeyFile: keyFile,
          hostKeySha256: fingerprint,
        },
      },
    });
    expect(registry.names()).toEqual(['demo-ssh']);
    expect(registry.find('demo')).toBeUndefined();
    expect(registry.find('demo-ssh')).toEqual({
      name: 'demo-ssh',
      host: '10.0.0.5',
      port: 2222,
      user: 'deploy',
      privateKey: '-----BEGIN OPENSSH PRIVATE KEY-----\nkey\n-----END OPENSSH PRIVATE KEY-----\n',
      passphrase: undefined,
      password: undefined,
      hostKeySha256: 'nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8',
    });
  });

  it('target-registry - defaults to 127.0.0.1:22 and reads a password file, trimmed', () => {
    const target = TargetRegistry.fromDocument({
      targets: { box: { kind: 'ssh', user: 'ops', passwordFile } },
    }).find('box');
    expect(target).toMatchObject({
      host: '127.0.0.1',
      port: 22,
      password: 's3cret',
      privateKey: undefined,
      hostKeySha256: undefined,
    });
  });

  it('target-registry - accepts a fingerprint with base64 padding or without the SHA256: prefix', () => {
    const bare = 'nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8';
    for (const hostKeySha256 of [bare, `${bare}=`, `SHA256:${bare}=`]) {
      const target = TargetRegistry.fromDocument({
        targets: { box: { kind: 'ssh', user: 'ops', password: 'x', hostKeySha256 } },
      });
      expect(target.find('box')?.hostKeySha256).toBe(bare);
    }
  });

  it('target-registry - names the target and field of a bad entry', () => {
    expect(problem({ kind: 'ssh', password: 'x' })).toBe(
      'TARGETS_FILE: target box: user must be a non-empty string',
    );
    expect(problem({ kind: 'ssh', user: 'ops' })).toMatch(
      /^TARGETS_FILE: target box: privateKeyFile or password\(File\) is required/,
    );
    expect(problem({ kind: 'ssh', user: 'ops', password: 'x', port: 70000 })).toBe(
      'TARGETS_FILE: target box: port must be a TCP port',
    );
    expect(problem({ kind: 'ssh', user: 'ops', password: 'x', hostKeySha256: 'MD5:aa:bb' })).toMatch(
      /^TARGETS_FILE: target box: hostKeySha256 must look like/,
    );
    expect(problem({ kind: 'ssh', user: 'ops', privateKeyFile: join(dir, 'missing') })).toBe(
      'TARGETS_FILE: target box: privateKeyFile cannot be read',
    );
  });

  it('target-registry - refuses target names that are not plain identifiers', () => {
    expect(() =>
      TargetRegistry.fromDocument({ targets: { 'a b': { kind: 'ssh', user: 'ops', password: 'x' } } }),
    ).toThrow(/target a b: name must match/);
  });

  it('target-registry - a missing file stops the boot naming TARGETS_FILE', () => {
    expect(() => TargetRegistry.fromFile(join(dir, 'absent.yaml'))).toThrow(/^TARGETS_FILE: cannot read/);
  });

  it('target-registry - reads a YAML file', () => {
    const file = join(dir, 'targets.yaml');
    writeFileSync(
      file,
      `targets:\n  web:\n    kind: ssh\n    host: web.internal\n    user: deploy\n    password: pw\n`,
    );
    expect(TargetRegistry.fromFile(file).find('web')).toMatchObject({
      host: 'web.internal',
      user: 'deploy',
      password: 'pw',
    });
  });
});
