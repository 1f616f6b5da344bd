import { describe, expect, it } from 'vitest';
import { decodeCellBatch, encodeCellBatch, UNCHANGED_CELL, type BatchCell } from '@gatehouse/contracts';
import { InvalidMessageError, PolicyDeniedError } from '@gatehouse/errors';
import {
  builtInProfiles,
  compileProfile,
  createTally,
  maskRowInto,
  PgTypeOid,
  planResultSet,
  type Cell,
  type ColumnInfo,
} from '@gatehouse/pii';
import { maskCellBatch } from './cell-batch-masker.ts';

const column = (
  name: string,
  typeOid: number = PgTypeOid.Text,
  format: 'text' | 'binary' = 'text',
): ColumnInfo => ({
  name,
  typeOid,
  format,
  tableName: 'customers',
  columnName: name,
});
const COLUMNS = [
  column('full_name'),
  column('email'),
  column('phone'),
  column('card_number'),
  column('iban'),
  column('street_address'),
  column('date_of_birth', PgTypeOid.Date),
  column('notes'),
  column('ssn', PgTypeOid.Text, 'binary'),
];
const ROWS: Cell[][] = [
  [
    'Finn Meyer',
    'finnmeyer58@example.de',
    '+493023125236',
    '4012 8836 1886 0412',
    'DE35 7015 0000 3152 3686 86',
    'Lindenplatz 78',
    '1958-07-04',
    'Forwarded invoice to fmeyer@example.com, cc accounting.',
    Buffer.from('181-05-5848'),
  ],
  [
    'Zoë Visser',
    'zoë@example.nl',
    '   ',
    null,
    'NL68RABO5140751675',
    '',
    null,
    'Reach me on +33465713997 or lea.thomas@example.fr after 6pm — merci.',
    null,
  ],
  [
    'n/a',
    'no at sign',
    '555',
    '4111-1111-1111-1111',
    'ab',
    'Beatrixstraat 85',
    '1990-05-17',
    'nothing',
    Buffer.from('x'),
  ],
];

/** What the string path (maskRowInto per row) gives, in the reply's form. */
function expected(plan: ReturnType<typeof planResultSet>) {
  const tally = createTally(plan);
  const rows = ROWS.map((row) => {
    const masked = maskRowInto(row, plan, tally);
    return masked.map((cell, k): BatchCell => (cell === row[k] ? UNCHANGED_CELL : (cell ?? null)));
  });
  return { cells: encodeCellBatch(rows), counts: tally.toCounts() };
}

describe('cell batch masker', () => {
  for (const name of ['default', 'strict'] as const) {
    it(`cell-batch-masker - gives the bytes and counts of masking row by row (${name} profile, ASCII, UTF-8, NULL, binary)`, () => {
      const plan = planResultSet(COLUMNS, compileProfile(builtInProfiles[name]));
      const binary = COLUMNS.map((c) => c.format === 'binary');
      const tally = createTally(plan);
      const out = maskCellBatch(encodeCellBatch(ROWS), ROWS.length, plan, binary, tally);
      const want = expected(plan);
      // Byte forms may send an equal value where the string path made a new string: compare the cells.
      const decode = (bytes: Buffer) =>
        decodeCellBatch(bytes, ROWS.length, COLUMNS.length, { replies: true });
      expect(decode(out)).toEqual(decode(want.cells));
      expect(tally.toCounts()).toEqual(want.counts);
    });
  }

  it('cell-batch-masker - refuses a batch whose layout does not match, and a cell it cannot mask', () => {
    const plan = planResultSet([column('email')], compileProfile(builtInProfiles.default));
    const tally = createTally(plan);
    const cells = encodeCellBatch([['a@example.com'], ['b@example.com']]);
    expect(() => maskCellBatch(cells, 3, plan, [false], tally)).toThrow(InvalidMessageError);
    expect(() => maskCellBatch(cells, 1, plan, [false], tally)).toThrow('invalid cell batch');
    const uuid = planResultSet(
      [column('email', PgTypeOid.Uuid, 'binary')],
      compileProfile(builtInProfiles.default),
    );
    expect(() =>
      maskCellBatch(encodeCellBatch([[Buffer.alloc(16)]]), 1, uuid, [true], createTally(uuid)),
    ).toThrow(PolicyDeniedError);
  });

  it('cell-batch-masker - grows its buffer for a reply larger than any before', () => {
    const plan = planResultSet([column('notes')], compileProfile(builtInProfiles.default));
    const long = 'mail ann@example.com '.repeat(20_000);
    const out = maskCellBatch(encodeCellBatch([[long]]), 1, plan, [false], createTally(plan));
    expect(decodeCellBatch(out, 1, 1, { replies: true })[0]![0]!.toString()).toBe(
      'mail ****@example.com '.repeat(20_000),
    );
  });
});
