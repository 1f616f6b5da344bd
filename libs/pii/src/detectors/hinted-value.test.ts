import { describe, expect, it } from 'vitest';
import { builtInProfiles, compileProfile, detectEntities } from '../index.ts';
import { findDate } from './hinted-value.ts';

const profile = compileProfile(builtInProfiles.strict);
const found = (text: string, column?: string): string[] =>
  detectEntities(text, profile, column === undefined ? undefined : { name: column }).map(
    (f) => `${f.entity}:${text.slice(f.start, f.end)}`,
  );

describe('hinted values', () => {
  it('hinted-value - a name, address or birth date column makes the whole trimmed value the entity', () => {
    expect(found(' Jane Doe ', 'full_name')).toEqual(['name:Jane Doe']);
    expect(found('José', 'firstName')).toEqual(['name:José']);
    expect(found('12 Oak St, Apt 4', 'street_address')).toEqual(['address:12 Oak St, Apt 4']);
    expect(found('94105', 'zip')).toEqual(['address:94105']);
    expect(found('1990-05-17', 'date_of_birth')).toEqual(['dob:1990-05-17']);
    expect(found('May 17, 1990', 'dob')).toEqual(['dob:May 17, 1990']);
  });

  it('hinted-value - placeholders and non-dates are not entities', () => {
    expect(found('N/A', 'full_name')).toEqual([]);
    expect(found('unknown', 'address')).toEqual([]);
    expect(found('-', 'city')).toEqual([]);
    expect(found('not given', 'dob')).toEqual([]);
    expect(found('13/13/1990', 'dob')).toEqual([]);
  });

  it('hinted-value - names and addresses in free text are not detected without a hint', () => {
    expect(found('Spoke with Jane Doe at 12 Oak St')).toEqual([]);
    expect(found('Jane Doe', 'product_name')).toEqual([]);
  });

  it('hinted-value - a date after a DOB label in free text is a birth date', () => {
    expect(found('DOB: 05/17/1990 confirmed')).toEqual(['dob:05/17/1990']);
    expect(found('born on 17.05.1990')).toEqual(['dob:17.05.1990']);
    expect(found('delivered 05/17/2024')).toEqual([]);
  });

  it('hinted-value - findDate accepts M/D and D/M and rejects impossible months', () => {
    expect(findDate('17/05/1990')?.[0]).toBe('17/05/1990');
    expect(findDate('05/17/1990')?.[0]).toBe('05/17/1990');
    expect(findDate('1990-13-01')).toBeNull();
    expect(findDate('19900517')?.[0]).toBe('19900517');
  });
});
