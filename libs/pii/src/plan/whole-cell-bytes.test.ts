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
    '10.0.0.1',
    'n/a',
    'Zoë Visser',
    'zoë@exämple.nl',
    '\u00a0\u2003',
    '\ufeff',
    '\u00a0x',
    '📞 +1 415 555 0123',
    '漢字 4111 1111 1111 1111',
  ].map((value) => Buffer.from(value, 'utf8'));
  fixed.push(
    Buffer.from([0x31, 0x32, 0xe9, 0x33, 0x34, 0x35]),
    Buffer.from([0xff, 0x40, 0x61]),
    Buffer.from([0xc2]),
  );
  // A fixed pseudo-random stream, so a failure is reproducible.
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
  const alphabet = [...' \t-.+()@_abcXYZ0123456789', 'é', '€', '\u00a0'];
  for (let n = 0; n < 2000; n++) {
    let value = '';
    const length = next() % 30;
    for (let i = 0; i < length; i++) value += alphabet[next() % alphabet.length];
    fixed.push(Buffer.from(value, 'utf8'));
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
      }
    }
  }
  return covered;
}

describe('whole cell bytes', () => {
  it('whole-cell-bytes - gives the bytes and counts of maskCellText for every value (default profile)', () => {
    expect(check(compileProfile(builtInProfiles.default))).toBe(9);
  });

  it('whole-cell-bytes - gives the bytes and counts of maskCellText for redact and nullify', () => {
    expect(check(compileProfile(builtInProfiles.strict))).toBeGreaterThanOrEqual(7);
    const nullify = compileProfile({
      name: 'n',
      entities: { email: 'nullify', card: 'nullify', name: 'redact' },
    });
    expect(check(nullify)).toBe(3);
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
  });

  it('whole-cell-bytes - has no byte form for columns it cannot mask byte for byte', () => {
    const profile = compileProfile(builtInProfiles.default);
    const plan = planResultSet(
      [
        column('email_v', PgTypeOid.Varchar, { typeModifier: 20 }),
        column('email_c', PgTypeOid.Bpchar, { typeModifier: 24 }),
        column('ip_address'),
        column('date_of_birth', PgTypeOid.Date),
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
      undefined,
    ]);
    const hashed = compileProfile({ name: 'h', entities: { email: 'hash' }, hashKey: 'k'.repeat(16) });
    expect(WholeCellBytes.for(planResultSet([column('email')], hashed).columns[0]!)).toBeUndefined();
  });
});
