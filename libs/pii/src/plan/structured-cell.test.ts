import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  builtInProfiles,
  compileProfile,
  maskBinaryCell,
  maskRow,
  PgTypeOid,
  planResultSet,
  type ColumnInfo,
} from '../index.ts';

// Independent readers of PostgreSQL's array / composite text (array_in and record_in rules,
// https://www.postgresql.org/docs/current/arrays.html#ARRAYS-IO and
// https://www.postgresql.org/docs/current/rowtypes.html#ROWTYPES-IO-SYNTAX): masked output must
// read back with them, so a driver can parse it.
type ArrayValue = (string | null | ArrayValue)[];

function readArray(text: string): ArrayValue {
  let i = 0;
  const space = (): void => {
    while (i < text.length && ' \t\n\r\v\f'.includes(text[i]!)) i++;
  };
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at ${i} in ${text}`);
  };
  space();
  if (text[i] === '[') {
    const eq = text.indexOf('=', i);
    if (eq < 0 || !/^(\[-?\d+:-?\d+\])+$/.test(text.slice(i, eq).trim())) fail('bad dimensions');
    i = eq + 1;
    space();
  }
  const level = (): ArrayValue => {
    if (text[i++] !== '{') fail('{ expected');
    const out: ArrayValue = [];
    space();
    if (text[i] === '}') {
      i++;
      return out;
    }
    for (;;) {
      space();
      if (text[i] === '{') out.push(level());
      else if (text[i] === '"') {
        i++;
        let s = '';
        while (text[i] !== '"') {
          if (i >= text.length) fail('unterminated quote');
          if (text[i] === '\\') i++;
          s += text[i++];
        }
        i++;
        out.push(s);
      } else {
        let s = '';
        while (text[i] !== ',' && text[i] !== '}') {
          if (i >= text.length || text[i] === '"' || text[i] === '{') fail('bad unquoted element');
          if (text[i] === '\\') i++;
          s += text[i++];
        }
        s = s.trimEnd();
        out.push(s.toUpperCase() === 'NULL' ? null : s);
      }
      space();
      if (text[i] === '}') {
        i++;
        return out;
      }
      if (text[i++] !== ',') fail(', expected');
    }
  };
  const value = level();
  space();
  if (i !== text.length) fail('trailing text');
  return value;
}

function readRecord(text: string): (string | null)[] {
  let i = text.indexOf('(');
  if (i < 0 || text.slice(0, i).trim() !== '') throw new SyntaxError(`( expected in ${text}`);
  i++;
  const out: (string | null)[] = [];
  for (;;) {
    if (text[i] === ',' || text[i] === ')') out.push(null);
    else {
      let s = '';
      let quoted = false;
      while (quoted || (text[i] !== ',' && text[i] !== ')')) {
        if (i >= text.length) throw new SyntaxError(`unterminated record ${text}`);
        const c = text[i++]!;
        if (c === '\\') s += text[i++];
        else if (c === '"') {
          if (quoted && text[i] === '"') s += text[i++];
          else quoted = !quoted;
        } else s += c;
      }
      out.push(s);
    }
    if (text[i++] === ')') break;
  }
  if (text.slice(i).trim() !== '') throw new SyntaxError(`trailing text in ${text}`);
  return out;
}

const hex = (s: string): string => `\\x${Buffer.from(s, 'utf8').toString('hex')}`;
const unhex = (s: string): string => Buffer.from(s.slice(2), 'hex').toString('utf8');

const defaults = compileProfile(builtInProfiles.default);
const strict = compileProfile(builtInProfiles.strict);
const nullify = compileProfile({ name: 'n', entities: { email: 'nullify', ssn: 'redact', card: 'partial' } });
const fake = compileProfile({
  name: 'f',
  entities: { email: 'fake', name: 'fake', address: 'fake', phone: 'fake', ssn: 'hash' },
  hashKey: 'structured-test-key-0123',
});

/** A computed column (no source), as `SELECT expr AS name` gives it. */
const computed = (name: string, typeOid: number, format: 'text' | 'binary' = 'text'): ColumnInfo => ({
  name,
  typeOid,
  format,
});
const maskOne = (value: string | null, column: ColumnInfo, profile = defaults) => {
  const plan = planResultSet([column], profile);
  const { cells, counts } = maskRow([value], plan);
  return { cell: cells[0] as string | null, counts: counts.byEntity, plan };
};

const CUSTOMERS_ROW_TYPE = 16_500; // a table's row type: a user OID this library cannot know

describe('structured cells (text format)', () => {
  it('structured - a whole-row composite is masked field by field and still reads as a record', () => {
    const row = '(7,"Jane Doe",jane.doe@example.com,123-45-6789,"{""(415) 555-0123"",+442079460958}",,"")';
    const { cell, counts } = maskOne(row, computed('c', CUSTOMERS_ROW_TYPE));
    expect(cell).toBe('(7,"Jane Doe",****@example.com,***-**-6789,"{""(***) ***-0123"",+********0958}",,"")');
    expect(readRecord(cell!)).toEqual([
      '7',
      'Jane Doe',
      '****@example.com',
      '***-**-6789',
      '{"(***) ***-0123",+********0958}',
      null,
      '',
    ]);
    expect(readArray(readRecord(cell!)[4]!)).toEqual(['(***) ***-0123', '+********0958']);
    expect(counts).toEqual({ email: 1, ssn: 1, phone: 2 });
  });

  it('structured - an anonymous record (2249) and record[] (2287) are masked inside', () => {
    const record = maskOne('(jane.doe@example.com,123-45-6789)', computed('row', PgTypeOid.Record), strict);
    expect(record.cell).toBe('([REDACTED:email],[REDACTED:ssn])');
    expect(readRecord(record.cell!)).toEqual(['[REDACTED:email]', '[REDACTED:ssn]']);

    const records = maskOne(
      '{"(1,\\"say \\"\\"hi\\"\\" a@b.com\\")","(2,c@d.com)",NULL}',
      computed('array_agg', PgTypeOid.RecordArray),
      strict,
    );
    const outer = readArray(records.cell!);
    expect(outer).toEqual(['(1,"say ""hi"" [REDACTED:email]")', '(2,[REDACTED:email])', null]);
    expect(readRecord(outer[0] as string)).toEqual(['1', 'say "hi" [REDACTED:email]']);
    expect(records.counts).toEqual({ email: 2 });
  });

  it('structured - text[] elements are masked and re-quoted; NULL, "NULL", "" and escapes survive', () => {
    const text =
      '{a@b.com,NULL,"NULL","","x y c@d.com","say \\"hi\\" e@f.com","back\\\\slash g@h.com","{x} i@j.com",k@l.com}';
    const { cell, counts } = maskOne(text, computed('array_agg', PgTypeOid.TextArray), strict);
    expect(readArray(cell!)).toEqual([
      '[REDACTED:email]',
      null,
      'NULL',
      '',
      'x y [REDACTED:email]',
      'say "hi" [REDACTED:email]',
      'back\\slash [REDACTED:email]',
      '{x} [REDACTED:email]',
      '[REDACTED:email]',
    ]);
    expect(cell).toBe(
      '{[REDACTED:email],NULL,"NULL","","x y [REDACTED:email]","say \\"hi\\" [REDACTED:email]","back\\\\slash [REDACTED:email]","{x} [REDACTED:email]",[REDACTED:email]}',
    );
    expect(counts).toEqual({ email: 6 });
  });

  it('structured - multi-dimensional arrays, dimension decorations and varchar[] / char[] / json[]', () => {
    expect(maskOne('{{a@b.com,x},{y,123-45-6789}}', computed('m', PgTypeOid.TextArray)).cell).toBe(
      '{{****@b.com,x},{y,***-**-6789}}',
    );
    expect(maskOne('[0:1]={a@b.com,x}', computed('d', PgTypeOid.TextArray)).cell).toBe(
      '[0:1]={****@b.com,x}',
    );
    expect(maskOne('{"mail a@b.com"}', computed('v', 1015)).cell).toBe('{"mail ****@b.com"}');
    const json = maskOne('{"{\\"ssn\\": \\"219445566\\", \\"n\\": 1}",NULL}', computed('j', 199)).cell!;
    expect(JSON.parse(readArray(json)[0] as string)).toEqual({ ssn: '*****5566', n: 1 });
  });

  it('structured - computed number arrays keep numbers; other fixed-syntax arrays turn NULL on a finding', () => {
    expect(maskOne('{4111111111111111,12}', computed('cards', 1016)).cell).toBe('{0000000000001111,12}');
    expect(maskOne('{192.168.1.5/32,10.0.0.0/8}', computed('nets', 651)).cell).toBeNull();
    expect(maskOne('{08:00:2b:01:02:03}', computed('macs', 1040)).cell).toBe('{08:00:2b:01:02:03}');
  });

  it('structured - hinted arrays are masked whole, element by element, with quoting for fakes', () => {
    const names = maskOne(
      '{"Jane Doe","Mary Ann",NULL}',
      computed('full_name', PgTypeOid.TextArray),
      fake,
    ).cell!;
    const read = readArray(names);
    expect(read).toHaveLength(3);
    expect(read[2]).toBeNull();
    expect(read.slice(0, 2).every((n) => typeof n === 'string' && /^[A-Z][a-z]+ [A-Z][a-z]+$/.test(n))).toBe(
      true,
    );
    expect(names).toMatch(/^\{"[A-Za-z]+ [A-Za-z]+","[A-Za-z]+ [A-Za-z]+",NULL\}$/);
    expect(maskOne('{203.0.113.42,2001:db8::1}', computed('peers', 1041)).cell).toBe(
      '{203.0.113.0,2001:db8::}',
    );
    expect(maskOne('{1990-05-17}', { ...computed('dob', 1182) }).cell).toBe('{1900-01-01}');
  });

  it('structured - bytea hex is decoded, scanned and re-encoded; nullify gives NULL', () => {
    const column = computed('b', PgTypeOid.Bytea);
    const masked = maskOne(hex('mail jane.doe@example.com now'), column);
    expect(unhex(masked.cell!)).toBe('mail ****@example.com now');
    expect(masked.cell).toMatch(/^\\x[0-9a-f]+$/);
    expect(masked.counts).toEqual({ email: 1 });
    expect(maskOne(hex('jane.doe@example.com'), column, nullify).cell).toBeNull();
    const clean = hex('nothing here');
    expect(maskOne(clean, column).cell).toBe(clean);
  });

  it('structured - bytea in escape format and binary bytes around text are masked too', () => {
    const column = computed('b', PgTypeOid.Bytea);
    expect(unhex(maskOne('ssn 123-45-6789\\000', column).cell!)).toBe('ssn ***-**-6789\u0000');
    const blob = `\\xff00${Buffer.from(' a@b.com ').toString('hex')}fe`;
    expect(maskOne(blob, column).cell).toBe(`\\xff00${Buffer.from(' ****@b.com ').toString('hex')}fe`);
  });

  it('structured - enums, xml, unknown OIDs and JSON-shaped unknown values are scanned as text', () => {
    expect(maskOne('jane.doe@example.com', computed('mood', 16_501)).cell).toBe('****@example.com');
    expect(maskOne('<a>jane.doe@example.com</a>', computed('x', PgTypeOid.Xml)).cell).toBe(
      '<a>****@example.com</a>',
    );
    expect(maskOne('{"email": "a@b.com"}', computed('ext', 99_999)).cell).toBe('{"email": "****@b.com"}');
    expect(maskOne('(a@b.com)', computed('ext', 99_999)).cell).toBe('(****@b.com)');
    expect(maskOne('{a@b.com,"x y"}', computed('ext', 99_999)).cell).toBe('{****@b.com,"x y"}');
    expect(maskOne('(415) 555-0123 call', computed('ext', 99_999)).cell).toBe('(***) ***-0123 call');
    expect(maskOne('row(1,"a@b.com")', computed('ext', 99_999)).cell).toBe('row(1,"****@b.com")');
  });

  it('structured - a hex bytea field inside a composite is decoded and re-encoded in place', () => {
    const { cell } = maskOne(
      `(1,"${hex('a@b.com').replace(/\\/g, '\\\\')}")`,
      computed('row', PgTypeOid.Record),
    );
    const field = readRecord(cell!)[1]!;
    expect(unhex(field)).toBe('****@b.com');
  });

  it('structured - fixed-syntax types (tsvector, cidr) become NULL on a finding and pass clean', () => {
    expect(maskOne("'jane.doe@example.com':1", computed('tsv', 3614)).cell).toBeNull();
    expect(maskOne("'hello':1", computed('tsv', 3614)).cell).toBe("'hello':1");
    expect(maskOne('192.168.1.5/32', computed('net', PgTypeOid.Cidr)).counts).toEqual({ ipv4: 1 });
  });

  it('structured - nullify found anywhere inside makes the whole cell NULL, and every finding is counted', () => {
    const { cell, counts } = maskOne(
      '(123-45-6789,a@b.com,"{c@d.com}")',
      computed('r', PgTypeOid.Record),
      nullify,
    );
    expect(cell).toBeNull();
    expect(counts).toEqual({ ssn: 1, email: 2 });
    expect(maskOne('{a@b.com}', computed('a', PgTypeOid.TextArray), nullify).cell).toBeNull();
  });

  it('structured - clean cells come back as the same string', () => {
    for (const [value, oid] of [
      ['(1,"x y",,"{a,b}")', PgTypeOid.Record],
      ['{a,"b c",NULL}', PgTypeOid.TextArray],
      ['happy', 16_501],
    ] as const) {
      expect(maskOne(value, computed('c', oid)).cell).toBe(value);
    }
  });

  it('structured - a built-in array whose text does not parse is NULL when it holds PII', () => {
    expect(maskOne('not an array a@b.com', computed('a', PgTypeOid.TextArray)).cell).toBeNull();
  });

  it('structured - masked arrays of arbitrary strings still read back element for element', () => {
    const element = fc.option(
      fc.oneof(
        fc.string({ unit: fc.constantFrom('a', ' ', ',', '"', '\\', '{', '}', '(', ')', 'N') }),
        fc.constantFrom('a@b.com', 'x "a@b.com"', '123-45-6789', 'NULL', ''),
      ),
      { nil: null },
    );
    fc.assert(
      fc.property(fc.array(element, { maxLength: 5 }), (values) => {
        const quote = (v: string): string => `"${v.replace(/["\\]/g, '\\$&')}"`;
        const text = `{${values.map((v) => (v === null ? 'NULL' : quote(v))).join(',')}}`;
        const { cell } = maskOne(text, computed('a', PgTypeOid.TextArray), strict);
        const read = readArray(cell!);
        expect(read).toHaveLength(values.length);
        values.forEach((v, k) => {
          if (v === null) expect(read[k]).toBeNull();
          else
            expect(read[k]).toBe(
              v.replace('a@b.com', '[REDACTED:email]').replace('123-45-6789', '[REDACTED:ssn]'),
            );
        });
      }),
    );
  });
});

describe('structured cells (binary format)', () => {
  const binaryCases: [string, number][] = [
    ['whole-row composite', CUSTOMERS_ROW_TYPE],
    ['record', PgTypeOid.Record],
    ['record[]', PgTypeOid.RecordArray],
    ['text[]', PgTypeOid.TextArray],
    ['int8[] (computed)', 1016],
    ['bytea (computed)', PgTypeOid.Bytea],
    ['enum', 16_501],
    ['xml', PgTypeOid.Xml],
    ['cidr', PgTypeOid.Cidr],
    ['unknown OID', 99_999],
  ];

  it.each(binaryCases)('structured - binary %s is refused', (_, oid) => {
    const plan = planResultSet([computed('c', oid, 'binary')], defaults);
    expect(plan.refusal).toEqual({
      column: 0,
      name: 'c',
      reason: expect.stringContaining(`binary format of type ${oid}`),
    });
    expect(maskBinaryCell(new Uint8Array([1]), oid, plan.columns[0]!)).toEqual({
      ok: false,
      reason: expect.stringContaining('cannot be masked'),
    });
  });

  it('structured - binary composites and arrays pass when the matched entity is nullified', () => {
    const rule = compileProfile({
      name: 'r',
      entities: { email: 'partial' },
      customRules: [{ entity: 'contact', columns: ['contacts'], operator: 'nullify' }],
    });
    for (const oid of [CUSTOMERS_ROW_TYPE, PgTypeOid.Record, PgTypeOid.TextArray, PgTypeOid.Bytea]) {
      const plan = planResultSet([computed('contacts', oid, 'binary')], rule);
      expect(plan.refusal).toBeUndefined();
      expect(maskBinaryCell(new Uint8Array([1, 2]), oid, plan.columns[0]!)).toEqual({
        ok: true,
        value: null,
      });
    }
    const emails = compileProfile({ name: 'e', entities: { email: 'nullify' } });
    const plan = planResultSet([computed('email', PgTypeOid.TextArray, 'binary')], emails);
    expect(plan.columns[0]!.kind).toBe('whole');
    expect(plan.refusal).toBeUndefined();
  });
});

describe('composite values of a known row type (fields by name)', () => {
  // customers as the catalog describes it: the fields of its row type, in attribute order.
  const field = (name: string, typeOid: number): ColumnInfo => ({
    name,
    typeOid,
    tableName: 'customers',
    columnName: name,
    format: 'text',
  });
  const customerFields: readonly ColumnInfo[] = [
    field('id', PgTypeOid.Int4),
    field('full_name', PgTypeOid.Text),
    field('email', PgTypeOid.Text),
    field('phone', PgTypeOid.Text),
    field('card_number', PgTypeOid.Text),
    field('ssn', PgTypeOid.Text),
    field('iban', PgTypeOid.Text),
    field('street_address', PgTypeOid.Text),
    field('date_of_birth', PgTypeOid.Date),
    field('notes', PgTypeOid.Text),
    field('nickname', PgTypeOid.Text),
    field('last_name', PgTypeOid.Text),
    field('created_at', PgTypeOid.Timestamptz),
  ];
  const decoded = [
    '7',
    'Finn Meyer',
    'finn.meyer@example.com',
    '+1 415-555-0123',
    '4111111111111111',
    '123-45-6789',
    'DE89370400440532013000',
    '12 Elm Street, Springfield',
    '1958-07-04',
    'said "hi" \\ call 415-555-0120, ok',
    null,
    '',
    '2024-01-02 03:04:05+00',
  ];
  // record_out of that row: quotes around spaces and commas, "" and \\ inside quotes, NULL empty.
  const row =
    '(7,"Finn Meyer",finn.meyer@example.com,"+1 415-555-0123",4111111111111111,123-45-6789,' +
    'DE89370400440532013000,"12 Elm Street, Springfield",1958-07-04,' +
    '"said ""hi"" \\\\ call 415-555-0120, ok",,"","2024-01-02 03:04:05+00")';
  const composite: ColumnInfo = {
    name: 'c',
    typeOid: CUSTOMERS_ROW_TYPE,
    format: 'text',
    fields: customerFields,
  };
  const id: ColumnInfo = { name: 'id', typeOid: PgTypeOid.Int4, format: 'text' };

  it('composite - the test row reads back as the customers fields', () => {
    expect(readRecord(row)).toEqual(decoded);
  });

  it('composite - every PII field is masked as its column would be; the others stay byte for byte', () => {
    const plan = planResultSet([id, composite], defaults);
    const { cells, counts } = maskRow(['1', row], plan);
    const cell = cells[1] as string;
    expect(cell).toBe(
      '(7,[REDACTED:name],****@example.com,"+* ***-***-0123",************1111,***-**-6789,' +
        '******************3000,[REDACTED:address],1900-01-01,' +
        '"said ""hi"" \\\\ call ***-***-0120, ok",,"","2024-01-02 03:04:05+00")',
    );
    // The same values as columns of customers mask to exactly the fields of the masked record.
    const asColumns = maskRow(decoded, planResultSet(customerFields, defaults)).cells;
    expect(readRecord(cell)).toEqual(asColumns);
    expect(counts.byColumn).toEqual([
      {
        index: 1,
        column: 'c',
        byEntity: { name: 1, email: 1, phone: 2, card: 1, ssn: 1, iban: 1, address: 1, dob: 1 },
      },
    ]);
  });

  it('composite - the plan keeps one action per field and says the column is masked by field names', () => {
    const action = planResultSet([id, composite], defaults).columns[1]!;
    expect(action.kind).toBe('scan');
    expect(action.reason).toBe('fields of customers by name');
    expect(action.fields?.map((f) => [f.name, f.kind, f.entity ?? null, f.column])).toEqual([
      ['id', 'pass', null, 1],
      ['full_name', 'whole', 'name', 1],
      ['email', 'whole', 'email', 1],
      ['phone', 'whole', 'phone', 1],
      ['card_number', 'whole', 'card', 1],
      ['ssn', 'whole', 'ssn', 1],
      ['iban', 'whole', 'iban', 1],
      ['street_address', 'whole', 'address', 1],
      ['date_of_birth', 'whole', 'dob', 1],
      ['notes', 'scan', null, 1],
      ['nickname', 'scan', null, 1],
      ['last_name', 'whole', 'name', 1],
      ['created_at', 'pass', null, 1],
    ]);
    // Without fields (a row type the catalog does not know) the column is scanned by shape.
    expect(planResultSet([computed('c', CUSTOMERS_ROW_TYPE)], defaults).columns[0]!.fields).toBeUndefined();
  });

  it('composite - fakes with spaces, quotes and backslashes are quoted so the record still parses', () => {
    const odd = compileProfile({
      name: 'odd',
      entities: { name: 'fake', address: 'fake', email: 'redact' },
      hashKey: 'structured-test-key-0123',
    });
    const { cell } = maskOne(row, composite, odd);
    const fields = readRecord(cell!);
    expect(fields).toHaveLength(customerFields.length);
    expect(fields[1]).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/);
    expect(fields[1]).not.toBe('Finn Meyer');
    expect(fields[7]).not.toBe('12 Elm Street, Springfield');
    expect(fields[2]).toBe('[REDACTED:email]');
    expect(fields.slice(8)).toEqual(decoded.slice(8));
  });

  it('composite - a nullified field becomes a NULL field, not a NULL row', () => {
    const drop = compileProfile({ name: 'drop', entities: { name: 'nullify', email: 'partial' } });
    const { cell, counts } = maskOne(
      '(7,"Finn Meyer",finn.meyer@example.com)',
      {
        ...composite,
        fields: customerFields.slice(0, 3),
      },
      drop,
    );
    expect(cell).toBe('(7,,****@example.com)');
    expect(counts).toEqual({ name: 1, email: 1 });
  });

  it('composite - a value whose field count differs from the catalog is scanned by shape as before', () => {
    const changed = '(7,"Finn Meyer",finn.meyer@example.com,1958-07-04)';
    const { cell, counts } = maskOne(changed, composite);
    expect(cell).toBe('(7,"Finn Meyer",****@example.com,1958-07-04)');
    expect(counts).toEqual({ email: 1 });
    expect(maskOne(changed, computed('c', CUSTOMERS_ROW_TYPE)).cell).toBe(cell);
  });

  it('composite - a composite nested in a field is scanned by shape: the outer fields do not apply to it', () => {
    const outer: ColumnInfo = {
      ...composite,
      fields: [field('full_name', PgTypeOid.Text), field('extra', CUSTOMERS_ROW_TYPE + 1)],
    };
    const { cell, counts } = maskOne('("Finn Meyer","(""Finn Meyer"",a@b.com)")', outer);
    expect(cell).toBe('([REDACTED:name],"(""Finn Meyer"",****@b.com)")');
    expect(counts).toEqual({ name: 1, email: 1 });
  });

  it('composite - a binary composite with known fields is still refused', () => {
    const plan = planResultSet([{ ...composite, format: 'binary' }], defaults);
    expect(plan.refusal?.reason).toBe(
      `binary format of type ${CUSTOMERS_ROW_TYPE} cannot be masked (fields of customers by name); request text format`,
    );
  });

  it('composite - an array of the composite (customers[]) is masked element by element, field by field', () => {
    const column: ColumnInfo = {
      name: 'cs',
      typeOid: CUSTOMERS_ROW_TYPE + 2,
      format: 'text',
      fields: customerFields.slice(0, 3),
      fieldsOfElements: true,
    };
    const plan = planResultSet([column], defaults);
    expect(plan.columns[0]!.reason).toBe('fields of customers by name, per array element');
    const { cells, counts } = maskRow(
      ['{"(7,\\"Finn Meyer\\",finn.meyer@example.com)",NULL,"(8,Ann,a@b.com)"}'],
      plan,
    );
    expect(cells[0]).toBe('{"(7,[REDACTED:name],****@example.com)",NULL,"(8,[REDACTED:name],****@b.com)"}');
    expect(readArray(cells[0] as string).map((e) => e && readRecord(e as string))).toEqual([
      ['7', '[REDACTED:name]', '****@example.com'],
      null,
      ['8', '[REDACTED:name]', '****@b.com'],
    ]);
    expect(counts.byEntity).toEqual({ name: 2, email: 2 });
  });

  it('composite - NULL fields and a clean value come back as the same string', () => {
    const clean = '(7,,,,,,,,,"nothing here",,,)';
    expect(maskOne(clean, composite).cell).toBe(clean);
  });
});
