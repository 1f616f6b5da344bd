import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ElementList,
  parseArrayText,
  parseRecordText,
  quoteArrayElement,
  quoteRecordField,
} from './pg-container-text.ts';

const arrayValues = (text: string, delimiter = ','): (string | null)[] | false => {
  const list = new ElementList();
  return parseArrayText(text, delimiter, list) ? list.values.slice(0, list.length) : false;
};
const recordValues = (text: string): (string | null)[] | false => {
  const list = new ElementList();
  return parseRecordText(text, list) ? list.values.slice(0, list.length) : false;
};

describe('pg-container-text arrays', () => {
  it('pg-container-text - parses array_out text: quotes, escapes, NULL, nesting, dimensions', () => {
    expect(arrayValues('{a@b.com,"x y",NULL,"NULL","",null}')).toEqual([
      'a@b.com',
      'x y',
      null,
      'NULL',
      '',
      null,
    ]);
    expect(arrayValues('{"say \\"hi\\"","back\\\\slash"}')).toEqual(['say "hi"', 'back\\slash']);
    expect(arrayValues('{{a,b},{c,"d,e"}}')).toEqual(['a', 'b', 'c', 'd,e']);
    expect(arrayValues('[0:1]={a,b}')).toEqual(['a', 'b']);
    expect(arrayValues('[1:1][-2:-1]={{x,y}}')).toEqual(['x', 'y']);
    expect(arrayValues('{}')).toEqual([]);
    expect(arrayValues(' { a b , c\\,d } ')).toEqual(['a b', 'c,d']);
    expect(arrayValues('{(0,0),(1,1);(2,2),(3,3)}', ';')).toEqual(['(0,0),(1,1)', '(2,2),(3,3)']);
  });

  it('pg-container-text - rejects text that is not an array', () => {
    for (const text of [
      '',
      'a,b',
      '{a,b',
      '{a,b}x',
      '{a,,b}',
      '{"a}',
      '{a"b}',
      '[1:2]{a}',
      '[x]={a}',
      '{a}}',
    ]) {
      expect(arrayValues(text)).toBe(false);
    }
  });

  it('pg-container-text - records raw positions of each element for splicing', () => {
    const list = new ElementList();
    const text = '{a,"b c",NULL}';
    expect(parseArrayText(text, ',', list)).toBe(true);
    expect([0, 1, 2].map((i) => text.slice(list.starts[i], list.ends[i]))).toEqual(['a', '"b c"', 'NULL']);
  });

  it('pg-container-text - quotes an element exactly as array_out does', () => {
    expect(quoteArrayElement('plain', ',')).toBe('plain');
    expect(quoteArrayElement('', ',')).toBe('""');
    expect(quoteArrayElement('null', ',')).toBe('"null"');
    expect(quoteArrayElement('a b', ',')).toBe('"a b"');
    expect(quoteArrayElement('a,b', ',')).toBe('"a,b"');
    expect(quoteArrayElement('a;b', ',')).toBe('a;b');
    expect(quoteArrayElement('a;b', ';')).toBe('"a;b"');
    expect(quoteArrayElement('{x}', ',')).toBe('"{x}"');
    expect(quoteArrayElement('say "hi" \\o/', ',')).toBe('"say \\"hi\\" \\\\o/"');
    expect(quoteArrayElement('[REDACTED:email]', ',')).toBe('[REDACTED:email]');
  });

  it('pg-container-text - any strings survive quoting and parsing (round trip)', () => {
    const element = fc.option(
      fc.string({ unit: fc.constantFrom('a', ' ', ',', '"', '\\', '{', '}', 'N', 'U', 'L', '\t', 'é') }),
      {
        nil: null,
      },
    );
    fc.assert(
      fc.property(fc.array(element, { maxLength: 6 }), (values) => {
        const text = `{${values.map((v) => (v === null ? 'NULL' : quoteArrayElement(v, ','))).join(',')}}`;
        expect(arrayValues(text)).toEqual(values);
      }),
    );
  });
});

describe('pg-container-text composites', () => {
  it('pg-container-text - parses record_out text: empty is NULL, "" is empty, doubled quotes', () => {
    expect(recordValues('(1,jane@example.com,,"")')).toEqual(['1', 'jane@example.com', null, '']);
    expect(recordValues('("a ""quoted"" b","back\\\\slash","x,y")')).toEqual([
      'a "quoted" b',
      'back\\slash',
      'x,y',
    ]);
    expect(recordValues('(1,"{""a b"",c}")')).toEqual(['1', '{"a b",c}']);
    expect(recordValues('( a ,b)')).toEqual([' a ', 'b']);
    expect(recordValues('(ab"c,d"e)')).toEqual(['abc,de']);
    expect(recordValues('()')).toEqual([null]);
  });

  it('pg-container-text - rejects text that is not a composite', () => {
    for (const text of ['', '1,2', '(1,2', '(1,2)x', '("a)', '(a\\', '(415) 555-0123']) {
      expect(recordValues(text)).toBe(false);
    }
  });

  it('pg-container-text - quotes a field exactly as record_out does', () => {
    expect(quoteRecordField('plain')).toBe('plain');
    expect(quoteRecordField('')).toBe('""');
    expect(quoteRecordField('a b')).toBe('"a b"');
    expect(quoteRecordField('f(x),y')).toBe('"f(x),y"');
    expect(quoteRecordField('{a,b}')).toBe('"{a,b}"');
    expect(quoteRecordField('say "hi" \\o/')).toBe('"say ""hi"" \\\\o/"');
  });

  it('pg-container-text - any strings survive quoting and parsing (round trip)', () => {
    const field = fc.option(
      fc.string({ unit: fc.constantFrom('a', ' ', ',', '"', '\\', '(', ')', '{', '\n') }),
      {
        nil: null,
      },
    );
    fc.assert(
      fc.property(fc.array(field, { minLength: 1, maxLength: 6 }), (values) => {
        const text = `(${values.map((v) => (v === null ? '' : quoteRecordField(v))).join(',')})`;
        expect(recordValues(text)).toEqual(values);
      }),
    );
  });
});
