// Medium tier. Real: NATS with JetStream (NATS_URL or 127.0.0.1:4222, a prefix of its own), the
// authz service as its own process with the demo policy and @gatehouse/shell-risk, an OpenSSH
// sshd as the target (root, key authentication), the dev OIDC issuer, the edge itself as
// deployed (createEdgeRuntime + EdgeModule), and two real clients: ssh2 and OpenSSH `ssh`.
// The masking service does not exist yet: a small real responder serves its subject with the
// real contracts (masking-responder.fixture.ts).
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { MessageType, decodeMessage, envelope, subjectsFor, type EvidenceRecord } from '@gatehouse/contracts';
import { loadConfig } from '@gatehouse/config';
import { recordHash } from '@gatehouse/evidence';
import { DevIssuer } from '@gatehouse/identity';
import { createLogger } from '@gatehouse/logging';
import {
  connectBus,
  ensureStreams,
  jetstream,
  jetstreamManager,
  publishDurable,
  streamNameFor,
  type NatsConnection,
} from '@gatehouse/nats';
import { listeningPort, startHttpService } from '@gatehouse/service-host';
import {
  collectEvidence,
  freePort,
  startTestNats,
  startTestSshd,
  uniquePrefix,
  type EvidenceCollector,
  type TestNats,
  type TestSshd,
} from '@gatehouse/testing';
import { startAuthzProcess } from './authz-process.fixture.ts';
import { createEdgeRuntime } from './create-edge-runtime.ts';
import { edgeConfigSpec } from './edge-config.ts';
import { EdgeModule } from './edge.module.ts';
import { startMaskingResponder } from './masking-responder.fixture.ts';
import { SshListener } from './server/ssh-listener.ts';
import {
  connectSsh2,
  openChannel,
  openSsh,
  ssh2Exec,
  ssh2Run,
  type EdgeLogin,
} from './ssh-clients.fixture.ts';
import { UpstreamHost } from './upstream/upstream-host.ts';
import { UpstreamUnavailableError } from './upstream/upstream-unavailable-error.ts';

const logLines: string[] = [];
const logger = createLogger({
  service: 'edge-ssh-test',
  level: 'info',
  destination: new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  }),
});

const rootListing = readdirSync('/')
  .filter((name) => !name.startsWith('.'))
  .sort();

function tokenId(token: string): string {
  return (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { jti: string }).jti;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

describe('edge-ssh (real NATS, authz, sshd, ssh2 and OpenSSH clients)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'edge-ssh-medium-'));
  const targetsFile = join(dir, 'targets.yaml');
  const issued: string[] = [];
  let nats: TestNats;
  let bus: NatsConnection;
  let sshd: TestSshd;
  let issuer: DevIssuer;
  let authz: { stop(): Promise<void> };
  let masking: { stop(): Promise<void> };
  let app: INestApplication;
  let evidence: EvidenceCollector;
  let port: number;

  async function token(groups: string[] = ['pipelines']): Promise<string> {
    const minted = await issuer.mintToken({ sub: 'ci-bot', groups, ttlSeconds: 600 });
    issued.push(minted);
    return minted;
  }

  async function login(username = 'demo-ssh', groups?: string[]): Promise<EdgeLogin> {
    return { port, username, token: await token(groups) };
  }

  /** The records of the session that authenticated with `login`'s token, once it closed. */
  async function sessionOf(edgeLogin: EdgeLogin): Promise<EvidenceRecord[]> {
    const jti = tokenId(edgeLogin.token);
    const opened = await evidence.find(
      (record) => record.kind === 'session_opened' && record.actor?.tokenId === jti,
    );
    return evidence.session(opened.session.id, (records) =>
      records.some((record) => record.kind === 'session_closed'),
    );
  }

  /** Starts an edge as main.ts does, on `prefix`, with the test's targets and dev issuer. */
  async function startEdge(prefix: string): Promise<{ app: INestApplication; port: number }> {
    const config = loadConfig(edgeConfigSpec, {
      env: {
        NATS_URL: nats.url,
        GATEHOUSE_PREFIX: prefix,
        OIDC_ISSUER: issuer.issuer,
        TARGETS_FILE: targetsFile,
        EDGE_SSH_PORT: '0',
        EDGE_SSH_HTTP_PORT: '0',
        EDGE_SSH_HOST_KEY_FILE: join(dir, 'edge', 'ssh_host_ed25519_key'),
        EDGE_DECIDE_TIMEOUT: '1s',
        EDGE_EVIDENCE_TIMEOUT: '1s',
        LOG_LEVEL: 'info',
      },
    });
    const edgeBus = await connectBus({ url: nats.url, name: 'edge-ssh', logger });
    const started = await startHttpService(EdgeModule.forRoot(createEdgeRuntime(config, logger, edgeBus)), {
      host: '127.0.0.1',
      port: 0,
      logger,
    });
    return { app: started, port: started.get(SshListener).port };
  }

  beforeAll(async () => {
    nats = await startTestNats();
    bus = await connectBus({ url: nats.url, name: 'edge-ssh-medium-test', logger });
    await ensureStreams(await jetstreamManager(bus), nats.prefix, ['EVIDENCE', 'APPROVALS']);
    issuer = new DevIssuer();
    const [started] = await Promise.all([
      startTestSshd(join(dir, 'sshd')),
      issuer.start(),
      startAuthzProcess(bus, nats.url, nats.prefix).then((process) => (authz = process)),
    ]);
    sshd = started;
    masking = startMaskingResponder(bus, nats.prefix, logger);
    writeFileSync(
      targetsFile,
      stringify({
        targets: {
          // Another edge's target: edge-ssh must ignore it.
          demo: { kind: 'postgres', host: '127.0.0.1', port: 5432, database: 'demo', user: 'postgres' },
          'demo-ssh': {
            kind: 'ssh',
            host: sshd.host,
            port: sshd.port,
            user: sshd.user,
            privateKeyFile: sshd.clientKeyFile,
            hostKeySha256: sshd.hostKeySha256,
          },
        },
      }),
    );
    const edge = await startEdge(nats.prefix);
    app = edge.app;
    port = edge.port;
    evidence = await collectEvidence(bus, streamNameFor(nats.prefix, 'EVIDENCE'));
  });

  afterAll(async () => {
    // Child processes first: a failed test must not leave an authz or sshd behind.
    await authz?.stop();
    await sshd?.stop();
    await app?.close();
    await evidence?.stop();
    await masking?.stop();
    await issuer?.stop();
    if (bus) {
      const jsm = await jetstreamManager(bus);
      for (const name of ['EVIDENCE', 'APPROVALS'] as const) {
        await jsm.streams.delete(streamNameFor(nats.prefix, name)).catch(() => undefined);
      }
      await bus.drain();
    }
    await nats?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('edge-ssh - runs an allowed `ls /` for pipelines (ssh2, password) with its output and exit status 0', async () => {
    const result = await ssh2Run(await login(), 'ls /');
    expect(result).toEqual({ stdout: `${rootListing.join('\n')}\n`, stderr: '', code: 0, signal: null });
  });

  it('edge-ssh - records the session: opened, decision, statement, recording chunk, result, closed, in one hash chain', async () => {
    const edgeLogin = await login('demo-ssh+job-42');
    const result = await ssh2Run(edgeLogin, 'ls -1 /');
    const records = await sessionOf(edgeLogin);
    expect(records.map((record) => record.kind)).toEqual([
      'session_opened',
      'decision',
      'statement',
      'recording_chunk',
      'result',
      'session_closed',
    ]);
    const [opened, decision, statement, chunk, outcome, closed] = records as [
      EvidenceRecord,
      EvidenceRecord,
      EvidenceRecord,
      EvidenceRecord,
      EvidenceRecord,
      EvidenceRecord,
    ];
    expect(opened.target).toEqual({ name: 'demo-ssh', kind: 'ssh' });
    expect(opened.actor).toMatchObject({
      sub: 'ci-bot',
      groups: ['pipelines'],
      tokenId: tokenId(edgeLogin.token),
    });
    expect(opened.details).toMatchObject({
      clientAddress: '127.0.0.1',
      clientSoftware: expect.stringMatching(/^ssh2js/),
      user: 'demo-ssh+job-42',
      authMethod: 'password',
    });
    expect(decision.details).toMatchObject({
      effect: 'allow',
      rule: 'pipelines-read-demo-ssh',
      cached: false,
      riskClass: 'read',
    });
    expect(statement.details).toEqual({
      protocol: 'ssh-exec',
      // The command's shape: arguments are data and stay out of evidence (DESIGN.md invariant 4).
      normalized: 'ls -1 ?',
      fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
      kinds: ['ls'],
      statementCount: 1,
    });
    expect(chunk.details).toEqual({
      statement: statement.id,
      index: 0,
      stream: 'stdout',
      bytes: Buffer.byteLength(result.stdout),
      sha256: sha256(result.stdout),
    });
    expect(outcome.details).toMatchObject({
      statement: statement.id,
      outcome: 'completed',
      exitStatus: 0,
      signal: null,
      bytesOut: Buffer.byteLength(result.stdout),
      recordingChunks: 1,
      maskedCounts: [],
    });
    for (let index = 1; index < records.length; index += 1) {
      expect(records[index]!.session.prev).toBe(recordHash(records[index - 1]));
    }
    expect(closed.details).toMatchObject({
      reason: 'client closed',
      chainHead: recordHash(outcome),
      recordCount: 6,
    });
  });

  it('edge-ssh - OpenSSH ssh with the token as password runs `ls /`', async () => {
    const result = await openSsh(dir, await login(), 'ls /');
    expect(result).toEqual({ stdout: `${rootListing.join('\n')}\n`, stderr: '', code: 0 });
  });

  it('edge-ssh - OpenSSH ssh authenticates with keyboard-interactive alone', async () => {
    const edgeLogin = await login();
    const result = await openSsh(dir, edgeLogin, 'echo via-keyboard-interactive', {
      preferred: 'keyboard-interactive',
    });
    expect(result).toEqual({ stdout: 'via-keyboard-interactive\n', stderr: '', code: 0 });
    const records = await sessionOf(edgeLogin);
    expect(records[0]!.details).toMatchObject({
      authMethod: 'keyboard-interactive',
      clientSoftware: expect.stringMatching(/^OpenSSH_/),
    });
  });

  it('edge-ssh - ssh2 authenticates with keyboard-interactive', async () => {
    const result = await ssh2Run({ ...(await login()), method: 'keyboard-interactive' }, 'echo hello');
    expect(result).toEqual({ stdout: 'hello\n', stderr: '', code: 0, signal: null });
  });

  it('edge-ssh - denies `rm -rf` with exit status 126 and a stderr line; the target never runs it', async () => {
    const victim = `/tmp/gatehouse-x-${randomBytes(4).toString('hex')}`;
    mkdirSync(victim);
    writeFileSync(join(victim, 'keep'), 'still here');
    try {
      const edgeLogin = await login();
      const viaSsh2 = await ssh2Run(edgeLogin, `rm -rf ${victim}`);
      expect(viaSsh2).toEqual({
        stdout: '',
        stderr: 'gatehouse: denied: destructive commands are denied\n',
        code: 126,
        signal: null,
      });
      const viaOpenSsh = await openSsh(dir, await login(), `rm -rf ${victim}`);
      expect(viaOpenSsh).toEqual({
        stdout: '',
        stderr: 'gatehouse: denied: destructive commands are denied\n',
        code: 126,
      });
      expect(existsSync(join(victim, 'keep'))).toBe(true);
      const records = await sessionOf(edgeLogin);
      expect(records.map((record) => record.kind)).toEqual(['session_opened', 'decision', 'session_closed']);
      expect(records[1]!.details).toMatchObject({
        effect: 'deny',
        rule: 'deny-destructive-demo-ssh',
        riskClass: 'destructive',
      });
    } finally {
      rmSync(victim, { recursive: true, force: true });
    }
  });

  it('edge-ssh - a bad token fails authentication and is recorded as auth_failed', async () => {
    const username = `demo-ssh+bad-${randomBytes(4).toString('hex')}`;
    await expect(ssh2Run({ port, username, token: 'not-a-token' }, 'ls /')).rejects.toMatchObject({
      level: 'client-authentication',
    });
    const viaOpenSsh = await openSsh(dir, { port, username, token: 'not.a.token' }, 'ls /');
    expect(viaOpenSsh.code).toBe(255);
    expect(viaOpenSsh.stderr).toContain('Permission denied');
    const failed = await evidence.find(
      (record) => record.kind === 'auth_failed' && (record.details as { user?: string }).user === username,
    );
    expect(failed.actor).toBeNull();
    expect(failed.target).toEqual({ name: 'demo-ssh', kind: 'ssh' });
    expect(failed.details).toMatchObject({
      clientAddress: '127.0.0.1',
      method: 'password',
      reason: 'malformed',
    });
  });

  it('edge-ssh - an unknown target fails authentication like a bad token', async () => {
    const username = `no-such-target+${randomBytes(4).toString('hex')}`;
    await expect(ssh2Run({ port, username, token: await token() }, 'ls /')).rejects.toMatchObject({
      level: 'client-authentication',
    });
    const failed = await evidence.find(
      (record) => record.kind === 'auth_failed' && (record.details as { user?: string }).user === username,
    );
    expect(failed.target).toEqual({ name: 'no-such-target', kind: 'ssh' });
    expect(failed.details).toMatchObject({ reason: 'unknown_target' });
  });

  it('edge-ssh - refuses an interactive shell with a stderr line and exit status 1 (ssh2 and OpenSSH)', async () => {
    const client = await connectSsh2(await login());
    try {
      const result = await openChannel((callback) => client.shell(false, callback));
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /^gatehouse: refused: an interactive shell is not available through Gatehouse/,
      );
    } finally {
      client.end();
    }
    const viaOpenSsh = await openSsh(dir, await login(), undefined, { flags: ['-n', '-T'] });
    expect(viaOpenSsh.code).toBe(1);
    expect(viaOpenSsh.stderr).toMatch(/^gatehouse: refused: an interactive shell is not available/);
  });

  it('edge-ssh - a person at a terminal gets the terminal refused, then the shell with a clear line and exit status 1', async () => {
    const result = await openSsh(dir, await login(), undefined, { flags: [], terminal: true });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('PTY allocation request failed on channel 0');
    expect(result.stdout).toContain(
      'gatehouse: refused: an interactive shell is not available through Gatehouse',
    );
  });

  it('edge-ssh - refuses the sftp subsystem and port forwarding', async () => {
    const client = await connectSsh2(await login());
    try {
      const result = await openChannel((callback) => client.subsys('sftp', callback));
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^gatehouse: refused: the sftp subsystem is not available/);
      await expect(
        new Promise((resolve, reject) =>
          client.forwardOut('127.0.0.1', 0, sshd.host, sshd.port, (error, stream) =>
            error ? reject(error) : resolve(stream),
          ),
        ),
      ).rejects.toThrow(/Channel open failure/);
    } finally {
      client.end();
    }
  });

  it('edge-ssh - forwards the target exit status and stderr, and relays stdin', async () => {
    const client = await connectSsh2(await login());
    try {
      const [missing, echoed] = await Promise.all([
        ssh2Exec(client, 'ls /gatehouse-does-not-exist'),
        ssh2Exec(client, 'cat', 'line one\nline two\n'),
      ]);
      expect(missing.code).toBe(2);
      expect(missing.stdout).toBe('');
      expect(missing.stderr).toContain('No such file or directory');
      expect(echoed).toEqual({ stdout: 'line one\nline two\n', stderr: '', code: 0, signal: null });
    } finally {
      client.end();
    }
  });

  it('edge-ssh - relays large output intact and in order through masking batches and recording chunks', async () => {
    const edgeLogin = await login();
    const result = await ssh2Run(edgeLogin, 'seq 1 200000');
    const expected = `${Array.from({ length: 200_000 }, (_, index) => index + 1).join('\n')}\n`;
    expect(result.code).toBe(0);
    expect(result.stdout.length).toBe(expected.length);
    expect(result.stdout === expected).toBe(true);
    const records = await sessionOf(edgeLogin);
    const chunks = records.filter((record) => record.kind === 'recording_chunk');
    expect(chunks.length).toBeGreaterThan(1);
    const recorded = chunks.reduce((sum, chunk) => sum + (chunk.details as { bytes: number }).bytes, 0);
    expect(recorded).toBe(expected.length);
    expect(chunks.map((chunk) => (chunk.details as { index: number }).index)).toEqual(
      chunks.map((_, index) => index),
    );
  });

  it('edge-ssh - masks output lines with the profile the decision names and records counts, never values', async () => {
    const edgeLogin = await login();
    const result = await ssh2Run(edgeLogin, 'echo contact alice@example.com today');
    expect(result).toEqual({ stdout: 'contact <email> today\n', stderr: '', code: 0, signal: null });
    const records = await sessionOf(edgeLogin);
    const chunk = records.find((record) => record.kind === 'recording_chunk')!;
    expect(chunk.details).toMatchObject({ bytes: 22, sha256: sha256('contact <email> today\n') });
    const outcome = records.find((record) => record.kind === 'result')!;
    expect(outcome.details).toMatchObject({
      maskedCounts: [{ entity: 'email', column: 'output', count: 1 }],
    });
    // The command line itself is the client's (statement evidence keeps it); the output is masked.
    const outputRecords = records.filter(
      (record) => record.kind === 'recording_chunk' || record.kind === 'result',
    );
    expect(JSON.stringify(outputRecords)).not.toContain('alice@example.com');
  });

  it('edge-ssh - stops the output with exit status 1 when masking cannot answer, never sending it unmasked', async () => {
    await masking.stop();
    try {
      const result = await ssh2Run(await login(), 'echo bob@example.com');
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('gatehouse: output stopped: masking cannot answer');
      expect(result.stderr).not.toContain('bob@example.com');
    } finally {
      masking = startMaskingResponder(bus, nats.prefix, logger);
    }
  });

  it('edge-ssh - refuses a command over the size cap with exit status 126', async () => {
    const command = `echo ${'a'.repeat(33_000)}`;
    const result = await ssh2Run(await login(), command);
    expect(result).toEqual({
      stdout: '',
      stderr: `gatehouse: refused: the command is ${command.length} bytes; the limit is 32768\n`,
      code: 126,
      signal: null,
    });
  });

  it('edge-ssh - drops a connection whose packet exceeds the SSH packet limit and keeps serving others', async () => {
    // RFC 4253 section 6.1: 35000 bytes is the packet size every implementation must accept;
    // ssh2 disconnects a peer that sends more.
    await expect(ssh2Run(await login(), `echo ${'b'.repeat(40_000)}`)).rejects.toThrow();
    const result = await ssh2Run(await login(), 'echo after-oversized-packet');
    expect(result.stdout).toBe('after-oversized-packet\n');
  });

  it('edge-ssh - holds a write for approval and runs it once approved; a rejection refuses it with 126', async () => {
    const subjects = subjectsFor(nats.prefix);
    const requested: string[] = [];
    const requests = bus.subscribe(subjects.approvalRequested, {
      callback: (_error, message) => {
        requested.push(decodeMessage(MessageType.ApprovalRequested, message.data).body.requestId);
      },
    });
    const decide = async (outcome: 'approved' | 'rejected'): Promise<string> => {
      while (requested.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      const requestId = requested.shift()!;
      await publishDurable(
        jetstream(bus),
        subjects.approvalDecided(requestId),
        envelope(MessageType.ApprovalDecided, { requestId, outcome, approvers: ['alice'] }),
      );
      return requestId;
    };
    const approvedDir = `/tmp/gatehouse-y-${randomBytes(4).toString('hex')}`;
    const rejectedDir = `/tmp/gatehouse-z-${randomBytes(4).toString('hex')}`;
    try {
      const [approved, approvedId] = await Promise.all([
        ssh2Run(await login(), `mkdir ${approvedDir}`),
        decide('approved'),
      ]);
      expect(approved.code).toBe(0);
      expect(approved.stderr).toBe(
        `gatehouse: waiting for approval by approvers (request ${approvedId}); holding the command for up to 600 s\n` +
          'gatehouse: approved by alice; running the command\n',
      );
      expect(existsSync(approvedDir)).toBe(true);
      const [rejected, rejectedId] = await Promise.all([
        ssh2Run(await login(), `mkdir ${rejectedDir}`),
        decide('rejected'),
      ]);
      expect(rejected.code).toBe(126);
      expect(rejected.stderr).toContain(`gatehouse: denied: approval request ${rejectedId} was rejected\n`);
      expect(existsSync(rejectedDir)).toBe(false);
    } finally {
      requests.unsubscribe();
      rmSync(approvedDir, { recursive: true, force: true });
      rmSync(rejectedDir, { recursive: true, force: true });
    }
  });

  it('edge-ssh - a client that leaves while its command is held ends the hold; the command never runs', async () => {
    const requested: string[] = [];
    const requests = bus.subscribe(subjectsFor(nats.prefix).approvalRequested, {
      callback: (_error, message) => {
        requested.push(decodeMessage(MessageType.ApprovalRequested, message.data).body.requestId);
      },
    });
    const abandoned = `/tmp/gatehouse-q-${randomBytes(4).toString('hex')}`;
    try {
      const edgeLogin = await login();
      const client = await connectSsh2(edgeLogin);
      void ssh2Exec(client, `mkdir ${abandoned}`).catch(() => undefined);
      while (requested.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      client.end();
      const records = await sessionOf(edgeLogin);
      expect(records.map((record) => record.kind)).toEqual([
        'session_opened',
        'decision',
        'approval_requested',
        'approval_decided',
        'session_closed',
      ]);
      expect(records[3]!.details).toEqual({ requestId: requested[0], outcome: 'client_gone', approvers: [] });
      expect(existsSync(abandoned)).toBe(false);
    } finally {
      requests.unsubscribe();
      rmSync(abandoned, { recursive: true, force: true });
    }
  });

  it('edge-ssh - survives malformed SSH bytes and keeps serving others', async () => {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write('GET / HTTP/1.1\r\nHost: edge\r\n\r\n');
    socket.write(randomBytes(4096));
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.on('error', () => undefined);
      socket.resume();
    });
    const result = await ssh2Run(await login(), 'echo still-serving');
    expect(result.stdout).toBe('still-serving\n');
  });

  it('edge-ssh - refuses a command with exit status 255 when JetStream cannot store its evidence', async () => {
    const jsm = await jetstreamManager(bus);
    const stream = streamNameFor(nats.prefix, 'EVIDENCE');
    const client = await connectSsh2(await login());
    try {
      const info = await jsm.streams.info(stream);
      // Once the session is open the stream stops taking evidence: the command's records get no
      // acknowledgement.
      await jsm.streams.update(stream, {
        ...info.config,
        subjects: [`${subjectsFor(nats.prefix).evidence}-elsewhere`],
      });
      const result = await ssh2Exec(client, 'echo must-not-run');
      expect(result).toEqual({
        stdout: '',
        stderr:
          'gatehouse: unavailable: evidence could not be stored (JetStream did not acknowledge); the command did not run\n',
        code: 255,
        signal: null,
      });
    } finally {
      client.end();
      await ensureStreams(jsm, nats.prefix, ['EVIDENCE']);
    }
  });

  it('edge-ssh - refuses a command with exit status 255 when authz cannot answer, and a session when evidence has no stream', async () => {
    const withoutAuthz = uniquePrefix();
    await ensureStreams(await jetstreamManager(bus), withoutAuthz, ['EVIDENCE']);
    const bare = await startEdge(withoutAuthz);
    const streamless = await startEdge(uniquePrefix());
    try {
      const result = await ssh2Run({ ...(await login()), port: bare.port }, 'echo must-not-run');
      expect(result).toEqual({
        stdout: '',
        stderr:
          'gatehouse: unavailable: authz cannot answer: no instance is serving; the command did not run\n',
        code: 255,
        signal: null,
      });
      // No evidence, no access: session_opened cannot be stored, so authentication fails.
      await expect(
        ssh2Run({ ...(await login()), port: streamless.port }, 'echo must-not-run'),
      ).rejects.toMatchObject({
        level: 'client-authentication',
      });
    } finally {
      await bare.app.close();
      await streamless.app.close();
      await (
        await jetstreamManager(bus)
      ).streams
        .delete(streamNameFor(withoutAuthz, 'EVIDENCE'))
        .catch(() => undefined);
    }
  });

  it('edge-ssh - checks the target host key against hostKeySha256', async () => {
    const target = {
      name: 'demo-ssh',
      host: sshd.host,
      port: sshd.port,
      user: sshd.user,
      privateKey: readFileSync(sshd.clientKeyFile, 'utf8'),
      passphrase: undefined,
      password: undefined,
    };
    const pinned = new UpstreamHost(
      { ...target, hostKeySha256: sshd.hostKeySha256.replace('SHA256:', '') },
      5000,
    );
    const channel = await pinned.exec('echo pinned');
    const output = await new Promise<string>((resolve) => {
      let text = '';
      channel.on('data', (chunk: Buffer) => (text += chunk.toString()));
      channel.on('close', () => resolve(text));
    });
    pinned.close();
    expect(output).toBe('pinned\n');
    const impostor = new UpstreamHost({ ...target, hostKeySha256: 'A'.repeat(43) }, 5000);
    const refused = await impostor.exec('echo never').catch((error: unknown) => error);
    impostor.close();
    expect(refused).toBeInstanceOf(UpstreamUnavailableError);
    expect(refused).toMatchObject({
      message: 'target demo-ssh is unavailable',
      detail: 'host key does not match hostKeySha256',
    });
  });

  it('edge-ssh - serves /healthz, /readyz (NATS and the evidence stream) and /metrics', async () => {
    const base = `http://127.0.0.1:${listeningPort(app)}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, checks: { nats: true, evidence: true } });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(
      /gatehouse_requests_total\{[^}]*operation="command",outcome="denied"[^}]*\} [1-9]/,
    );
    expect(metrics).toMatch(
      /gatehouse_requests_total\{[^}]*operation="authenticate",outcome="failed"[^}]*\} [1-9]/,
    );
  });

  it('edge-ssh - main.ts boots as its own process and serves a command', async () => {
    const [sshPort, httpPort] = [await freePort(), await freePort()];
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./main.ts', import.meta.url))],
      {
        env: {
          ...process.env,
          NATS_URL: nats.url,
          GATEHOUSE_PREFIX: nats.prefix,
          OIDC_ISSUER: issuer.issuer,
          TARGETS_FILE: targetsFile,
          EDGE_SSH_PORT: String(sshPort),
          EDGE_SSH_HTTP_PORT: String(httpPort),
          EDGE_SSH_HOST_KEY_FILE: join(dir, 'edge', 'ssh_host_ed25519_key'),
          LOG_LEVEL: 'warn',
        },
        stdio: 'ignore',
      },
    );
    try {
      const deadline = Date.now() + 20_000;
      while ((await fetch(`http://127.0.0.1:${httpPort}/readyz`).catch(() => undefined))?.status !== 200) {
        if (child.exitCode !== null || Date.now() > deadline)
          throw new Error(`edge-ssh did not start (${child.exitCode})`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const result = await ssh2Run({ ...(await login()), port: sshPort }, 'echo from-main');
      expect(result).toEqual({ stdout: 'from-main\n', stderr: '', code: 0, signal: null });
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('edge-ssh - never writes a token to its logs', () => {
    expect(issued.length).toBeGreaterThan(5);
    const log = logLines.join('');
    for (const minted of issued) expect(log).not.toContain(minted);
  });
});
