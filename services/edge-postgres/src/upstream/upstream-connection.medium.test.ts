// Medium: the upstream leg against a real PostgreSQL server started for this file (the Debian
// server binaries, run as the postgres account) with SCRAM-SHA-256, md5 and trust roles and TLS
// with a CA of its own. Real: PostgreSQL, its authentication exchanges, TLS. Skipped nowhere: it
// fails when the binaries are missing.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
  appendFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostgresTarget } from '../targets/target-registry.ts';
import { openUpstream, type UpstreamSession } from './upstream-connection.ts';

const binDir = join('/usr/lib/postgresql', readdirSync('/usr/lib/postgresql').sort().at(-1)!, 'bin');
const asPostgres = process.getuid?.() === 0;

function runAsPostgres(command: string, args: string[]): string {
  const [file, argv] = asPostgres ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  return execFileSync(file, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A CA and a server certificate for 127.0.0.1 / localhost signed by it (openssl). */
function certificates(dir: string, name: string): { ca: string; cert: string; key: string } {
  const file = (suffix: string): string => join(dir, `${name}-${suffix}`);
  const openssl = (...args: string[]): void => void execFileSync('openssl', args, { stdio: 'ignore' });
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.crt'),
    '-days',
    '2',
    '-subj',
    `/CN=${name} test CA`,
  );
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    file('server.key'),
    '-out',
    file('server.csr'),
    '-subj',
    '/CN=localhost',
  );
  writeFileSync(file('ext.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  openssl(
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.crt'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-out',
    file('server.crt'),
    '-days',
    '2',
    '-extfile',
    file('ext.cnf'),
  );
  return { ca: file('ca.crt'), cert: file('server.crt'), key: file('server.key') };
}

describe('openUpstream against a real PostgreSQL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-upstream-'));
  const data = join(dir, 'data');
  let port = 0;
  let ca = '';
  let otherCa = '';
  const open: UpstreamSession[] = [];

  beforeAll(async () => {
    chmodSync(dir, 0o755);
    const tls = certificates(dir, 'server');
    otherCa = readFileSync(certificates(dir, 'other').ca, 'utf8');
    ca = readFileSync(tls.ca, 'utf8');
    if (asPostgres) {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
      chownSync(dir, uid, gid);
      chownSync(tls.key, uid, gid);
      chownSync(tls.cert, uid, gid);
    }
    chmodSync(tls.key, 0o600);
    port = await freePort();
    runAsPostgres(join(binDir, 'initdb'), [
      '-D',
      data,
      '-U',
      'postgres',
      '--auth=trust',
      '--no-sync',
      '-E',
      'UTF8',
    ]);
    writeFileSync(
      join(data, 'pg_hba.conf'),
      [
        'host all postgres 127.0.0.1/32 trust',
        'host all trust_user 127.0.0.1/32 trust',
        'host all md5_user 127.0.0.1/32 md5',
        'host all scram_user 127.0.0.1/32 scram-sha-256',
        'hostnossl all tls_user 127.0.0.1/32 reject',
        'hostssl all tls_user 127.0.0.1/32 scram-sha-256',
        '',
      ].join('\n'),
    );
    appendFileSync(
      join(data, 'postgresql.conf'),
      `\nlisten_addresses = '127.0.0.1'\nport = ${port}\nunix_socket_directories = ''\nssl = on\nssl_cert_file = '${tls.cert}'\nssl_key_file = '${tls.key}'\nfsync = off\n`,
    );
    runAsPostgres(join(binDir, 'pg_ctl'), ['-D', data, '-l', join(dir, 'postgres.log'), '-w', 'start']);
    const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
    await admin.connect();
    await admin.query("SET password_encryption = 'scram-sha-256'");
    // A password SASLprep changes (non-breaking space, NFKC ligature): the client must normalise it.
    await admin.query(`CREATE ROLE scram_user LOGIN PASSWORD 'ﬁne\u00a0pässword'`);
    await admin.query(`CREATE ROLE tls_user LOGIN PASSWORD 'tls-secret'`);
    await admin.query("SET password_encryption = 'md5'");
    await admin.query(`CREATE ROLE md5_user LOGIN PASSWORD 'md5-secret'`);
    await admin.query('CREATE ROLE trust_user LOGIN');
    await admin.end();
  }, 60_000);

  afterAll(() => {
    for (const session of open) session.socket.destroy();
    try {
      runAsPostgres(join(binDir, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const target = (
    user: string,
    password: string | undefined,
    tls: PostgresTarget['tls'] = 'disable',
    caPem?: string,
  ): PostgresTarget => ({
    name: 'upstream-test',
    host: '127.0.0.1',
    port,
    database: 'postgres',
    user,
    password,
    tls,
    ca: caPem,
  });

  async function connected(t: PostgresTarget): Promise<UpstreamSession> {
    const session = await openUpstream(t, { client_encoding: 'UTF8', application_name: 'upstream-test' });
    open.push(session);
    return session;
  }

  it('upstream - SCRAM-SHA-256 with a password that needs SASLprep reaches ReadyForQuery with the server key and parameters', async () => {
    const session = await connected(target('scram_user', 'ﬁne\u00a0pässword'));
    expect(session.status).toBe('I');
    expect(session.backendKey?.processId).toBeGreaterThan(0);
    expect(new Map(session.parameters).get('application_name')).toBe('upstream-test');
    expect(new Map(session.parameters).get('server_encoding')).toBe('UTF8');
  });

  it('upstream - md5 and trust authenticate; a wrong password is refused naming the target', async () => {
    expect((await connected(target('md5_user', 'md5-secret'))).status).toBe('I');
    expect((await connected(target('trust_user', undefined))).status).toBe('I');
    await expect(openUpstream(target('scram_user', 'wrong'), {})).rejects.toMatchObject({
      name: 'DependencyUnavailableError',
      message: expect.stringContaining('target upstream-test refused the session'),
    });
    await expect(openUpstream(target('md5_user', 'wrong'), {})).rejects.toMatchObject({
      name: 'DependencyUnavailableError',
    });
    await expect(openUpstream(target('md5_user', undefined), {})).rejects.toMatchObject({
      message: expect.stringContaining('asks for a password and none is configured'),
    });
  });

  it('upstream - TLS require and verify-full with the right CA connect; verify-full with another CA is refused', async () => {
    expect((await connected(target('tls_user', 'tls-secret', 'require'))).socket.constructor.name).toBe(
      'TLSSocket',
    );
    expect((await connected(target('tls_user', 'tls-secret', 'verify-full', ca))).status).toBe('I');
    await expect(
      openUpstream(target('tls_user', 'tls-secret', 'verify-full', otherCa), {}),
    ).rejects.toMatchObject({
      name: 'DependencyUnavailableError',
    });
    // Without TLS the hba rule for tls_user rejects the session.
    await expect(openUpstream(target('tls_user', 'tls-secret', 'disable'), {})).rejects.toMatchObject({
      name: 'DependencyUnavailableError',
    });
  });
});
