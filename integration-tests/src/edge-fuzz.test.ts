// Integration: a fuzzer against the real edge-postgres, with authz and audit as separate processes
// on real NATS and PostgreSQL (policy: services/edge-postgres/bench/bench-policy.yaml). Feeds
// random and mutated frontend byte streams (before and after authentication, built with
// node-postgres's own pg-protocol serializer; some sessions' results go through masking) and proves that the edge never crashes, never hangs a
// connection, only ever answers well-formed backend messages, and keeps serving a healthy
// node-postgres client throughout. Bounded: a fixed seed, a few hundred cases, loopback only.
import { mkdtempSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { serialize } from 'pg-protocol';
import { Parser } from 'pg-protocol/dist/parser.js';
import type { BackendMessage } from 'pg-protocol/dist/messages.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type RunningStack, type ServiceExitEvent } from '@gatehouse/local-stack';
import { uniquePrefix } from '@gatehouse/testing';

const policyFile = join(
  import.meta.dirname,
  '..',
  '..',
  'services',
  'edge-postgres',
  'bench',
  'bench-policy.yaml',
);
const SEED = 0x5eed_2024;
const CASES_BEFORE_AUTH = 160;
const CASES_AFTER_AUTH = 160;
const PARALLEL = 8;
/** A connection must be closed by the edge this long after the fuzzer closed its side. */
const CLOSE_DEADLINE_MS = 12_000;
// Fuzz connections come from their own loopback address, so the failed-authentication limiter
// (per client address) they trip never locks out the healthy client on 127.0.0.1.
const FUZZ_ADDRESS = '127.0.0.2';

/** xorshift32: deterministic, so a failure names a reproducible case. */
class Random {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0 || 1;
  }
  next(): number {
    let x = this.#state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#state = x >>> 0;
    return this.#state / 0x1_0000_0000;
  }
  int(max: number): number {
    return Math.floor(this.next() * max);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  bytes(length: number): Buffer {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i++) out[i] = this.int(256);
    return out;
  }
}

const statements = [
  'SELECT 1',
  'SELECT id, city FROM customers WHERE id < 5',
  'SELECT $1::int + 1',
  'SELECT repeat($1, 3)',
  "SELECT 'x' || $1",
  '',
  'SELECT pg_sleep(0.01)',
  'COPY (SELECT 1) TO STDOUT',
];

/** Well-formed frontend messages of the authenticated phase, as node-postgres writes them. */
function validMessages(random: Random): Buffer[] {
  const messages: Buffer[] = [];
  const count = 1 + random.int(8);
  for (let i = 0; i < count; i++) {
    const text = random.pick(statements);
    switch (random.int(9)) {
      case 0:
        messages.push(serialize.query(text));
        break;
      case 1:
        messages.push(
          serialize.parse({
            name: random.pick(['', 's1', 's2']),
            text,
            types: random.pick([[], [23], [25, 23]]),
          }),
        );
        break;
      case 2:
        messages.push(
          serialize.bind({
            statement: random.pick(['', 's1']),
            values: random.pick([[], ['1'], ['a', null]]),
          }),
        );
        break;
      case 3:
        messages.push(
          serialize.describe({ type: random.pick(['S', 'P'] as const), name: random.pick(['', 's1']) }),
        );
        break;
      case 4:
        messages.push(serialize.execute({ rows: random.int(3) }));
        break;
      case 5:
        messages.push(Buffer.from(serialize.flush()));
        break;
      case 6:
        messages.push(
          serialize.close({ type: random.pick(['S', 'P'] as const), name: random.pick(['', 's1']) }),
        );
        break;
      case 7:
        messages.push(
          random.pick([
            serialize.copyData(random.bytes(random.int(40))),
            Buffer.from(serialize.copyDone()),
            serialize.copyFail('fuzz'),
          ]),
        );
        break;
      default:
        messages.push(Buffer.from(serialize.sync()));
    }
  }
  return messages;
}

/**
 * Mutations that keep the framing (so the edge's statement handling, not just its framer, sees
 * them): drop, repeat or swap messages, or change bytes inside one message's body.
 */
function mutateMessages(random: Random, messages: Buffer[]): Buffer {
  const out = messages.map((message) => Buffer.from(message));
  const rounds = 1 + random.int(3);
  for (let round = 0; round < rounds && out.length > 0; round++) {
    const at = random.int(out.length);
    switch (random.int(4)) {
      case 0:
        out.splice(at, 1);
        break;
      case 1:
        out.splice(at, 0, Buffer.from(out[at]!));
        break;
      case 2: {
        const other = random.int(out.length);
        [out[at], out[other]] = [out[other]!, out[at]!];
        break;
      }
      default: {
        const message = out[at]!;
        if (message.length > 5) message[5 + random.int(message.length - 5)] = random.int(256);
      }
    }
  }
  return Buffer.concat(out);
}

/** Applies one to four mutations that break framing, lengths, types or content. */
function mutate(random: Random, input: Buffer): Buffer {
  let bytes: Buffer = Buffer.from(input);
  const rounds = 1 + random.int(4);
  for (let round = 0; round < rounds; round++) {
    switch (random.int(8)) {
      case 0: // flip bits
        for (let i = 0, n = 1 + random.int(8); i < n && bytes.length > 0; i++)
          bytes[random.int(bytes.length)]! ^= 1 << random.int(8);
        break;
      case 1: // truncate
        bytes = bytes.subarray(0, random.int(bytes.length + 1));
        break;
      case 2: // insert random bytes
        {
          const at = random.int(bytes.length + 1);
          bytes = Buffer.concat([
            bytes.subarray(0, at),
            random.bytes(1 + random.int(64)),
            bytes.subarray(at),
          ]);
        }
        break;
      case 3: // rewrite a length-like field
        if (bytes.length >= 5) {
          const at = 1 + random.int(bytes.length - 4);
          bytes.writeInt32BE(
            random.pick([0, 1, 3, 4, 5, -1, 0x7fffffff, 0x40000000, random.int(5000)]),
            Math.min(at, bytes.length - 4),
          );
        }
        break;
      case 4: // replace a type byte
        if (bytes.length > 0) bytes[random.int(bytes.length)] = random.int(256);
        break;
      case 5: // duplicate a slice
        {
          const start = random.int(bytes.length + 1);
          const end = start + random.int(bytes.length - start + 1);
          bytes = Buffer.concat([bytes, bytes.subarray(start, end)]);
        }
        break;
      case 6: // a NUL inside a string
        if (bytes.length > 6) bytes[5 + random.int(bytes.length - 5)] = 0;
        break;
      default: // pure noise
        bytes = random.bytes(1 + random.int(512));
    }
  }
  return bytes;
}

/** Startup-phase inputs: SSLRequest, GSSENCRequest, CancelRequest and StartupMessage variants. */
function startupInput(random: Random, token: string): Buffer {
  const gssenc = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x30]);
  const startup = serialize.startup({
    user: 'fuzz',
    database: random.pick(['demo', 'nope', '']),
    application_name: 'fuzz',
  });
  const base = random.pick([
    Buffer.from(serialize.requestSsl()),
    gssenc,
    serialize.cancel(random.int(2 ** 31), random.int(2 ** 31)),
    startup,
    Buffer.concat([
      startup,
      serialize.password(random.pick([token.slice(0, 20), 'x'.repeat(random.int(9000)), ''])),
    ]),
    Buffer.concat([Buffer.from(serialize.requestSsl()), startup]),
  ]);
  return random.int(5) === 0 ? base : mutate(random, base);
}

interface CaseOutcome {
  closedAfterMs: number;
  received: Buffer;
}

/** Writes `input` in random pieces, closes the write side, and waits for the edge to close. */
function runCase(
  port: number,
  random: Random,
  prelude: Buffer | undefined,
  onReady: ((socket: Socket) => Promise<Buffer>) | undefined,
  input: Buffer,
): Promise<CaseOutcome> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress: FUZZ_ADDRESS });
    const chunks: Buffer[] = [];
    let closedAt = 0;
    let endedAt = 0;
    const deadline = setTimeout(() => {
      socket.destroy();
      reject(
        new Error(
          `the edge kept the connection open ${CLOSE_DEADLINE_MS} ms after the client closed its side`,
        ),
      );
    }, CLOSE_DEADLINE_MS + 20_000);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closedAt = performance.now();
      clearTimeout(deadline);
      resolve({ closedAfterMs: endedAt === 0 ? 0 : closedAt - endedAt, received: Buffer.concat(chunks) });
    });
    socket.on('connect', () => {
      void (async () => {
        let afterAuth: Buffer | undefined;
        if (onReady) {
          socket.write(prelude!);
          afterAuth = await onReady(socket);
        }
        socket.on('data', (chunk: Buffer) => chunks.push(chunk));
        if (afterAuth && afterAuth.length > 0) chunks.push(afterAuth);
        let offset = 0;
        while (offset < input.length && !socket.destroyed) {
          const size = 1 + random.int(Math.max(1, Math.min(input.length - offset, 700)));
          socket.write(input.subarray(offset, offset + size));
          offset += size;
          if (random.int(4) === 0) await new Promise((done) => setTimeout(done, 1));
        }
        endedAt = performance.now();
        socket.end();
      })().catch((error: unknown) => {
        socket.destroy();
        reject(error as Error);
      });
    });
  });
}

/** Reads until the startup exchange ends with ReadyForQuery; returns bytes after it. */
function authenticate(token: string) {
  return (socket: Socket): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      let buffered = Buffer.alloc(0);
      const timer = setTimeout(() => reject(new Error('no ReadyForQuery within 10 s')), 10_000);
      const onData = (chunk: Buffer): void => {
        buffered = Buffer.concat([buffered, chunk]);
        for (;;) {
          if (buffered.length < 5) return;
          const length = buffered.readInt32BE(1);
          if (buffered.length < length + 1) return;
          const code = String.fromCharCode(buffered[0]!);
          const body = buffered.subarray(5, length + 1);
          buffered = buffered.subarray(length + 1);
          if (code === 'R' && body.readInt32BE(0) === 3) socket.write(serialize.password(token));
          if (code === 'E') {
            clearTimeout(timer);
            socket.off('data', onData);
            reject(new Error(`authentication failed: ${body.toString('latin1')}`));
            return;
          }
          if (code === 'Z') {
            clearTimeout(timer);
            socket.off('data', onData);
            resolve(buffered);
            return;
          }
        }
      };
      socket.on('data', onData);
    });
}

/** Every byte the edge sends after authentication must be a well-formed backend message. */
function parseBackend(bytes: Buffer): BackendMessage[] {
  const messages: BackendMessage[] = [];
  new Parser().parse(bytes, (message) => messages.push(message));
  return messages;
}

describe('edge-postgres under fuzzed frontend input', () => {
  let stack: RunningStack;
  let benchmarkToken: string;
  let nobodyToken: string;
  let readerToken: string;
  let maskedToken: string;
  const exits: ServiceExitEvent[] = [];

  beforeAll(async () => {
    stack = await startStack({
      prefix: uniquePrefix(),
      stateDir: mkdtempSync(join(tmpdir(), 'gatehouse-edge-fuzz-')),
      natsUrl: process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222',
      databaseUrl: process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
      ports: 'auto',
      services: ['authz', 'masking', 'audit', 'edge-postgres'],
      policyFile,
      dropOnStop: true,
      onServiceExit: (event) => exits.push(event),
    });
    benchmarkToken = await stack.mintToken('fuzz-bench', ['benchmark']);
    // A group no rule names: every statement is refused (default-deny), exercising refusals.
    nobodyToken = await stack.mintToken('fuzz-nobody', ['nobody']);
    readerToken = await stack.mintToken('healthy', ['pipelines']);
    // Reads whose results go through the masking service.
    maskedToken = await stack.mintToken('fuzz-masked', ['masked-readers']);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('edge-postgres - random and mutated frontend bytes never crash or hang the edge, and a healthy client keeps getting answers', async () => {
    const { port } = stack.endpoints.edgePostgres;
    const edgePid = stack.pids()['edge-postgres'];
    const healthy = new pg.Client({
      host: '127.0.0.1',
      port,
      database: 'demo',
      user: 'healthy',
      password: readerToken,
      ssl: false,
    });
    await healthy.connect();
    let healthyAnswers = 0;
    let healthyFailure: unknown;
    let fuzzing = true;
    const healthyLoop = (async () => {
      while (fuzzing) {
        const value = healthyAnswers + 1;
        const result = await healthy.query('SELECT $1::int AS v', [value]).catch((error: unknown) => {
          healthyFailure = error;
          return undefined;
        });
        if (result?.rows[0].v !== value) {
          healthyFailure ??= new Error(`healthy client got ${JSON.stringify(result?.rows)}`);
          return;
        }
        healthyAnswers += 1;
        await new Promise((done) => setTimeout(done, 20));
      }
    })();

    const random = new Random(SEED);
    const inputs: Buffer[] = [];
    const cases: (() => Promise<{ name: string; outcome: CaseOutcome; authenticated: boolean }>)[] = [];
    for (let i = 0; i < CASES_BEFORE_AUTH; i++) {
      const input = startupInput(random, benchmarkToken);
      inputs.push(input);
      const caseRandom = new Random(random.int(2 ** 31));
      cases.push(async () => ({
        name: `before-auth #${i}`,
        authenticated: false,
        outcome: await runCase(port, caseRandom, undefined, undefined, input),
      }));
    }
    for (let i = 0; i < CASES_AFTER_AUTH; i++) {
      const token = [benchmarkToken, nobodyToken, maskedToken][i % 3]!;
      const messages = validMessages(random);
      const raw = Buffer.concat(messages);
      const style = random.int(6);
      const input = style === 0 ? raw : style < 3 ? mutateMessages(random, messages) : mutate(random, raw);
      // A trailing Sync and a Query show whether the session still answers after the noise.
      const tail =
        random.int(2) === 0
          ? Buffer.concat([Buffer.from(serialize.sync()), serialize.query('SELECT 42')])
          : Buffer.alloc(0);
      inputs.push(input);
      const caseRandom = new Random(random.int(2 ** 31));
      const startup = serialize.startup({ user: 'fuzz', database: 'demo' });
      cases.push(async () => ({
        name: `after-auth #${i} (${['benchmark', 'nobody', 'masked-readers'][i % 3]!})`,
        authenticated: true,
        outcome: await runCase(port, caseRandom, startup, authenticate(token), Buffer.concat([input, tail])),
      }));
    }

    const failures: string[] = [];
    const seen = new Map<string, number>();
    let slowest = 0;
    let next = 0;
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        while (next < cases.length) {
          const index = next++;
          try {
            const { name, outcome, authenticated } = await cases[index]!();
            slowest = Math.max(slowest, outcome.closedAfterMs);
            if (outcome.closedAfterMs > CLOSE_DEADLINE_MS)
              failures.push(`${name}: closed ${Math.round(outcome.closedAfterMs)} ms after the client`);
            if (authenticated) {
              try {
                for (const message of parseBackend(outcome.received)) {
                  const key =
                    message.name === 'error'
                      ? `error ${(message as unknown as { code: string }).code}`
                      : message.name;
                  seen.set(key, (seen.get(key) ?? 0) + 1);
                }
              } catch (error) {
                failures.push(`${name}: malformed backend bytes (${(error as Error).message})`);
              }
            }
          } catch (error) {
            failures.push(
              `case ${index}: ${(error as Error).message} (input ${inputs[index]!.subarray(0, 48).toString('hex')})`,
            );
          }
        }
      }),
    );
    fuzzing = false;
    await healthyLoop;
    await healthy.end();

    expect(failures).toEqual([]);
    // The inputs reached every layer: framing errors, refusals, upstream errors and real results.
    expect(seen.get('readyForQuery') ?? 0).toBeGreaterThan(50);
    expect(seen.get('error 42501') ?? 0).toBeGreaterThan(10);
    expect(seen.get('error 08P01') ?? 0).toBeGreaterThan(5);
    expect(seen.get('dataRow') ?? 0).toBeGreaterThan(5);
    expect(healthyFailure).toBeUndefined();
    expect(healthyAnswers).toBeGreaterThan(20);
    expect(exits).toEqual([]);
    expect(stack.pids()['edge-postgres']).toBe(edgePid);
    const ready = await fetch(`${stack.endpoints.edgePostgresHttp}/readyz`);
    expect(ready.status).toBe(200);
    // And the edge still serves new sessions.
    const after = new pg.Client({
      host: '127.0.0.1',
      port,
      database: 'demo',
      user: 'healthy',
      password: readerToken,
      ssl: false,
    });
    await after.connect();
    expect((await after.query('SELECT 7 AS seven')).rows).toEqual([{ seven: 7 }]);
    await after.end();
  });
});
