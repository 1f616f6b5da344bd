// Integration: result masking through the real edge-postgres, with authz, masking and audit as
// separate processes on real NATS and PostgreSQL (demo policy: `pipelines` read the demo target
// through the `default` masking profile). Real clients: node-postgres (text and binary results,
// errors, notices, notifications), psql (COPY TO STDOUT) and raw protocol bytes (extended-protocol
// sequences no driver sends on its own). The raw values are read straight from the demo database
// and must never appear in what the edge returns; masking stopped must fail the statement, never
// pass rows.
import { once } from 'node:events';
import { connect as connectTcp } from 'node:net';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageType, decodeMessage, subjectsFor } from '@gatehouse/contracts';
import type { RunningStack } from '@gatehouse/local-stack';
import {
  BackendMessageCode,
  decodeDiagnostic,
  encodeBind,
  encodeDescribe,
  encodeExecute,
  encodeParse,
  encodePasswordMessage,
  encodeStartupMessage,
  encodeSync,
  MessageFramer,
  MessageSource,
  TargetKind,
  type Frame,
} from '@gatehouse/pg-wire';
import { psql, startTestStack } from './stack-fixture.ts';

interface Customer {
  id: number;
  full_name: string;
  email: string;
  phone: string;
  card_number: string | null;
  ssn: string | null;
  iban: string | null;
  street_address: string;
  notes: string | null;
  date_of_birth: Date;
  created_at: Date;
}

/** Raw personal values of the demo customers: none may reach a client of the edge. */
const PII_COLUMNS = ['email', 'phone', 'card_number', 'ssn', 'iban', 'street_address', 'full_name'] as const;

describe('masking through edge-postgres', () => {
  let stack: RunningStack;
  let pipelines: string;
  let direct: pg.Client;
  let bus: NatsConnection;
  let customers: Customer[];
  const open: pg.Client[] = [];
  const results: Record<string, unknown>[] = [];

  beforeAll(async () => {
    stack = await startTestStack(['authz', 'masking', 'audit', 'edge-postgres']);
    pipelines = await stack.mintToken('ci-bot', ['pipelines']);
    direct = new pg.Client({ connectionString: stack.databases.demoUrl });
    await direct.connect();
    customers = (await direct.query<Customer>('SELECT * FROM customers ORDER BY id')).rows;
    bus = await connect({ servers: stack.natsUrl });
    // Result evidence as the edge publishes it (core subscribers see JetStream publishes too).
    bus.subscribe(subjectsFor(stack.prefix).evidence, {
      callback: (error, message) => {
        if (error) return;
        const { records } = decodeMessage(MessageType.EvidenceBatch, message.data).body;
        results.push(...records.filter((record) => record.kind === 'result'));
      },
    });
    await bus.flush();
  });

  afterAll(async () => {
    await Promise.allSettled(open.map((client) => client.end()));
    await direct?.end();
    await bus?.drain();
    await stack?.stop();
  });

  async function edgeClient(extra: Partial<pg.ClientConfig> = {}): Promise<pg.Client> {
    const { host, port } = stack.endpoints.edgePostgres;
    const client = new pg.Client({
      host,
      port,
      database: 'demo',
      user: 'ci-bot',
      password: pipelines,
      ssl: false,
      ...extra,
    });
    open.push(client);
    await client.connect();
    return client;
  }

  /** Row batches the masking service has masked so far (from its Prometheus metrics). */
  async function maskedBatches(): Promise<number> {
    const text = await (await fetch(`${stack.endpoints.maskingHttp}/metrics`)).text();
    return text
      .split('\n')
      .filter(
        (line) => line.startsWith('gatehouse_requests_total{') && line.includes('operation="mask_rows"'),
      )
      .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
  }

  /** Every raw PII value of the demo customers that occurs in `text`. */
  function leaked(text: string): string[] {
    const found: string[] = [];
    for (const customer of customers) {
      for (const column of PII_COLUMNS) {
        const value = customer[column];
        if (value !== null && value.length >= 6 && text.includes(value)) found.push(`${column}=${value}`);
      }
    }
    return found;
  }

  /**
   * The first result entry (a `result` record lists one per ReadyForQuery) matching `match`,
   * waiting for it to arrive.
   */
  async function resultRecord(
    match: (entry: Record<string, unknown>) => boolean,
  ): Promise<Record<string, unknown> | undefined> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const entry = results
        .flatMap((r) => (r['details'] as { results: Record<string, unknown>[] }).results)
        .find(match);
      if (entry !== undefined || Date.now() > deadline) return entry;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /**
   * Opens a raw protocol session through the edge as `pipelines`, sends `messages` and returns the
   * bytes and frames the edge answered with, up to `syncs` ReadyForQuery messages.
   */
  async function rawExchange(messages: Buffer[], syncs: number): Promise<{ bytes: Buffer; frames: Frame[] }> {
    const { host, port } = stack.endpoints.edgePostgres;
    const socket = connectTcp({ host, port });
    await once(socket, 'connect');
    const framer = new MessageFramer({ source: MessageSource.Backend });
    const received: Buffer[] = [];
    const frames: Frame[] = [];
    let readies = 0;
    let waiting: (() => void) | undefined;
    socket.on('data', (chunk: Buffer) => {
      received.push(chunk);
      framer.push(chunk);
      let frame: Frame | null;
      while ((frame = framer.next()) !== null) {
        frames.push(frame);
        if (frame.code === BackendMessageCode.ReadyForQuery) readies++;
      }
      waiting?.();
    });
    const until = async (done: () => boolean): Promise<void> => {
      const deadline = Date.now() + 15_000;
      while (!done()) {
        if (Date.now() > deadline) throw new Error('the edge did not answer in time');
        await new Promise<void>((resolve) => {
          waiting = resolve;
          setTimeout(resolve, 50);
        });
      }
    };
    try {
      socket.write(
        encodeStartupMessage({
          parameters: [
            ['user', 'ci-bot'],
            ['database', 'demo'],
          ],
        }),
      );
      await until(() => frames.some((frame) => frame.code === BackendMessageCode.Authentication));
      socket.write(encodePasswordMessage(pipelines));
      await until(() => readies === 1);
      const greeting = frames.length;
      const greetingBytes = Buffer.concat(received).length;
      socket.write(Buffer.concat(messages));
      await until(() => readies === 1 + syncs);
      return { bytes: Buffer.concat(received).subarray(greetingBytes), frames: frames.slice(greeting) };
    } finally {
      socket.destroy();
    }
  }

  it('masking - SELECT * FROM customers returns masked PII and valid numbers and dates', async () => {
    const edge = await edgeClient();
    const batches = await maskedBatches();
    const { rows } = await edge.query<Customer>('SELECT * FROM customers ORDER BY id');
    expect(await maskedBatches()).toBeGreaterThan(batches);
    expect(rows).toHaveLength(customers.length);
    expect(leaked(JSON.stringify(rows))).toEqual([]);
    rows.forEach((row, i) => {
      const raw = customers[i]!;
      expect(row.id).toBe(raw.id);
      expect(row.created_at).toEqual(raw.created_at);
      expect(row.email).toMatch(/^\*{4}@/u);
      expect(row.full_name).toBe('[REDACTED:name]');
      if (raw.ssn !== null) expect(row.ssn).toBe(`***-**-${raw.ssn.slice(-4)}`);
      if (raw.card_number !== null) expect(row.card_number?.slice(-4)).toBe(raw.card_number.slice(-4));
      // A masked birth date is still a date the driver parses (redacted to 1900-01-01).
      expect(row.date_of_birth).toBeInstanceOf(Date);
      expect(row.date_of_birth.getFullYear()).toBe(1900);
    });
  });

  it('masking - aliased and computed columns are masked by what they hold', async () => {
    const edge = await edgeClient();
    const { rows } = await edge.query(
      `SELECT email AS x, lower(email) AS l, concat(full_name, ' ', email) AS c, reverse(reverse(ssn)) AS s
         FROM customers ORDER BY id`,
    );
    expect(rows).toHaveLength(customers.length);
    expect(
      leaked(JSON.stringify(rows.map(({ x, l, c, s }) => ({ x, l, c: c.replace(/^.* /u, ''), s })))),
    ).toEqual([]);
    expect(rows[0].x).toMatch(/^\*{4}@example\.de$/u);
    expect(rows[0].c).toMatch(/ \*{4}@example\.de$/u);
    const withSsn = rows.find((row) => row.s !== null);
    expect(withSsn?.s).toMatch(/^\*{3}-\*{2}-\d{4}$/u);
  });

  it('masking - whole-row values (SELECT c, array_agg(c)) are masked field by field, names and addresses too', async () => {
    const edge = await edgeClient();
    const { rows } = await edge.query<{ c: string }>('SELECT c FROM customers c ORDER BY id');
    expect(rows).toHaveLength(customers.length);
    expect(leaked(JSON.stringify(rows))).toEqual([]);
    // The masked text is still a customers row: PostgreSQL parses it back, field by field.
    const { rows: parsed } = await direct.query<{ id: number; full_name: string; email: string }>(
      'SELECT (r::customers).id, (r::customers).full_name, (r::customers).email FROM unnest($1::text[]) AS r',
      [rows.map((row) => row.c)],
    );
    parsed.forEach((row, i) => {
      expect(row.id).toBe(customers[i]!.id);
      expect(row.full_name).toBe('[REDACTED:name]');
      expect(row.email).toMatch(/^\*{4}@/u);
    });
    const { rows: aggregated } = await edge.query<{ a: string }>(
      'SELECT array_agg(c ORDER BY id) AS a FROM customers c',
    );
    expect(leaked(aggregated[0]!.a)).toEqual([]);
    expect(aggregated[0]!.a).toContain('[REDACTED:name]');
  });

  it('masking - a binary-format result (node-postgres binary: true) decodes and is masked', async () => {
    const binary = (text: string, values: unknown[]) => ({ text, values, binary: true }) as pg.QueryConfig;
    const edge = await edgeClient();
    const result = await edge.query(
      binary('SELECT id, email, date_of_birth, notes FROM customers WHERE id <= $1 ORDER BY id', [40]),
    );
    expect(result.fields.map((field) => field.format)).toEqual(['binary', 'binary', 'binary', 'binary']);
    expect(result.rows).toHaveLength(40);
    expect(leaked(JSON.stringify(result.rows))).toEqual([]);
    // node-postgres has no binary date parser: compare with the target's own binary 1900-01-01.
    const redacted = (await direct.query(binary("SELECT '1900-01-01'::date AS d, $1::int AS i", [1]))).rows[0]
      .d;
    result.rows.forEach((row, i) => {
      expect(row.id).toBe(customers[i]!.id);
      expect(row.email).toMatch(/^\*{4}@/u);
      expect(row.date_of_birth).toBe(redacted);
    });
  });

  it('masking - SELECT id FROM customers passes through untouched (no row goes to masking)', async () => {
    const edge = await edgeClient();
    const before = await maskedBatches();
    for (const text of [
      'SELECT id FROM customers ORDER BY id',
      'SELECT id, created_at FROM customers ORDER BY id',
    ]) {
      expect((await edge.query(text)).rows).toEqual((await direct.query(text)).rows);
    }
    expect(await maskedBatches()).toBe(before);
  });

  it('masking - COPY TO STDOUT in text and CSV is masked row by row', async () => {
    const text = await psql(stack, pipelines, ['-c', 'COPY customers (id, email, ssn, notes) TO STDOUT']);
    expect(text.code).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(customers.length);
    expect(leaked(text.stdout)).toEqual([]);
    expect(lines[0]).toMatch(
      /^1\t\*{4}@example\.de\t\\N\tForwarded invoice to \*{4}@example\.com, cc accounting\.$/u,
    );
    const csv = await psql(stack, pipelines, [
      '-c',
      'COPY customers (id, full_name, phone) TO STDOUT WITH (FORMAT csv, HEADER)',
    ]);
    expect(csv.code).toBe(0);
    const [header, first] = csv.stdout.split('\n');
    expect(header).toBe('id,full_name,phone');
    expect(first).toMatch(/^1,\[REDACTED:name\],\S*5236$/u);
    expect(leaked(csv.stdout)).toEqual([]);
  });

  it('masking - result evidence carries masked counts per entity and column, never values', async () => {
    const edge = await edgeClient();
    await edge.query('SELECT id, email, ssn FROM customers WHERE id <= 10 ORDER BY id');
    const withSsn = customers.filter((customer) => customer.id <= 10 && customer.ssn !== null).length;
    const details = await resultRecord((entry) => entry['rows'] === 10);
    expect(details?.masked).toEqual({
      profile: 'default',
      total: 10 + withSsn,
      byEntity: { email: 10, ssn: withSsn },
      byColumn: [
        { index: 1, column: 'email', byEntity: { email: 10 } },
        { index: 2, column: 'ssn', byEntity: { ssn: withSsn } },
      ],
    });
    expect(leaked(JSON.stringify(results))).toEqual([]);
  });

  it('masking - an error quoting a value (SELECT email::int) reaches the client masked, with its SQLSTATE', async () => {
    const edge = await edgeClient();
    const error = await edge.query('SELECT email::int FROM customers WHERE id = 1').then(
      () => undefined,
      (failure: unknown) => failure as { code?: string; message?: string },
    );
    expect(error?.code).toBe('22P02');
    expect(error?.message).toBe('invalid input syntax for type integer: "****@example.de"');
    expect(leaked(JSON.stringify(error))).toEqual([]);
    // The session goes on.
    expect((await edge.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('masking - RAISE NOTICE in a DO block (allowed for pipelines) carries no raw value', async () => {
    const edge = await edgeClient();
    const notices: string[] = [];
    edge.on('notice', (notice) => notices.push(notice.message ?? ''));
    await edge.query(
      `DO $$DECLARE r record; BEGIN
         FOR r IN SELECT email, phone FROM customers WHERE id <= 3 ORDER BY id LOOP
           RAISE NOTICE 'customer % phone %', r.email, r.phone;
         END LOOP;
       END$$`,
    );
    expect(notices).toHaveLength(3);
    expect(leaked(notices.join('\n'))).toEqual([]);
    expect(notices[0]).toMatch(/^customer \*{4}@example\.de phone /u);
  });

  it('masking - a notification payload from another session reaches a listener through the edge masked', async () => {
    const edge = await edgeClient();
    await edge.query('LISTEN gatehouse_masking_test');
    const received = new Promise<string>((resolve) =>
      edge.on('notification', (notification) => resolve(notification.payload ?? '')),
    );
    const raw = customers[0]!.email;
    await direct.query('SELECT pg_notify($1, $2)', ['gatehouse_masking_test', `order for ${raw}`]);
    const payload = await received;
    expect(payload).toBe('order for ****@example.de');
    expect(leaked(payload)).toEqual([]);
  });

  it('masking - a Describe of one statement does not let the rows of the next Execute through unmasked (raw protocol)', async () => {
    const parse = (statement: string, query: string) => encodeParse({ statement, query, parameterTypes: [] });
    const bind = (statement: string) =>
      encodeBind({ portal: '', statement, parameterFormats: [], parameters: [], resultFormats: [] });
    // Parse s1; Describe S s1; Parse s2; Bind; Execute; Sync: s2 was never described.
    const undescribed = await rawExchange(
      [
        parse('s1', 'SELECT 1 AS x'),
        encodeDescribe({ kind: TargetKind.Statement, name: 's1' }),
        parse('s2', 'SELECT email FROM customers WHERE id <= 3 ORDER BY id'),
        bind('s2'),
        encodeExecute({ portal: '', maxRows: 0 }),
        encodeSync(),
      ],
      1,
    );
    expect(leaked(undescribed.bytes.toString('latin1'))).toEqual([]);
    const error = undescribed.frames.find((frame) => frame.code === BackendMessageCode.ErrorResponse);
    expect(error && decodeDiagnostic(error.payload()).code).toBe('0A000');
    // Described, the same statement's rows come back masked (statement shape + Bind formats).
    const described = await rawExchange(
      [
        parse('s1', 'SELECT 1 AS x'),
        encodeDescribe({ kind: TargetKind.Statement, name: 's1' }),
        parse('s2', 'SELECT email FROM customers WHERE id <= 3 ORDER BY id'),
        encodeDescribe({ kind: TargetKind.Statement, name: 's2' }),
        encodeSync(),
        bind('s2'),
        encodeExecute({ portal: '', maxRows: 0 }),
        encodeSync(),
      ],
      2,
    );
    const rows = described.frames.filter((frame) => frame.code === BackendMessageCode.DataRow);
    expect(rows).toHaveLength(3);
    expect(leaked(described.bytes.toString('latin1'))).toEqual([]);
    expect(described.bytes.toString('latin1')).toContain('****@example.de');
  });

  it('masking - with the masking service stopped a SELECT of customers fails clearly and returns no row', async () => {
    const edge = await edgeClient();
    const passing = 'SELECT id, created_at FROM customers WHERE id <= 3 ORDER BY id';
    await edge.query(passing); // its plan (nothing to mask) is now known to the edge
    await stack.stopService('masking');
    const error = await edge.query('SELECT id, email FROM customers ORDER BY id').then(
      () => undefined,
      (failure: unknown) => failure as { code?: string; message?: string },
    );
    expect(error?.code).toBe('58000');
    expect(error?.message).toBe(
      'Gatehouse could not mask this result (masking cannot answer: no instance is serving); refused (fail closed)',
    );
    // The rest of the request still ran upstream: the result evidence counts it.
    await edge
      .query('SELECT id, email FROM customers WHERE id <= 2; SELECT id FROM customers WHERE id <= 5')
      .then(
        () => expect.fail('a result that cannot be masked must fail'),
        (failure: { code?: string; detail?: string }) => {
          expect(failure.code).toBe('58000');
          expect(failure.detail).toMatch(/^No unmasked value was sent: .* may have run\.$/u);
        },
      );
    const refused = await resultRecord(
      (details) => details['sqlstate'] === '58000' && (details['commands'] as string[]).length === 2,
    );
    expect(refused).toMatchObject({ rows: 7, commands: ['SELECT', 'SELECT'] });
    // The session stays usable: a result whose plan is known to need no masking still flows...
    expect((await edge.query(passing)).rows).toEqual((await direct.query(passing)).rows);
    // ...and once masking is back, masked results flow again on the same connection.
    await stack.startService('masking');
    const { rows } = await edge.query('SELECT id, email FROM customers WHERE id = 1');
    expect(rows).toEqual([{ id: 1, email: '****@example.de' }]);
  });
});
