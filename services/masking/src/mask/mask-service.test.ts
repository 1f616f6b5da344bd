import { beforeAll, describe, expect, it } from 'vitest';
import { decodeCellBatch, encodeCellBatch, UNCHANGED_CELL } from '@gatehouse/contracts';
import { DependencyUnavailableError } from '@gatehouse/errors';
import { PgTypeOid } from '@gatehouse/pii';
import { InMemoryCatalog } from '../catalog/in-memory-catalog.fixture.ts';
import { CopyStatementParser } from '../copy/copy-statement.ts';
import { ProfileCatalog } from '../profiles/profile-catalog.ts';
import { MaskOperation, MaskService, type MaskAnswer, type MaskRequestBody } from './mask-service.ts';

const CUSTOMERS = 16_400;
const CUSTOMERS_ROW_TYPE = 16_402;
const CUSTOMERS_ARRAY_TYPE = 16_401;
const customers = {
  oid: CUSTOMERS,
  typeOid: CUSTOMERS_ROW_TYPE,
  arrayTypeOid: CUSTOMERS_ARRAY_TYPE,
  name: 'customers',
  columns: [
    { name: 'id', typeOid: PgTypeOid.Int4 },
    { name: 'full_name', typeOid: PgTypeOid.Text },
    { name: 'email', typeOid: PgTypeOid.Text },
    { name: 'ssn', typeOid: PgTypeOid.Text },
    { name: 'date_of_birth', typeOid: PgTypeOid.Date },
    { name: 'notes', typeOid: PgTypeOid.Text },
    { name: 'created_at', typeOid: PgTypeOid.Timestamptz },
  ],
};
const column = (name: string, typeOid: number, attnum = 0, format: 'text' | 'binary' = 'text') => ({
  name,
  typeOid,
  tableOid: attnum > 0 ? CUSTOMERS : 0,
  columnNumber: attnum,
  format,
});
// SELECT id, email AS contact, lower(email) AS l, created_at FROM customers
const aliased = [
  column('id', PgTypeOid.Int4, 1),
  column('contact', PgTypeOid.Text, 3),
  column('l', PgTypeOid.Text),
  column('created_at', PgTypeOid.Timestamptz, 7),
];

let service: MaskService;
let catalog: InMemoryCatalog;
let parser: CopyStatementParser;

beforeAll(async () => {
  parser = await CopyStatementParser.create();
  catalog = new InMemoryCatalog({ demo: [customers] });
  service = new MaskService(ProfileCatalog.load({ hashKey: 'unit-test-key-0123456789' }), catalog, parser);
});

const request = (body: Partial<MaskRequestBody>): MaskRequestBody => ({
  profile: 'default',
  target: 'demo',
  columns: aliased,
  ...body,
});

describe('MaskService plans', () => {
  it('masking - a plan request traces an aliased column to customers.email and scans a computed one', async () => {
    const reply = await service.mask(request({}));
    expect(reply).toEqual({
      counts: [],
      plan: {
        maskedColumns: [1, 2],
        columns: [
          {
            index: 1,
            name: 'contact',
            source: 'customers.email',
            action: 'whole',
            entity: 'email',
            reason: 'source column customers.email says email',
            replace: { form: 'email_domain', text: '[REDACTED:email]' },
          },
          { index: 2, name: 'l', action: 'scan', reason: 'free text' },
        ],
      },
    });
  });

  it('masking - nothing to mask gives an empty plan (rows pass untouched)', async () => {
    const reply = await service.mask(request({ columns: [aliased[0]!, aliased[3]!] }));
    expect(reply.plan).toEqual({ maskedColumns: [], columns: [] });
  });

  it('masking - a binary column that must be masked but has no rewriter makes the plan a refusal', async () => {
    const dob = { ...column('born', PgTypeOid.Timestamptz, 0, 'binary'), name: 'date_of_birth' };
    const reply = await service.mask(request({ columns: [dob] }));
    expect(reply.plan?.refusal).toMatch(
      /^column "date_of_birth": binary format of type 1184 cannot be masked/u,
    );
    const rows = await service.mask(request({ columns: [dob], rows: [['AAAA']] }));
    expect(rows.error?.code).toBe('unmaskable');
  });

  it('masking - an unknown profile or target is an error reply, never a pass', async () => {
    expect((await service.mask(request({ profile: 'nope' }))).error).toEqual({
      code: 'unknown_profile',
      message: 'masking profile "nope" does not exist',
    });
    expect((await service.mask(request({ target: 'elsewhere' }))).error?.code).toBe('unknown_target');
    // Without a traceable column the catalog is not needed.
    expect(
      (await service.mask(request({ target: 'elsewhere', columns: [aliased[2]!] }))).plan?.maskedColumns,
    ).toEqual([0]);
  });

  it('masking - a catalog that cannot be read is catalog_unavailable', async () => {
    const broken = new MaskService(
      ProfileCatalog.load({ hashKey: 'unit-test-key-0123456789' }),
      {
        tables: async () => {
          throw new DependencyUnavailableError('the catalog of target "demo" could not be read', 'catalog');
        },
        compositeTypes: async () => {
          throw new DependencyUnavailableError('the catalog of target "demo" could not be read', 'catalog');
        },
        relation: async () => undefined,
      },
      parser,
    );
    expect((await broken.mask(request({}))).error).toEqual({
      code: 'catalog_unavailable',
      message: 'the catalog of target "demo" could not be read',
    });
    // A whole-row column alone needs the catalog too: its fields cannot be named without it.
    const wholeRow = await broken.mask(
      request({ columns: [column('c', CUSTOMERS_ROW_TYPE)], rows: [['(1)']] }),
    );
    expect(wholeRow.error?.code).toBe('catalog_unavailable');
    expect(wholeRow.rows).toBeUndefined();
  });

  it('masking - a whole-row column of a table the catalog knows is planned by its fields', async () => {
    const enumOid = 16_900; // a user type that is no composite: the catalog does not know it as one
    const reply = await service.mask(
      request({
        columns: [
          column('id', PgTypeOid.Int4, 1),
          column('c', CUSTOMERS_ROW_TYPE),
          column('mood', enumOid),
          column('array_agg', CUSTOMERS_ARRAY_TYPE),
        ],
      }),
    );
    expect(reply.plan?.columns).toEqual([
      { index: 1, name: 'c', action: 'scan', reason: 'fields of customers by name' },
      { index: 2, name: 'mood', action: 'scan', reason: 'composite or unknown type, scanned by shape' },
      {
        index: 3,
        name: 'array_agg',
        action: 'scan',
        reason: 'fields of customers by name, per array element',
      },
    ]);
  });

  it('masking - operationOf names plan, rows, copy and lines requests', () => {
    expect(MaskService.operationOf(request({}))).toBe(MaskOperation.Plan);
    expect(MaskService.operationOf(request({ rows: [] }))).toBe(MaskOperation.Rows);
    expect(MaskService.operationOf(request({ rowCount: 0, cellBytes: 0 }))).toBe(MaskOperation.Rows);
    expect(MaskService.operationOf(request({ columns: [], lines: [] }))).toBe(MaskOperation.Lines);
    const copy = {
      statement: 'COPY customers TO STDOUT',
      index: 0,
      format: 'text' as const,
      columnCount: 7,
      offset: 0,
    };
    expect(MaskService.operationOf(request({ columns: [], copy }))).toBe(MaskOperation.Plan);
    expect(MaskService.operationOf(request({ columns: [], copy, lines: [] }))).toBe(MaskOperation.Copy);
  });
});

describe('MaskService rows', () => {
  it('masking - masks the cells of the columns sent and counts per entity and column', async () => {
    const reply = await service.mask(
      request({
        cellColumns: [1, 2],
        rows: [
          ['jane@example.com', 'jane@example.com'],
          [null, 'no contact'],
        ],
      }),
    );
    expect(reply.error).toBeUndefined();
    expect(reply.rows).toEqual([
      ['****@example.com', '****@example.com'],
      [null, 'no contact'],
    ]);
    expect(reply.counts).toEqual([
      { entity: 'email', column: 'contact', index: 1, count: 1 },
      { entity: 'email', column: 'l', index: 2, count: 1 },
    ]);
  });

  it('masking - a whole text column masked byte for byte gets a replace form in the plan, and batches may leave it out', async () => {
    const columns = [
      column('id', PgTypeOid.Int4, 1),
      column('full_name', PgTypeOid.Text, 2),
      aliased[1]!,
      aliased[2]!,
    ];
    const plan = await service.mask(request({ columns }));
    expect(plan.plan?.columns.map(({ name, replace }) => ({ name, replace }))).toEqual([
      { name: 'full_name', replace: { form: 'constant', text: '[REDACTED:name]' } },
      { name: 'contact', replace: { form: 'email_domain', text: '[REDACTED:email]' } },
      { name: 'l', replace: undefined },
    ]);
    // The edge masks full_name and contact itself: only the scanned column travels.
    const reply = await service.mask(request({ columns, cellColumns: [3], rows: [['jane@example.com']] }));
    expect(reply.error).toBeUndefined();
    expect(reply.rows).toEqual([['****@example.com']]);
    expect(reply.counts).toEqual([{ entity: 'email', column: 'l', index: 3, count: 1 }]);
    const strict = await service.mask({ ...request({ columns }), profile: 'strict' });
    expect(strict.plan?.columns.map(({ replace }) => replace)).toEqual([
      { form: 'constant', text: '[REDACTED:name]' },
      { form: 'constant', text: '[REDACTED:email]' },
      undefined,
    ]);
  });

  it('masking - refuses a batch that leaves out a column the plan masks, or a row of the wrong width', async () => {
    const missing = await service.mask(request({ cellColumns: [1], rows: [['jane@example.com']] }));
    expect(missing.error).toEqual({
      code: 'invalid_request',
      message: 'column 2 must be masked but its cells were not sent',
    });
    const short = await service.mask(request({ cellColumns: [1, 2], rows: [['jane@example.com']] }));
    expect(short.error).toEqual({ code: 'invalid_request', message: 'row 0 has 1 cells for 2 columns' });
    const outOfRange = await service.mask(request({ cellColumns: [9], rows: [] }));
    expect(outOfRange.error?.message).toBe('cellColumns names column 9 of 4');
  });

  it('masking - binary cells travel as base64 and come back as valid binary values', async () => {
    const columns = [
      column('ssn', PgTypeOid.Text, 4, 'binary'),
      column('date_of_birth', PgTypeOid.Date, 5, 'binary'),
    ];
    const days = Buffer.alloc(4);
    days.writeInt32BE(-5000); // 1986-04-24
    const ssn = Buffer.from('181-05-5848').toString('base64');
    const reply = await service.mask(request({ columns, rows: [[ssn, days.toString('base64')]] }));
    expect(reply.error).toBeUndefined();
    const [maskedSsn, maskedDob] = reply.rows![0]!;
    expect(Buffer.from(maskedSsn!, 'base64').toString()).toBe('***-**-5848');
    const redacted = Buffer.from(maskedDob!, 'base64');
    expect(redacted).toHaveLength(4);
    expect(redacted.readInt32BE()).toBe(-36524); // 1900-01-01
    expect(reply.counts.map((c) => [c.entity, c.index])).toEqual([
      ['ssn', 0],
      ['dob', 1],
    ]);
    const bad = await service.mask(request({ columns, rows: [['***', null]] }));
    expect(bad.error).toEqual({ code: 'invalid_request', message: 'row 0 cell 0 is not base64' });
  });
});

describe('MaskService whole-row composites', () => {
  it('masking - SELECT c FROM customers c: name and birth date inside are masked by field name', async () => {
    const columns = [column('id', PgTypeOid.Int4, 1), column('c', CUSTOMERS_ROW_TYPE)];
    const reply = await service.mask(
      request({
        columns,
        cellColumns: [1],
        rows: [
          [
            '(7,"Finn Meyer",finn@example.com,123-45-6789,1958-07-04,"call 415-555-0120","2024-01-02 03:04:05+00")',
          ],
        ],
      }),
    );
    expect(reply.error).toBeUndefined();
    expect(reply.rows).toEqual([
      [
        '(7,[REDACTED:name],****@example.com,***-**-6789,1900-01-01,"call ***-***-0120","2024-01-02 03:04:05+00")',
      ],
    ]);
    expect(reply.counts).toEqual([
      { entity: 'ssn', column: 'c', index: 1, count: 1 },
      { entity: 'email', column: 'c', index: 1, count: 1 },
      { entity: 'phone', column: 'c', index: 1, count: 1 },
      { entity: 'name', column: 'c', index: 1, count: 1 },
      { entity: 'dob', column: 'c', index: 1, count: 1 },
    ]);
  });
});

describe('MaskService cells (DataRow cell layout)', () => {
  /** A `cellBytes` request: the body and the bytes that follow its JSON. */
  const batch = (body: Partial<MaskRequestBody>, rows: Parameters<typeof encodeCellBatch>[0]) => {
    const cells = encodeCellBatch(rows);
    return service.maskCells(request({ ...body, cellBytes: cells.length }), cells);
  };
  const replyCells = (answer: MaskAnswer, rowCount: number, width: number) => {
    expect(answer.reply.cellBytes).toBe(answer.cells!.length);
    return decodeCellBatch(answer.cells!, rowCount, width, { replies: true });
  };

  it('masking - masks a cells batch; only changed cells travel back, the others are marked unchanged', async () => {
    const answer = await batch({ cellColumns: [1, 2], rowCount: 2 }, [
      ['jane@example.com', 'jane@example.com'],
      [null, 'no contact'],
    ]);
    const reply = answer.reply;
    expect(reply.error).toBeUndefined();
    expect(reply.rows).toBeUndefined();
    expect(replyCells(answer, 2, 2)).toEqual([
      [Buffer.from('****@example.com'), Buffer.from('****@example.com')],
      [UNCHANGED_CELL, UNCHANGED_CELL],
    ]);
    expect(reply.counts).toEqual([
      { entity: 'email', column: 'contact', index: 1, count: 1 },
      { entity: 'email', column: 'l', index: 2, count: 1 },
    ]);
  });

  it('masking - binary cells travel as raw bytes in a cells batch', async () => {
    const columns = [
      column('ssn', PgTypeOid.Text, 4, 'binary'),
      column('date_of_birth', PgTypeOid.Date, 5, 'binary'),
    ];
    const days = Buffer.alloc(4);
    days.writeInt32BE(-5000); // 1986-04-24
    const answer = await batch({ columns, rowCount: 1 }, [[Buffer.from('181-05-5848'), days]]);
    expect(answer.reply.error).toBeUndefined();
    const [[ssn, dob]] = replyCells(answer, 1, 2) as Buffer[][];
    expect(ssn!.toString()).toBe('***-**-5848');
    expect(dob!.readInt32BE()).toBe(-36524); // 1900-01-01
  });

  it('masking - refuses a cells batch whose layout does not match rowCount, or that comes with rows', async () => {
    const rows = [['jane@example.com', 'x']];
    const wrongCount = await batch({ cellColumns: [1, 2], rowCount: 2 }, rows);
    expect(wrongCount.reply.error).toEqual({
      code: 'invalid_request',
      message: 'invalid cell batch: row 1 cell 0 runs past the end',
    });
    expect(wrongCount.cells).toBeUndefined();
    const noCount = await batch({ cellColumns: [1, 2] }, rows);
    expect(noCount.reply.error?.message).toBe('cells were sent without rowCount');
    const both = await batch({ cellColumns: [1, 2], rowCount: 1, rows: [] }, rows);
    expect(both.reply.error?.message).toBe('rows and cells were both sent');
  });

  it('masking - refuses cell bytes that do not number cellBytes, or cellBytes without its bytes', async () => {
    const cells = encodeCellBatch([['jane@example.com', 'x']]);
    const body = request({ cellColumns: [1, 2], rowCount: 1 });
    const short = await service.maskCells({ ...body, cellBytes: cells.length + 1 }, cells);
    expect(short.reply.error).toEqual({
      code: 'invalid_request',
      message: `cellBytes is ${cells.length + 1} but ${cells.length} byte(s) followed`,
    });
    const unannounced = await service.maskCells(body, cells);
    expect(unannounced.reply.error?.message).toBe('cell bytes were sent without cellBytes');
    const missing = await service.mask({ ...body, cellBytes: cells.length });
    expect(missing.error?.message).toBe(`cellBytes is ${cells.length} but 0 byte(s) followed`);
  });
});

describe('MaskService lines and COPY', () => {
  it('masking - masks command output lines one for one with counts under `output`', async () => {
    const reply = await service.mask(
      request({ columns: [], lines: ['contact jane@example.com', 'nothing here', 'ssn 181-05-5848'] }),
    );
    expect(reply.lines).toEqual(['contact ****@example.com', 'nothing here', 'ssn ***-**-5848']);
    expect(reply.counts).toEqual([
      { entity: 'email', column: 'output', count: 1 },
      { entity: 'ssn', column: 'output', count: 1 },
    ]);
    expect((await service.mask(request({ columns: [], rows: [] }))).error?.code).toBe('invalid_request');
  });

  it('masking - plans and masks COPY text data with the relation columns from the catalog', async () => {
    const copy = {
      statement: 'COPY customers (id, ssn, notes) TO STDOUT',
      index: 0,
      format: 'text' as const,
      columnCount: 3,
      offset: 0,
    };
    const plan = await service.mask(request({ columns: [], copy }));
    expect(plan.plan?.maskedColumns).toEqual([1, 2]);
    expect(plan.plan?.columns[0]).toMatchObject({ name: 'ssn', source: 'customers.ssn', action: 'whole' });
    const reply = await service.mask(
      request({
        columns: [],
        copy,
        lines: ['7\t181-05-5848\tmail jane@example.com\\tthanks\n', '8\t\\N\t\\N\n'],
      }),
    );
    expect(reply.lines).toEqual(['7\t***-**-5848\tmail ****@example.com\\tthanks\n', '8\t\\N\t\\N\n']);
    expect(reply.counts).toEqual([
      { entity: 'ssn', column: 'ssn', index: 1, count: 1 },
      { entity: 'email', column: 'notes', index: 2, count: 1 },
    ]);
  });

  it('masking - a COPY plan gives no column a replace form: its data travels as whole lines', async () => {
    const copy = {
      statement: 'COPY customers (id, full_name) TO STDOUT',
      index: 0,
      format: 'text' as const,
      columnCount: 2,
      offset: 0,
    };
    const plan = await service.mask(request({ columns: [], copy }));
    expect(plan.plan?.columns).toEqual([expect.objectContaining({ name: 'full_name', action: 'whole' })]);
    expect(plan.plan?.columns[0]!.replace).toBeUndefined();
  });

  it('masking - keeps the CSV header of the first batch and masks the rows', async () => {
    const copy = {
      statement: 'COPY customers (id, email) TO STDOUT WITH (FORMAT csv, HEADER)',
      index: 0,
      format: 'text' as const,
      columnCount: 2,
      offset: 0,
    };
    const reply = await service.mask(
      request({ columns: [], copy, lines: ['id,email\n', '1,jane@example.com\n'] }),
    );
    expect(reply.lines).toEqual(['id,email\n', '1,****@example.com\n']);
    const later = await service.mask(
      request({ columns: [], copy: { ...copy, offset: 2 }, lines: ['2,bob@example.org\n'] }),
    );
    expect(later.lines).toEqual(['2,****@example.org\n']);
  });

  it('masking - refuses binary COPY that needs masking, and COPY it cannot read', async () => {
    const binary = {
      statement: 'COPY customers (id, email) TO STDOUT (FORMAT binary)',
      index: 0,
      format: 'binary' as const,
      columnCount: 2,
      offset: 0,
    };
    expect((await service.mask(request({ columns: [], copy: binary }))).plan?.refusal).toBe(
      'COPY in binary format cannot be masked; use FORMAT text or csv',
    );
    const idsOnly = { ...binary, statement: 'COPY customers (id) TO STDOUT (FORMAT binary)', columnCount: 1 };
    expect((await service.mask(request({ columns: [], copy: idsOnly }))).plan).toEqual({
      maskedColumns: [],
      columns: [],
    });
    const wrongCount = {
      ...binary,
      format: 'text' as const,
      statement: 'COPY customers TO STDOUT',
      columnCount: 3,
    };
    expect((await service.mask(request({ columns: [], copy: wrongCount }))).error).toEqual({
      code: 'unmaskable',
      message: 'COPY writes 3 columns but "customers" resolves to 7',
    });
    const unknown = { ...wrongCount, statement: 'COPY nowhere TO STDOUT' };
    expect((await service.mask(request({ columns: [], copy: unknown }))).error?.message).toBe(
      'COPY relation "nowhere" was not found',
    );
    const partial = { ...wrongCount, statement: 'COPY customers (id) TO STDOUT', columnCount: 1 };
    expect((await service.mask(request({ columns: [], copy: partial, lines: ['1'] }))).error).toEqual({
      code: 'unmaskable',
      message: 'a CopyData message does not end a row',
    });
  });

  it('masking - COPY (query) TO scans every field as text', async () => {
    const copy = {
      statement: 'COPY (SELECT email FROM customers) TO STDOUT',
      index: 0,
      format: 'text' as const,
      columnCount: 1,
      offset: 0,
    };
    const reply = await service.mask(request({ columns: [], copy, lines: ['jane@example.com\n'] }));
    expect(reply.lines).toEqual(['****@example.com\n']);
  });
});
