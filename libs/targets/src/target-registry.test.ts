import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, UnknownTargetError } from '@gatehouse/errors';
import { TargetRegistry } from './target-registry.ts';

describe('TargetRegistry', () => {
  it('targets - reads postgres targets with defaults and skips other kinds', () => {
    const registry = TargetRegistry.fromYaml(
      [
        'targets:',
        '  demo: { kind: postgres, host: db.internal, port: 6543, database: shop, user: app, password: s3cret }',
        '  plain: { user: reader }',
        '  box: { kind: ssh, host: 10.0.0.1, user: ops }',
      ].join('\n'),
    );
    expect(registry.names()).toEqual(['demo', 'plain']);
    expect(registry.get('demo')).toEqual({
      name: 'demo',
      host: 'db.internal',
      port: 6543,
      database: 'shop',
      user: 'app',
      password: 's3cret',
      tls: 'disable',
      ca: undefined,
    });
    expect(registry.get('plain')).toMatchObject({ host: '127.0.0.1', port: 5432, database: 'plain' });
    expect(registry.find('box')).toBeUndefined();
  });

  it('targets - reads passwordFile (trimmed) and caFile relative to the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'targets-'));
    writeFileSync(join(dir, 'pw'), 'from-file\n');
    writeFileSync(join(dir, 'ca.pem'), 'PEM');
    const path = join(dir, 'targets.yaml');
    writeFileSync(
      path,
      'targets:\n  demo: { user: app, passwordFile: pw, tls: verify-full, caFile: ca.pem }\n',
    );
    const target = TargetRegistry.fromFile(path).get('demo');
    expect(target.password).toBe('from-file');
    expect(target.tls).toBe('verify-full');
    expect(target.ca).toBe('PEM');
  });

  it('targets - an unknown name is UnknownTargetError', () => {
    const registry = TargetRegistry.fromYaml('targets: {}');
    expect(() => registry.get('nope')).toThrow(UnknownTargetError);
    expect(() => registry.get('nope')).toThrow('database "nope" is not a Gatehouse target');
  });

  it('targets - a bad entry is a ConfigError naming the variable, target and field', () => {
    const bad = (yaml: string) => () => TargetRegistry.fromYaml(yaml, { variable: 'MY_TARGETS' });
    expect(bad('targets:\n  demo: { user: app, port: 70000 }')).toThrow(
      'MY_TARGETS: target demo: port must be a TCP port',
    );
    expect(bad('targets:\n  demo: { host: x }')).toThrow(
      'MY_TARGETS: target demo: user must be a non-empty string',
    );
    expect(bad('targets:\n  demo: { user: app, tls: maybe }')).toThrow(
      'MY_TARGETS: target demo: tls must be one of disable, require, verify-full',
    );
    expect(bad('targets:\n  demo: { user: app, passwordFile: /nonexistent/pw }')).toThrow(
      'MY_TARGETS: target demo: passwordFile cannot be read (/nonexistent/pw)',
    );
    expect(bad('targets: [1, 2]')).toThrow('MY_TARGETS: `targets` must be a map of name to target');
    expect(bad('targets: {')).toThrow(ConfigError);
  });

  it('targets - a missing file is a ConfigError naming the path', () => {
    expect(() => TargetRegistry.fromFile('/nonexistent/targets.yaml')).toThrow(
      'TARGETS_FILE: cannot read /nonexistent/targets.yaml',
    );
  });
});
