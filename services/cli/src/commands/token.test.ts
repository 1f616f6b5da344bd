import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { DevIssuer, TokenVerifier } from '@gatehouse/identity';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGatehouse } from '../run-gatehouse.fixture.ts';

// Real: the CLI launcher in a child process (tsx, parseArgs, fetch) against a DevIssuer over
// HTTP on 127.0.0.1; tokens checked with the TokenVerifier the edges use.

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// Each case starts a Node process with tsx: up to seconds on a busy machine.
describe('gatehouse token', { timeout: 30_000 }, () => {
  const issuer = new DevIssuer({ maxTtlSeconds: 1800 });
  let url: string;

  beforeAll(async () => {
    ({ url } = await issuer.start());
  });

  afterAll(async () => {
    await issuer.stop();
  });

  it('gatehouse token - prints only a token that verifies with the requested sub, groups and ttl', async () => {
    const run = await runGatehouse(
      ['token', '--sub', 'ci-bot', '--groups', 'pipelines,readers', '--ttl', '10m'],
      {
        GATEHOUSE_ISSUER_URL: url,
      },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const token = run.stdout.trim();
    const identity = await new TokenVerifier({ issuer: url, audience: 'gatehouse' }).verify(token);
    expect(identity.subject).toBe('ci-bot');
    expect(identity.groups).toEqual(['pipelines', 'readers']);
    const claims = decodeJwt(token);
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(600);
  });

  it('gatehouse token - --issuer and --audience override the environment, repeated --groups add up', async () => {
    const run = await runGatehouse(
      [
        'token',
        '--sub',
        'alice',
        '--groups',
        'approvers',
        '--groups',
        'auditors',
        '--ttl',
        '90s',
        '--issuer',
        `${url}/`,
        '--audience',
        'ledger-api',
      ],
      { GATEHOUSE_ISSUER_URL: 'http://127.0.0.1:1' },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const identity = await new TokenVerifier({ issuer: url, audience: 'ledger-api' }).verify(
      run.stdout.trim(),
    );
    expect(identity.subject).toBe('alice');
    expect(identity.groups).toEqual(['approvers', 'auditors']);
    const claims = decodeJwt(run.stdout.trim());
    expect(claims.aud).toBe('ledger-api');
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(90);
  });

  it('gatehouse token - without --groups mints a token with no groups and the issuer default ttl', async () => {
    const run = await runGatehouse(['token', '--sub', 'bob', '--issuer', url]);
    expect(run.code).toBe(0);
    const claims = decodeJwt(run.stdout.trim());
    expect(claims).toMatchObject({ sub: 'bob', groups: [], aud: 'gatehouse', iss: url });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(600);
  });

  it('gatehouse token - a missing --sub exits 2 with the usage line and prints no token', async () => {
    const run = await runGatehouse(['token', '--groups', 'pipelines', '--issuer', url]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('gatehouse token: --sub NAME is required');
    expect(run.stderr).toContain('usage: gatehouse token --sub NAME');
  });

  it('gatehouse token - an unknown option, a bad --ttl and a stray argument each exit 2', async () => {
    const unknown = await runGatehouse(['token', '--sub', 'x', '--group', 'a', '--issuer', url]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("gatehouse token: Unknown option '--group'\n");
    expect(unknown.stderr).toContain('usage: gatehouse token');

    const ttl = await runGatehouse(['token', '--sub', 'x', '--ttl', 'ten minutes', '--issuer', url]);
    expect(ttl.code).toBe(2);
    expect(ttl.stderr).toContain('gatehouse token: --ttl: invalid duration "ten minutes"');

    const stray = await runGatehouse(['token', '--sub', 'x', 'extra', '--issuer', url]);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('gatehouse token: unexpected argument "extra"');
    for (const run of [unknown, ttl, stray]) expect(run.stdout).toBe('');
  });

  it('gatehouse token - a ttl over the issuer maximum exits 2 with the issuer reason', async () => {
    const run = await runGatehouse(['token', '--sub', 'x', '--ttl', '1h', '--issuer', url]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(
      'gatehouse token: the dev issuer refused the request: ttlSeconds: must be an integer from 1 to 1800',
    );
  });

  it('gatehouse token - an unreachable issuer exits 1 and says to start the stack', async () => {
    const port = await closedPort();
    const run = await runGatehouse(['token', '--sub', 'x'], {
      GATEHOUSE_ISSUER_URL: `http://127.0.0.1:${port}`,
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `gatehouse token: no dev issuer at http://127.0.0.1:${port} — is \`npm start\` running? (ECONNREFUSED)\n`,
    );
  });

  it('gatehouse token - an invalid GATEHOUSE_ISSUER_URL stops with the variable named, exit 2', async () => {
    const run = await runGatehouse(['token', '--sub', 'x'], { GATEHOUSE_ISSUER_URL: 'ftp://issuer' });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('gatehouse: GATEHOUSE_ISSUER_URL must use http: or https:, got ftp:\n');
  });

  it('gatehouse token --help prints the options on stdout and exits 0', async () => {
    const run = await runGatehouse(['token', '--help']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('usage: gatehouse token --sub NAME');
    for (const option of ['--sub', '--groups', '--ttl', '--issuer', '--audience']) {
      expect(run.stdout).toContain(`  ${option} `);
    }
  });
});

describe('gatehouse', { timeout: 30_000 }, () => {
  it('gatehouse - no command exits 2 and lists the commands on stderr', async () => {
    const run = await runGatehouse([]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('usage: gatehouse <command> [options]');
    expect(run.stderr).toMatch(/^ {2}token +mint a dev access token/m);
  });

  it('gatehouse - an unknown command exits 2 naming it', async () => {
    const run = await runGatehouse(['tokens']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('gatehouse: unknown command "tokens"');
  });

  it('gatehouse --help lists the commands on stdout and exits 0', async () => {
    const run = await runGatehouse(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('usage: gatehouse <command> [options]');
    expect(run.stdout).toMatch(/^ {2}token +mint a dev access token/m);
  });
});
