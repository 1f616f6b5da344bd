import { describe, expect, it } from 'vitest';
import {
  builtInProfiles,
  compileProfile,
  createTally,
  maskCellText,
  PgTypeOid,
  planResultSet,
  type ColumnInfo,
  type CompiledProfile,
} from '../index.ts';
import { WholeCellBytes, WholeCellForm, WholeCellOutcome } from './whole-cell-bytes.ts';

const column = (
  name: string,
  typeOid: number = PgTypeOid.Text,
  extra: Partial<ColumnInfo> = {},
): ColumnInfo => ({
  name,
  typeOid,
  format: 'text',
  tableName: 't',
  columnName: name,
  ...extra,
});

// Hinted text columns of every built-in entity.
const COLUMNS = [
  column('full_name'),
  column('email'),
  column('phone'),
  column('card_number'),
  column('ssn'),
  column('iban'),
  column('street_address'),
  column('date_of_birth'),
  column('api_key'),
  column('ip_address'),
  column('birth_date', PgTypeOid.Date),
  column('born_on', PgTypeOid.Timestamptz),
];

/** Cells of every shape the forms meet: digits, separators, letters, no `@`, blanks, UTF-8, invalid UTF-8. */
function cells(): Buffer[] {
  const fixed = [
    '',
    ' ',
    '\t\n\u000b\f\r ',
    ' x ',
    'Finn Meyer',
    'finnmeyer58@example.de',
    'a@b@c.example',
    'no at sign',
    '+493023125236',
    '(305) 555-0175',
    '4012 8836 1886 0412',
    '123',
    '1234',
    '12345',
    '181-05-5848',
    'DE35 7015 0000 3152 3686 86',
    'ab',
    'Lindenplatz 78',
    '1958-07-04',
    '1958-07-04 BC',
    '1958-07-04 13:45:10.5+02',
    '12345-01-31',
    '07/04/1958',
    '04.07.1958 13:45:10',
    '04-07-1958',
    '04/07.1958',
    '04/07/195',
    '1958-7-04',
    '195-07-04',
    '1958-07-4',
    '1958-07',
    '04/07',
    'infinity',
    '-infinity',
    'Sat Jul 04 13:45:10 1958 PST',
    '10.0.0.1',
    'n/a',
    'Zoë Visser',
    'zoë@exämple.nl',
    '\u00a0\u2003',
    '\ufeff',
    '\u00a0x',
    '📞 +1 415 555 0123',
    '漢字 4111 1111 1111 1111',
    // Around the single passes: where the kept tail starts, the last `@`, the first non-blank byte,
    // values that are their own masked form, and a byte outside ASCII before or after those points.
    '1 2 3 4',
    '12 34',
    '----',
    ' \t ',
    'é1234',
    '1234é',
    '12é34',
    '5é1234',
    '****@example.com',
    '****@exämple.com',
    '***@example.com',
    'é***@example.com',
    'zoë@example.com',
    'a@',
    '@',
    '@@',
    ' @ ',
    '[REDACTED:email]',
    '[REDACTED:name]',
    '[REDACTED:address]',
    ' [REDACTED:name]',
    'x\u00a0',
    '\u00a0',
    '\t\u00a0',
    ' é',
    '1900-01-01',
    '1958-01-01',
    '1900-01-02',
    '1900-02-01',
    '1900-10-01',
    '1958-01-10',
    '1958-11-01',
    '1900-01-01 00:00:00+00',
    '1900-01-01é',
    '1958-07-04 é',
    '19000-01-01',
    '0000-01-01',
    '1958-01-011',
    '1958-0101',
  ].map((value) => Buffer.from(value, 'utf8'));
  fixed.push(
    Buffer.from([0x31, 0x32, 0xe9, 0x33, 0x34, 0x35]),
    Buffer.from([0xff, 0x40, 0x61]),
    Buffer.from([0xc2]),
    Buffer.from([0x31, 0x32, 0x33, 0x34, 0x35, 0xff]), // invalid UTF-8 in the kept tail
    Buffer.from([0xff, 0x31, 0x32, 0x33, 0x34, 0x35]), // before it
    Buffer.from([0x2a, 0x2a, 0x2a, 0x2a, 0xc2, 0x40, 0x61]), // before the `@`
    Buffer.from([0x20, 0xc2]), // after blank bytes
    Buffer.from('1958-07-04 \xff', 'latin1'), // after an ISO date
  );
  // A fixed pseudo-random stream, so a failure is reproducible.
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
  const alphabet = [...' \t-.+()@_/:abcXYZ0123456789', 'é', '€', '\u00a0'];
  for (let n = 0; n < 2000; n++) {
    let value = '';
    const length = next() % 30;
    for (let i = 0; i < length; i++) value += alphabet[next() % alphabet.length];
    fixed.push(Buffer.from(value, 'utf8'));
  }
  // Date-shaped values, each with one byte changed: a near miss of every rule of a date form.
  const dates = ['1958-07-04', '04/07/1958', '04.07.1958', '1958-07-04 13:45:10+02'];
  const near = [...'0123456789-/. xé'];
  for (let n = 0; n < 2000; n++) {
    const date = dates[next() % dates.length]!;
    const at = next() % date.length;
    fixed.push(Buffer.from(date.slice(0, at) + near[next() % near.length]! + date.slice(at + 1), 'utf8'));
  }
  return fixed;
}

/** Checks every byte masker of `profile`'s plan against maskCellText; returns how many columns have one. */
function check(profile: CompiledProfile): number {
  const plan = planResultSet(COLUMNS, profile);
  let covered = 0;
  for (const index of plan.maskedColumns) {
    const action = plan.columns[index]!;
    const bytes = WholeCellBytes.for(action);
    if (bytes === undefined) continue;
    covered++;
    // The form as a plan carries it masks the same.
    const carried = WholeCellBytes.of(bytes.form, bytes.text);
    for (const cell of cells()) {
      const value = cell.toString('utf8');
      const tally = createTally(plan);
      const masked = maskCellText(value, action, tally);
      const expected = masked === value ? 'same' : masked;
      for (const masker of [bytes, carried]) {
        const src = Buffer.concat([Buffer.from('..'), cell, Buffer.from('..')]); // the cell sits inside a batch
        const out = Buffer.alloc(masker.maxLength(cell.length) + 8, 0xee);
        const written = masker.mask(src, 2, 2 + cell.length, out, 3);
        const got =
          written === WholeCellOutcome.Null
            ? null
            : written === WholeCellOutcome.Blank || written === WholeCellOutcome.Same
              ? 'same'
              : out.toString('utf8', 3, 3 + written);
        expect({ column: action.name, value, masked: got }).toEqual({
          column: action.name,
          value,
          masked: expected,
        });
        // Every value maskCellText counts, and only those, is not Blank.
        expect(written !== WholeCellOutcome.Blank).toBe(tally.total === 1);
        if (written >= 0) expect(out[3 + written]).toBe(0xee); // nothing written past the value
        // Byte for byte the UTF-8 of maskCellText's string (invalid UTF-8 reads as U+FFFD either way).
        if (written >= 0)
          expect(out.subarray(3, 3 + written).equals(Buffer.from(masked!, 'utf8'))).toBe(true);
      }
    }
  }
  return covered;
}

describe('whole cell bytes', () => {
  it('whole-cell-bytes - gives the bytes and counts of maskCellText for every value (default profile)', () => {
    expect(check(compileProfile(builtInProfiles.default))).toBe(11);
  });

  it('whole-cell-bytes - gives the bytes and counts of maskCellText for redact and nullify', () => {
    expect(check(compileProfile(builtInProfiles.strict))).toBeGreaterThanOrEqual(7);
    const nullify = compileProfile({
      name: 'n',
      entities: { email: 'nullify', card: 'nullify', name: 'redact', dob: 'nullify' },
    });
    expect(check(nullify)).toBe(6);
    const partialDates = compileProfile({ name: 'p', entities: { dob: 'partial' } });
    expect(check(partialDates)).toBe(2); // the date and timestamp columns: text has no partial date form
  });

  it('whole-cell-bytes - names the form and text a plan carries for each operator', () => {
    const profile = compileProfile({
      name: 'c',
      entities: { name: 'redact', email: 'partial', phone: 'partial', iban: 'partial', ssn: 'nullify' },
    });
    const plan = planResultSet(
      [column('full_name'), column('email'), column('phone'), column('iban'), column('ssn')],
      profile,
    );
    expect(plan.columns.map((action) => WholeCellBytes.for(action)).map((m) => [m!.form, m!.text])).toEqual([
      [WholeCellForm.Constant, '[REDACTED:name]'],
      [WholeCellForm.EmailDomain, '[REDACTED:email]'],
      [WholeCellForm.Last4Digits, null],
      [WholeCellForm.Last4Alnum, null],
      [WholeCellForm.Constant, null],
    ]);
    const dates = planResultSet(
      [column('dob', PgTypeOid.Date), column('birth_date', PgTypeOid.Timestamp)],
      compileProfile({ name: 'd', entities: { dob: 'redact' } }),
    );
    expect(dates.columns.map((action) => WholeCellBytes.for(action)).map((m) => [m!.form, m!.text])).toEqual([
      [WholeCellForm.DateYearStart, '1900'],
      [WholeCellForm.DateYearStart, '1900'],
    ]);
  });

  it('whole-cell-bytes - has no byte form for columns it cannot mask byte for byte', () => {
    const profile = compileProfile(builtInProfiles.default);
    const plan = planResultSet(
      [
        column('email_v', PgTypeOid.Varchar, { typeModifier: 20 }),
        column('email_c', PgTypeOid.Bpchar, { typeModifier: 24 }),
        column('ip_address'),
        column('notes'),
        column('email_b', PgTypeOid.Text, { format: 'binary' }),
      ],
      profile,
    );
    expect(plan.columns.map((action) => WholeCellBytes.for(action))).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    const hashed = compileProfile({ name: 'h', entities: { email: 'hash' }, hashKey: 'k'.repeat(16) });
    expect(WholeCellBytes.for(planResultSet([column('email')], hashed).columns[0]!)).toBeUndefined();
    const fakeDates = compileProfile({ name: 'f', entities: { dob: 'fake' }, hashKey: 'k'.repeat(16) });
    expect(
      WholeCellBytes.for(planResultSet([column('dob', PgTypeOid.Date)], fakeDates).columns[0]!),
    ).toBeUndefined();
  });
});
