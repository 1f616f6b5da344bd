// Integration: wire-level behaviour of the real edge-postgres, spoken byte by byte with
// node-postgres's own codec (pg-protocol), with authz and audit as separate processes on real NATS
// and PostgreSQL (demo policy). A second edge instance is started as its own process (as a load
// balancer would run several) with small limits. Proves: exact response sequences for pipelined
// extended-protocol batches with refusals (discard until Sync), portals and PortalSuspended,
// COPY both ways and CopyFail, half-close, a CancelRequest that reaches the other instance,
// rate-limited unauthenticated cancels, the message size cap (54000), several-KB passwords,
// protocol negotiation, the authentication timeout and the idle-session timeout.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { serialize } from 'pg-protocol';
import { Parser } from 'pg-protocol/dist/parser.js';
import type { BackendMessage } from 'pg-protocol/dist/messages.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvidenceRecord } from '@gatehouse/contracts';
import type { RunningStack } from '@gatehouse/local-stack';
import { streamNameFor } from '@gatehouse/nats';
import { collectEvidence, type EvidenceCollector } from '@gatehouse/testing';
import { connect as connectNats } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import { startTestStack } from './stack-fixture.ts';

const repoRoot = join(import.meta.dirname, '..', '..');

/** The type-specific body of an evidence record. */
const details = (record: EvidenceRecord): Record<string, unknown> =>
  record.details as Record<string, unknown>;

/** A parsed backend message; `negotiateProtocolVersion` is added here (pg-protocol lacks it). */
type Message = Omit<BackendMessage, 'name'> & { name: string } & Record<string, unknown>;

/** A raw protocol session: write any bytes, read parsed backend messages in order. */
class RawSession {
  readonly socket: Socket;
  readonly #messages: Message[] = [];
  #waiter: (() => void) | undefined;
  #closed = false;
  processId = 0;
  secretKey = 0;
  negotiatedVersion: number | undefined;

  private constructor(socket: Socket) {
    this.socket = socket;
    // pg-protocol's parser does not know NegotiateProtocolVersion ('v'), so frame here first.
    const parser = new Parser();
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 5 && buffered.length >= buffered.readInt32BE(1) + 1) {
        const message = buffered.subarray(0, buffered.readInt32BE(1) + 1);
        buffered = buffered.subarray(message.length);
        if (message[0] === 0x76)
          this.#messages.push({
            name: 'negotiateProtocolVersion',
            length: message.length,
            version: message.readInt32BE(5),
          } as unknown as Message);
        else parser.parse(message, (parsed) => this.#messages.push(parsed as Message));
      }
      this.#waiter?.();
    });
    socket.on('close', () => {
      this.#closed = true;
      this.#waiter?.();
    });
    socket.on('error', () => undefined);
  }

  /** Connects and completes startup with `token`; `options` are extra startup parameters. */
  static async open(
    port: number,
    token: string,
    options: { localAddress?: string; parameters?: Record<string, string>; protocol?: number } = {},
  ): Promise<RawSession> {
    const socket = connect({
      host: '127.0.0.1',
      port,
      ...(options.localAddress ? { localAddress: options.localAddress } : {}),
    });
    await once(socket, 'connect');
    const session = new RawSession(socket);
    const parameters = { user: 'raw', database: 'demo', ...options.parameters };
    if (options.protocol === undefined) socket.write(serialize.startup(parameters));
    else socket.write(startupWithVersion(options.protocol, parameters));
    const first = await session.until(['authenticationCleartextPassword', 'error']);
    const negotiation = first.find((message) => message.name === 'negotiateProtocolVersion');
    if (negotiation) session.negotiatedVersion = negotiation['version'] as number;
    if (first.at(-1)!.name === 'error') throw new Error(String(first.at(-1)!['message']));
    socket.write(serialize.password(token));
    const greeting = await session.until(['readyForQuery', 'error']);
    if (greeting.at(-1)!.name === 'error') throw new Error(String(greeting.at(-1)!['message']));
    const key = greeting.find((message) => message.name === 'backendKeyData');
    if (!key) throw new Error(`no BackendKeyData: ${greeting.map((m) => m.name).join(',')}`);
    session.processId = key['processID'] as number;
    session.secretKey = key['secretKey'] as number;
    return session;
  }

  write(...messages: Buffer[]): void {
    this.socket.write(Buffer.concat(messages));
  }

  /** Messages up to and including the first whose name is in `names`. */
  async until(names: string[], timeoutMs = 15_000): Promise<Message[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.#messages.findIndex((message) => names.includes(message.name));
      if (index >= 0) return this.#messages.splice(0, index + 1);
      if (this.#closed)
        throw new Error(
          `connection closed before ${names.join('/')}; got ${this.#messages.map((m) => m.name).join(',')}`,
        );
      if (Date.now() > deadline) throw new Error(`no ${names.join('/')} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        this.#waiter = resolve;
        setTimeout(resolve, 50);
      });
      this.#waiter = undefined;
    }
  }

  /** Messages up to the `count`-th ReadyForQuery. */
  async syncs(count: number): Promise<Message[]> {
    const all: Message[] = [];
    for (let i = 0; i < count; i++) all.push(...(await this.until(['readyForQuery'])));
    return all;
  }

  /** Resolves once the edge closed the connection, with what arrived until then. */
  async closed(timeoutMs = 15_000): Promise<Message[]> {
    const deadline = Date.now() + timeoutMs;
    while (!this.#closed) {
      if (Date.now() > deadline) throw new Error('the edge did not close the connection');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.#messages.splice(0);
  }

  get isClosed(): boolean {
    return this.#closed;
  }
}

function startupWithVersion(version: number, parameters: Record<string, string>): Buffer {
  const pairs = Object.entries(parameters).flatMap(([name, value]) => [Buffer.from(`${name}\0${value}\0`)]);
  const body = Buffer.concat([...pairs, Buffer.from([0])]);
  const header = Buffer.alloc(8);
  header.writeInt32BE(8 + body.length, 0);
  header.writeInt32BE(version, 4);
  return Buffer.concat([header, body]);
}

/** A CancelRequest as psql and libpq send it. */
async function sendCancel(
  port: number,
  processId: number,
  secretKey: number,
  localAddress?: string,
): Promise<void> {
  const socket = connect({ host: '127.0.0.1', port, ...(localAddress ? { localAddress } : {}) });
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  socket.end(serialize.cancel(processId, secretKey));
  await once(socket, 'close');
}

/** Shape of a response sequence: names, with the SQLSTATE of errors and the tag of completions. */
function shape(messages: Message[]): string[] {
  return messages
    .filter((message) => message.name !== 'notice' && message.name !== 'parameterStatus')
    .map((message) => {
      if (message.name === 'error') return `error ${message['code'] as string}`;
      if (message.name === 'commandComplete') return `complete ${message['text'] as string}`;
      if (message.name === 'readyForQuery') return `ready ${message['status'] as string}`;
      return message.name;
    });
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

describe('edge-postgres on the wire', () => {
  let stack: RunningStack;
  let pipelines: string;
  let dbadmin: string;
  let second: ChildProcess | undefined;
  let bus: NatsConnection;
  let evidence: EvidenceCollector;
  let secondPort = 0;

  beforeAll(async () => {
    stack = await startTestStack(['authz', 'masking', 'audit', 'edge-postgres']);
    pipelines = await stack.mintToken('ci-bot', ['pipelines']);
    dbadmin = await stack.mintToken('dba', ['dbadmins']);
    bus = await connectNats({ servers: stack.natsUrl });
    evidence = await collectEvidence(bus, streamNameFor(stack.prefix, 'EVIDENCE'));
    // A second edge instance with small limits, sharing the stack's NATS, authz and target.
    secondPort = await freePort();
    const httpPort = await freePort();
    second = spawn(process.execPath, ['--import', 'tsx', 'services/edge-postgres/src/main.ts'], {
      cwd: repoRoot,
      env: {
        ...process.env,
        NATS_URL: stack.natsUrl,
        GATEHOUSE_PREFIX: stack.prefix,
        LOG_LEVEL: 'warn',
        HTTP_HOST: '127.0.0.1',
        OIDC_ISSUER: stack.issuer.issuer,
        OIDC_AUDIENCE: 'gatehouse',
        TARGETS_FILE: stack.targetsFile,
        EDGE_ALLOW_PLAINTEXT_LOOPBACK: 'true',
        EDGE_PG_PORT: String(secondPort),
        EDGE_PG_HTTP_PORT: String(httpPort),
        EDGE_MAX_MESSAGE_BYTES: String(64 * 1024),
        EDGE_IDLE_SESSION_TIMEOUT: '1500ms',
        EDGE_AUTHENTICATION_TIMEOUT: '2s',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const deadline = Date.now() + 60_000;
    for (;;) {
      const ready = await fetch(`http://127.0.0.1:${httpPort}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) break;
      if (Date.now() > deadline || second.exitCode !== null)
        throw new Error('second edge instance did not start');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });

  afterAll(async () => {
    await evidence?.stop();
    await bus?.close();
    if (second && second.exitCode === null) {
      second.kill('SIGTERM');
      await once(second, 'exit');
    }
    await stack?.stop();
  });

  const edgePort = (): number => stack.endpoints.edgePostgres.port;

  async function target<T>(sql: string): Promise<T[]> {
    const client = new pg.Client({ connectionString: stack.databases.demoUrl });
    await client.connect();
    try {
      return (await client.query(sql)).rows as T[];
    } finally {
      await client.end();
    }
  }

  async function waitUntilRunning(marker: string): Promise<void> {
    await expect
      .poll(
        async () =>
          (
            await target<{ n: number }>(
              `SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%${marker}%' AND pid <> pg_backend_pid()`,
            )
          )[0]!.n,
        { timeout: 10_000, interval: 100 },
      )
      .toBe(1);
  }

  it('edge-postgres - a pipelined batch with a refused Parse answers exactly like PostgreSQL (discard until Sync)', async () => {
    const session = await RawSession.open(edgePort(), pipelines);
    session.write(
      // batch 1: allowed
      serialize.parse({ text: 'SELECT $1::int AS n', types: [23] }),
      serialize.bind({ values: ['1'] }),
      serialize.describe({ type: 'P' }),
      serialize.execute({}),
      serialize.sync(),
      // batch 2: refused Parse; its Bind/Execute and the next Parse are discarded until Sync
      serialize.parse({ text: 'DELETE FROM customers' }),
      serialize.bind({}),
      serialize.execute({}),
      serialize.parse({ text: 'SELECT 2' }),
      serialize.sync(),
      // batch 3: Bind of the refused (never created) named statement
      serialize.bind({ statement: 'never-created', values: [] }),
      serialize.execute({}),
      serialize.sync(),
      // batch 4: allowed again
      serialize.parse({ text: 'SELECT 4 AS four' }),
      serialize.bind({}),
      serialize.describe({ type: 'P' }),
      serialize.execute({}),
      serialize.sync(),
    );
    const messages = await session.syncs(4);
    expect(shape(messages)).toEqual([
      'parseComplete',
      'bindComplete',
      'rowDescription',
      'dataRow',
      'complete SELECT 1',
      'ready I',
      'error 42501',
      'ready I',
      'error 26000',
      'ready I',
      'parseComplete',
      'bindComplete',
      'rowDescription',
      'dataRow',
      'complete SELECT 1',
      'ready I',
    ]);
    const refusal = messages.find((message) => message.name === 'error')!;
    expect(refusal['message']).toBe(
      'Gatehouse policy denied this statement: DELETE or UPDATE without WHERE is denied',
    );
    session.socket.end(serialize.end());
    await session.closed();
  });

  it('edge-postgres - a refusal inside a transaction fails the transaction as PostgreSQL would', async () => {
    const session = await RawSession.open(edgePort(), pipelines);
    session.write(
      serialize.query('BEGIN'),
      serialize.query('DELETE FROM customers'),
      serialize.query('SELECT 1'),
      serialize.query('ROLLBACK'),
      serialize.query('SELECT 5'),
    );
    expect(shape(await session.syncs(5))).toEqual([
      'complete BEGIN',
      'ready T',
      'error 42501',
      'ready E',
      'error 25P02',
      'ready E',
      'complete ROLLBACK',
      'ready I',
      'rowDescription',
      'dataRow',
      'complete SELECT 1',
      'ready I',
    ]);
    session.socket.end(serialize.end());
  });

  it('edge-postgres - evidence names the session, every statement and every result, never parameter values', async () => {
    const probe = `probe_${Date.now().toString(36)}`;
    const secret = `secret-value-${Date.now()}`;
    const session = await RawSession.open(edgePort(), pipelines, {
      parameters: { application_name: 'evidence-probe' },
    });
    // A named statement executed in three batches, an error, and a refusal.
    session.write(
      serialize.parse({ name: 'probe', text: `SELECT $1::text AS ${probe}`, types: [25] }),
      serialize.bind({ statement: 'probe', values: [secret] }),
      serialize.describe({ type: 'P' }),
      serialize.execute({}),
      serialize.sync(),
      serialize.bind({ statement: 'probe', values: [secret] }),
      serialize.describe({ type: 'P' }),
      serialize.execute({}),
      serialize.sync(),
      serialize.bind({ statement: 'probe', values: [secret] }),
      serialize.describe({ type: 'P' }),
      serialize.execute({}),
      serialize.sync(),
      serialize.query(`SELECT 1 / 0 AS ${probe}_error`),
      serialize.query('DELETE FROM customers'),
    );
    expect(
      shape(await session.syncs(5)).filter((name) => name.startsWith('error') || name.startsWith('ready')),
    ).toEqual(['ready I', 'ready I', 'ready I', 'error 22012', 'ready I', 'error 42501', 'ready I']);
    session.socket.end(serialize.end());
    await session.closed();
    const statement = await evidence.find(
      (record) => record.kind === 'statement' && String(details(record)['normalized']).includes(probe),
      10_000,
    );
    const records = await evidence.session(
      statement.session.id,
      (own) => own.some((r) => r.kind === 'session_closed'),
      10_000,
    );
    const kinds = records.map((record) => record.kind);
    expect(kinds[0]).toBe('session_opened');
    expect(kinds.at(-1)).toBe('session_closed');
    expect(records.map((record) => record.session.seq)).toEqual(records.map((_, index) => index));
    const opened = records[0]!;
    expect(opened.actor).toMatchObject({ sub: 'ci-bot', groups: ['pipelines'] });
    expect(opened.target).toEqual({ name: 'demo', kind: 'postgres' });
    expect(details(opened)).toMatchObject({
      applicationName: 'evidence-probe',
      tlsVersion: null,
      protocol: '3.0',
    });
    expect(String(details(opened)['clientAddress'])).toMatch(/127\.0\.0\.1$/);
    expect(details(statement)).toMatchObject({
      protocol: 'extended',
      parameterCount: 1,
      parameterTypes: [25],
    });
    expect(typeof details(statement)['fingerprint']).toBe('string');
    // Every ReadyForQuery has a result entry; every execution of the prepared statement names it.
    // Results are written in batches (one record may list several), before the next decision.
    const results = records
      .filter((record) => record.kind === 'result')
      .flatMap((record) => details(record)['results'] as Record<string, unknown>[]);
    const ofProbe = results.filter((result) => (result['statements'] as string[]).includes(statement.id));
    expect(ofProbe.map((result) => ({ rows: result['rows'], sqlstate: result['sqlstate'] }))).toEqual([
      { rows: 1, sqlstate: '00000' },
      { rows: 1, sqlstate: '00000' },
      { rows: 1, sqlstate: '00000' },
    ]);
    expect(
      ofProbe.every((result) => (result['bytes'] as number) > 0 && typeof result['durationMs'] === 'number'),
    ).toBe(true);
    expect(results.map((result) => result['sqlstate'])).toEqual(['00000', '00000', '00000', '22012']);
    const kindsInOrder = records.map((record) => record.kind).filter((kind) => kind !== 'result');
    expect(kindsInOrder).toEqual([
      'session_opened',
      'decision',
      'statement',
      'decision',
      'statement',
      'decision',
      'session_closed',
    ]);
    const decisions = records
      .filter((record) => record.kind === 'decision')
      .map((record) => details(record)['effect']);
    expect(decisions).toEqual(['allow', 'allow', 'deny']);
    expect(JSON.stringify(records)).not.toContain(secret);
  });

  it('edge-postgres - named statements and portals, Describe, Close and PortalSuspended pass through', async () => {
    const session = await RawSession.open(edgePort(), pipelines);
    session.write(
      serialize.parse({
        name: 'ids',
        text: 'SELECT id FROM customers WHERE id <= $1 ORDER BY id',
        types: [23],
      }),
      serialize.describe({ type: 'S', name: 'ids' }),
      serialize.bind({ statement: 'ids', portal: 'p1', values: ['5'] }),
      serialize.describe({ type: 'P', name: 'p1' }),
      serialize.execute({ portal: 'p1', rows: 2 }),
      serialize.flush(),
    );
    expect(shape(await session.until(['portalSuspended']))).toEqual([
      'parseComplete',
      'parameterDescription',
      'rowDescription',
      'bindComplete',
      'rowDescription',
      'dataRow',
      'dataRow',
      'portalSuspended',
    ]);
    session.write(serialize.execute({ portal: 'p1', rows: 2 }), serialize.flush());
    expect(shape(await session.until(['portalSuspended']))).toEqual([
      'dataRow',
      'dataRow',
      'portalSuspended',
    ]);
    session.write(
      serialize.execute({ portal: 'p1', rows: 0 }),
      serialize.close({ type: 'P', name: 'p1' }),
      serialize.close({ type: 'S', name: 'ids' }),
      serialize.sync(),
    );
    expect(shape(await session.syncs(1))).toEqual([
      'dataRow',
      'complete SELECT 1',
      'closeComplete',
      'closeComplete',
      'ready I',
    ]);
    session.socket.end(serialize.end());
  });

  it('edge-postgres - DEALLOCATE is decided like any statement and the upstream forgets the statement', async () => {
    const session = await RawSession.open(edgePort(), dbadmin);
    session.write(
      serialize.parse({ name: 'one', text: 'SELECT 1' }),
      serialize.sync(),
      serialize.query('DEALLOCATE one'),
      serialize.bind({ statement: 'one' }),
      serialize.execute({}),
      serialize.sync(),
      serialize.query('DISCARD ALL'),
    );
    expect(shape(await session.syncs(4))).toEqual([
      'parseComplete',
      'ready I',
      'complete DEALLOCATE',
      'ready I',
      'error 26000',
      'ready I',
      'complete DISCARD ALL',
      'ready I',
    ]);
    session.socket.end(serialize.end());
  });

  it('edge-postgres - COPY FROM STDIN, COPY TO STDOUT and CopyFail are relayed', async () => {
    const session = await RawSession.open(edgePort(), dbadmin);
    session.write(
      serialize.query('CREATE TABLE raw_copy (id int, name text)'),
      serialize.query('COPY raw_copy FROM STDIN'),
    );
    expect(shape(await session.until(['copyInResponse']))).toEqual([
      'complete CREATE TABLE',
      'ready I',
      'copyInResponse',
    ]);
    session.write(
      ...Array.from({ length: 500 }, (_, i) => serialize.copyData(Buffer.from(`${i}\tname ${i}\n`))),
      Buffer.from(serialize.copyDone()),
    );
    expect(shape(await session.syncs(1))).toEqual(['complete COPY 500', 'ready I']);
    session.write(serialize.query('COPY (SELECT id, name FROM raw_copy ORDER BY id LIMIT 3) TO STDOUT'));
    const out = await session.syncs(1);
    expect(shape(out)).toEqual([
      'copyOutResponse',
      'copyData',
      'copyData',
      'copyData',
      'copyDone',
      'complete COPY 3',
      'ready I',
    ]);
    expect(out.filter((m) => m.name === 'copyData').map((m) => (m['chunk'] as Buffer).toString())).toEqual([
      '0\tname 0\n',
      '1\tname 1\n',
      '2\tname 2\n',
    ]);
    session.write(serialize.query('COPY raw_copy FROM STDIN'));
    await session.until(['copyInResponse']);
    session.write(serialize.copyData(Buffer.from('9999\tnever\n')), serialize.copyFail('client gave up'));
    expect(shape(await session.syncs(1))).toEqual(['error 57014', 'ready I']);
    expect(await target('SELECT count(*)::int AS n FROM raw_copy')).toEqual([{ n: 500 }]);
    session.socket.end(serialize.end());
  });

  it('edge-postgres - a client that half-closes after its queries still receives every answer', async () => {
    const session = await RawSession.open(edgePort(), pipelines);
    session.socket.end(
      Buffer.concat([
        serialize.query('SELECT 1 AS a; SELECT pg_sleep(0.2), 2 AS b'),
        serialize.query('SELECT 3 AS c'),
      ]),
    );
    const messages = await session.closed();
    expect(shape(messages)).toEqual([
      'rowDescription',
      'dataRow',
      'complete SELECT 1',
      'rowDescription',
      'dataRow',
      'complete SELECT 1',
      'ready I',
      'rowDescription',
      'dataRow',
      'complete SELECT 1',
      'ready I',
    ]);
  });

  it('edge-postgres - a CancelRequest sent to another edge instance cancels the query (forwarded over NATS)', async () => {
    const session = await RawSession.open(edgePort(), pipelines);
    session.write(serialize.query('SELECT pg_sleep(30) AS cross_instance_probe'));
    await waitUntilRunning('cross_instance_probe');
    await sendCancel(secondPort, session.processId, session.secretKey);
    const messages = await session.syncs(1);
    expect(shape(messages)).toEqual(['rowDescription', 'error 57014', 'ready I']);
    session.socket.end(serialize.end());
  });

  it('edge-postgres - a CancelRequest with a wrong secret cancels nothing', async () => {
    const session = await RawSession.open(edgePort(), pipelines);
    session.write(serialize.query('SELECT pg_sleep(1.5) AS wrong_secret_probe'));
    await waitUntilRunning('wrong_secret_probe');
    await sendCancel(edgePort(), session.processId, (session.secretKey ^ 0x5a5a5a5a) | 0);
    await sendCancel(secondPort, session.processId, (session.secretKey ^ 0x1234) | 0);
    expect(shape(await session.syncs(1))).toEqual([
      'rowDescription',
      'dataRow',
      'complete SELECT 1',
      'ready I',
    ]);
    session.socket.end(serialize.end());
  });

  it('edge-postgres - unauthenticated CancelRequests are rate-limited per client address', async () => {
    const session = await RawSession.open(edgePort(), pipelines);
    session.write(serialize.query('SELECT pg_sleep(30) AS rate_limit_probe'));
    await waitUntilRunning('rate_limit_probe');
    // A key-guessing burst from one address uses up its allowance...
    for (let i = 0; i < 120; i++) await sendCancel(edgePort(), 1000 + i, i, '127.0.0.3');
    // ...so even the right key from that address is ignored,
    await sendCancel(edgePort(), session.processId, session.secretKey, '127.0.0.3');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await waitUntilRunning('rate_limit_probe');
    // while another address is served.
    await sendCancel(edgePort(), session.processId, session.secretKey, '127.0.0.4');
    expect(shape(await session.syncs(1))).toEqual(['rowDescription', 'error 57014', 'ready I']);
    session.socket.end(serialize.end());
  });

  it('edge-postgres - a message over the size cap gets FATAL 54000 and other sessions carry on', async () => {
    const bystander = await RawSession.open(secondPort, pipelines);
    const session = await RawSession.open(secondPort, pipelines);
    session.write(serialize.query(`SELECT '${'x'.repeat(100 * 1024)}'`));
    const messages = await session.closed();
    expect(shape(messages)).toEqual(['error 54000']);
    expect(messages[0]!['severity']).toBe('FATAL');
    expect(messages[0]!['message']).toMatch(/exceeds the 65536-byte limit/);
    bystander.write(serialize.query('SELECT 1'));
    expect(shape(await bystander.syncs(1))).toEqual([
      'rowDescription',
      'dataRow',
      'complete SELECT 1',
      'ready I',
    ]);
    bystander.socket.end(serialize.end());
  });

  it('edge-postgres - a token of several KB is accepted as the password', async () => {
    const groups = [
      'pipelines',
      ...Array.from({ length: 99 }, (_, i) => `team-${i}-with-a-long-descriptive-name-for-a-large-token`),
    ];
    const token = await stack.mintToken('many-groups', groups);
    expect(token.length).toBeGreaterThan(6 * 1024);
    const session = await RawSession.open(edgePort(), token);
    session.write(serialize.query('SELECT 1'));
    expect(shape(await session.syncs(1))).toEqual([
      'rowDescription',
      'dataRow',
      'complete SELECT 1',
      'ready I',
    ]);
    session.socket.end(serialize.end());
  });

  it('edge-postgres - protocol 3.2 and _pq_ options get NegotiateProtocolVersion, replication is refused', async () => {
    const negotiated = await RawSession.open(edgePort(), pipelines, {
      protocol: (3 << 16) | 9,
      parameters: { _pq_unknown_option: 'on' },
    }).catch((error: unknown) => error);
    // A 3.9 client is offered the newest minor version the edge speaks and carries on.
    expect(negotiated).toBeInstanceOf(RawSession);
    const session = negotiated as RawSession;
    // Like PostgreSQL, the full version number (3.2) as libpq compares it.
    expect(session.negotiatedVersion).toBe((3 << 16) | 2);
    session.write(serialize.query('SELECT 1'));
    expect(shape(await session.syncs(1))).toEqual([
      'rowDescription',
      'dataRow',
      'complete SELECT 1',
      'ready I',
    ]);
    session.socket.end(serialize.end());

    const replication = await RawSession.open(edgePort(), pipelines, {
      parameters: { replication: 'database' },
    }).catch((error: unknown) => error as Error);
    expect(String(replication)).toContain('replication connections are not supported');
  });

  it('edge-postgres - plaintext pipelined behind an SSLRequest is refused before any TLS (CVE-2021-23214)', async () => {
    const socket = connect({ host: '127.0.0.1', port: edgePort() });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
    await once(socket, 'connect');
    socket.write(Buffer.concat([serialize.requestSsl(), serialize.startup({ user: 'x', database: 'demo' })]));
    await once(socket, 'close');
    const answer = Buffer.concat(chunks);
    // No 'S': the edge answers with a FATAL ErrorResponse and closes.
    expect(String.fromCharCode(answer[0]!)).toBe('E');
    expect(answer.toString('latin1')).toContain('received unencrypted data after SSL request');
  });

  it('edge-postgres - repeated authentication failures lock out that client address only', async () => {
    for (let i = 0; i < 10; i++) {
      const failed = await RawSession.open(edgePort(), `not-a-token-${i}`, {
        localAddress: '127.0.0.5',
      }).catch((error: unknown) => error as Error);
      expect(String(failed)).toContain('password authentication failed');
    }
    // The valid token is refused from the locked-out address, with the same answer...
    const locked = await RawSession.open(edgePort(), pipelines, { localAddress: '127.0.0.5' }).catch(
      (error: unknown) => error as Error,
    );
    expect(String(locked)).toContain('password authentication failed');
    // ...and accepted from another.
    const other = await RawSession.open(edgePort(), pipelines, { localAddress: '127.0.0.6' });
    other.write(serialize.query('SELECT 1'));
    expect(shape(await other.syncs(1))).toEqual([
      'rowDescription',
      'dataRow',
      'complete SELECT 1',
      'ready I',
    ]);
    other.socket.end(serialize.end());
  });

  it('edge-postgres - a client that does not finish startup in time is disconnected', async () => {
    const socket = connect({ host: '127.0.0.1', port: secondPort });
    socket.on('error', () => undefined);
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    await once(socket, 'connect');
    socket.write(serialize.startup({ user: 'slow', database: 'demo' }));
    await once(socket, 'close');
    // The edge asked for the password (AuthenticationCleartextPassword), got none, and hung up.
    const bytes = Buffer.concat(received);
    expect(bytes.subarray(0, 9)).toEqual(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3]));
  });

  it('edge-postgres - an idle session is closed with 57P05, a session running a long query is not', async () => {
    const idle = await RawSession.open(secondPort, pipelines);
    const busy = await RawSession.open(secondPort, pipelines);
    busy.write(serialize.query('SELECT pg_sleep(3)'));
    const closing = await idle.closed(10_000);
    expect(shape(closing)).toEqual(['error 57P05']);
    expect(shape(await busy.syncs(1))).toEqual(['rowDescription', 'dataRow', 'complete SELECT 1', 'ready I']);
    expect(busy.isClosed).toBe(false);
    busy.socket.end(serialize.end());
  });
});
