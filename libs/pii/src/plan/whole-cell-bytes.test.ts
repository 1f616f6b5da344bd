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
import { WholeCellBytes, WholeCellOutcome } from './whole-cell-bytes.ts';

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

// Hinted text columns of every built-in entity, and of a few that must stay on the text path.
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

/** Values of every shape the byte forms meet: digits, separators, letters, no `@`, blanks. */
function values(): string[] {
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
    '::1',
    'n/a',
    'N/A',
    '-',
  ];
  // A fixed pseudo-random stream, so a failure is reproducible.
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
  const alphabet = ' \t-.+()@_abcXYZ0123456789';
  for (let n = 0; n < 2000; n++) {
    let value = '';
    const length = next() % 30;
    for (let i = 0; i < length; i++) value += alphabet[next() % alphabet.length];
    fixed.push(value);
  }
  return fixed;
}

function check(profile: CompiledProfile): number {
  const plan = planResultSet(COLUMNS, profile);
  let covered = 0;
  for (const index of plan.maskedColumns) {
    const action = plan.columns[index]!;
    const bytes = WholeCellBytes.for(action);
    if (bytes === undefined) continue;
    covered++;
    for (const value of values()) {
      const expectedTally = createTally(plan);
      const expected = maskCellText(value, action, expectedTally);
      const tally = createTally(plan);
      const src = Buffer.from(`..${value}..`, 'latin1'); // the cell sits inside a larger batch
      const out = Buffer.alloc(bytes.maxLength(value.length) + 8, 0xee);
      const written = bytes.mask(src, 2, 2 + value.length, out, 3, tally);
      if (written >= 0) expect(out.toString('latin1', 3, 3 + written)).not.toBe(value);
      const got =
        written === WholeCellOutcome.Null
          ? null
          : written === WholeCellOutcome.Unchanged
            ? value
            : out.toString('latin1', 3, 3 + written);
      expect({ column: action.name, value, masked: got }).toEqual({
        column: action.name,
        value,
        masked: expected,
      });
      expect(tally.toCounts()).toEqual(expectedTally.toCounts());
      if (written >= 0) expect(out[3 + written]).toBe(0xee); // nothing written past the value
    }
  }
  return covered;
}

describe('whole cell bytes', () => {
  it('whole-cell-bytes - gives the bytes and counts of maskCellText for every ASCII value (default profile)', () => {
    expect(check(compileProfile(builtInProfiles.default))).toBe(9);
  });

  it('whole-cell-bytes - names the constant of redact and nullify, which every non-blank value becomes', () => {
    const profile = compileProfile({
      name: 'c',
      entities: { name: 'redact', email: 'nullify', phone: 'partial' },
    });
    const plan = planResultSet([column('full_name'), column('email'), column('phone')], profile);
    const [name, email, phone] = plan.columns.map((action) => WholeCellBytes.for(action));
    expect([name!.constant, email!.constant, phone!.constant]).toEqual(['[REDACTED:name]', null, undefined]);
    const tally = createTally(plan);
    for (const value of ['Ann Lee', ' x', 'é', '\u00a0x']) {
      expect(maskCellText(value, plan.columns[0]!, tally)).toBe('[REDACTED:name]');
      expect(maskCellText(value, plan.columns[1]!, tally)).toBeNull();
    }
    for (const value of ['', ' \t\n', '\u00a0\u2003', '\ufeff']) {
      expect(maskCellText(value, plan.columns[0]!, tally)).toBe(value);
      expect(maskCellText(value, plan.columns[1]!, tally)).toBe(value);
    }
  });

  it('whole-cell-bytes - gives the bytes and counts of maskCellText for redact and nullify', () => {
    expect(check(compileProfile(builtInProfiles.strict))).toBeGreaterThanOrEqual(7);
    const nullify = compileProfile({
      name: 'n',
      entities: { email: 'nullify', card: 'nullify', name: 'redact' },
    });
    expect(check(nullify)).toBe(3);
  });

  it('whole-cell-bytes - leaves cells outside ASCII, and columns it cannot mask byte for byte, to maskCellText', () => {
    const profile = compileProfile(builtInProfiles.default);
    const plan = planResultSet(
      [
        column('email'),
        column('email_v', PgTypeOid.Varchar, { typeModifier: 20 }),
        column('email_c', PgTypeOid.Bpchar, { typeModifier: 24 }),
        column('ip_address'),
        column('date_of_birth', PgTypeOid.Date),
        column('notes'),
        column('email_b', PgTypeOid.Text, { format: 'binary' }),
      ],
      profile,
    );
    const [email, ...others] = plan.columns.map((action) => WholeCellBytes.for(action));
    expect(others).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
    const src = Buffer.from('zoë@example.com');
    expect(email!.mask(src, 0, src.length, Buffer.alloc(64), 0, createTally(plan))).toBe(
      WholeCellOutcome.NotAscii,
    );
    expect(email!.constant).toBeUndefined();
    const hashed = compileProfile({ name: 'h', entities: { email: 'hash' }, hashKey: 'k'.repeat(16) });
    expect(WholeCellBytes.for(planResultSet([column('email')], hashed).columns[0]!)).toBeUndefined();
  });
});
