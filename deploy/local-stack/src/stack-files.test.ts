import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readOrCreateSecret } from './embedded-postgres-server.ts';
import { executableOnPath } from './executable-on-path.ts';
import { databaseUrl, stackDatabaseNames } from './stack-databases.ts';
import { writeTargetsFile } from './targets-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'gh-stack-files-'));

describe('stack files and names', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('targets file - one demo target in the edge-postgres TARGETS_FILE format, readable only by its owner', () => {
    const path = join(dir, 'targets.yaml');
    writeTargetsFile(path, {
      host: '127.0.0.1',
      port: 54321,
      database: 't1_demo',
      user: 't1_demo_owner',
      passwordFile: '/state/t1_demo_owner.password',
    });
    expect(parse(readFileSync(path, 'utf8'))).toEqual({
      targets: {
        demo: {
          kind: 'postgres',
          host: '127.0.0.1',
          port: 54321,
          database: 't1_demo',
          user: 't1_demo_owner',
          passwordFile: '/state/t1_demo_owner.password',
          tls: 'disable',
        },
      },
    });
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('database names - gatehouse and demo for the default prefix, prefixed names for any other', () => {
    expect(stackDatabaseNames('gatehouse')).toEqual({
      evidence: 'gatehouse',
      demo: 'demo',
      demoOwner: 'demo_owner',
    });
    expect(stackDatabaseNames('t1abc')).toEqual({
      evidence: 't1abc_evidence',
      demo: 't1abc_demo',
      demoOwner: 't1abc_demo_owner',
    });
    expect(stackDatabaseNames('t1abc', { demo: 'shop' })).toEqual({
      evidence: 't1abc_evidence',
      demo: 'shop',
      demoOwner: 'shop_owner',
    });
  });

  it('database url - replaces only the database of an admin URL', () => {
    expect(databaseUrl('postgres://postgres:p%40ss@127.0.0.1:5433/postgres?sslmode=disable', 'demo')).toBe(
      'postgres://postgres:p%40ss@127.0.0.1:5433/demo?sslmode=disable',
    );
  });

  it('secret file - created once with mode 0600 and read back unchanged afterwards', () => {
    const path = join(dir, 'nested', 'secret');
    const first = readOrCreateSecret(path);
    expect(first).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readOrCreateSecret(path)).toBe(first);
  });

  it('executable on path - finds an executable in a PATH list and skips missing directories', () => {
    expect(executableOnPath('node', `/no/such/dir:${join(process.execPath, '..')}`)).toBe(process.execPath);
    expect(executableOnPath('no-such-tool-gatehouse', '/usr/bin:/bin')).toBeUndefined();
  });
});
