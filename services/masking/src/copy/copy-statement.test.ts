import { beforeAll, describe, expect, it } from 'vitest';
import { CopyStatementError, CopyStatementParser } from './copy-statement.ts';

let parser: CopyStatementParser;
beforeAll(async () => {
  parser = await CopyStatementParser.create();
});

describe('CopyStatementParser', () => {
  it('copy statement - a plain COPY relation TO STDOUT is text with the default options', () => {
    expect(parser.source('COPY customers TO STDOUT', 0)).toEqual({
      relation: { schema: undefined, name: 'customers' },
      columnList: undefined,
      query: false,
      options: {
        format: 'text',
        delimiter: '\t',
        nullString: '\\N',
        quote: '"',
        escape: '"',
        header: false,
        forceQuote: [],
      },
    });
  });

  it('copy statement - reads schema, column list and CSV options in both syntaxes', () => {
    const source = parser.source(
      `COPY public.customers (id, "Email") TO STDOUT WITH (FORMAT csv, HEADER, DELIMITER ';', NULL 'x', QUOTE '''', ESCAPE '\\', FORCE_QUOTE (id))`,
      0,
    );
    expect(source.relation).toEqual({ schema: 'public', name: 'customers' });
    expect(source.columnList).toEqual(['id', 'Email']);
    expect(source.options).toEqual({
      format: 'csv',
      delimiter: ';',
      nullString: 'x',
      quote: "'",
      escape: '\\',
      header: true,
      forceQuote: ['id'],
    });
    const legacy = parser.source(`copy customers to stdout delimiter '|' csv header force quote *`, 0);
    expect(legacy.options).toMatchObject({ format: 'csv', delimiter: '|', header: true, forceQuote: '*' });
  });

  it('copy statement - COPY (query) TO is untraceable; picks the n-th COPY TO of a multi-statement text', () => {
    const text = 'SELECT 1; COPY a TO STDOUT; COPY b FROM STDIN; COPY (SELECT 2) TO STDOUT (FORMAT binary)';
    expect(parser.source(text, 0).relation?.name).toBe('a');
    const second = parser.source(text, 1);
    expect(second.query).toBe(true);
    expect(second.relation).toBeUndefined();
    expect(second.options.format).toBe('binary');
  });

  it('copy statement - no such COPY, or unparsable text, is a CopyStatementError', () => {
    expect(() => parser.source('SELECT 1', 0)).toThrow(CopyStatementError);
    expect(() => parser.source('COPY a TO STDOUT', 1)).toThrow('the statement has no COPY ... TO number 2');
    expect(() => parser.source('COPY (', 0)).toThrow('the COPY statement could not be parsed');
  });
});
