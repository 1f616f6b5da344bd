import { describe, expect, it } from 'vitest';
import type { EvidenceRecord } from '@gatehouse/contracts';
import { canonicalBytes } from '@gatehouse/evidence';
import { ChainFieldScanner } from './chain-field-scanner.ts';
import { parseChainFields, readChainFields } from './chain-fields.ts';
import { syntheticLedger } from './synthetic-ledger.fixture.ts';

const ledger = syntheticLedger(3, 4);
const statement = ledger.records[4] as EvidenceRecord;
const closed = ledger.records[11] as EvidenceRecord;
const PREV = statement.session.prev as string;
const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');
const withDetails = (details: Record<string, unknown>): Uint8Array =>
  canonicalBytes({ ...statement, details });

// The canonical text of `statement` with `edit` applied, for shapes canonicalBytes never writes.
const edited = (edit: (text: string) => string): Buffer =>
  bytes(edit(Buffer.from(canonicalBytes(statement)).toString('utf8')));

/** Asserts the scanner's verdict on `record` and that readChainFields equals the JSON.parse reference. */
function expectExact(record: Uint8Array, scanned: boolean): void {
  const scanner = new ChainFieldScanner();
  expect(scanner.scan(record)).toBe(scanned);
  const reference = parseChainFields(record);
  expect(readChainFields(record)).toEqual(reference);
  if (scanned) expect(scanner.fields()).toEqual(reference);
}

describe('chain field scanner', () => {
  it('ledger-verify - reads every canonical record of a ledger exactly as JSON.parse does', () => {
    const scanner = new ChainFieldScanner();
    for (const record of ledger.canonical) {
      const reference = parseChainFields(record);
      expect(scanner.scan(record)).toBe(true);
      expect(scanner.fields()).toEqual(reference);
      expect(scanner.closing).toBe(reference?.kind === 'session_closed');
      expect(scanner.sessionId()).toBe(reference?.sessionId);
      expect(scanner.sessionIdIs(reference?.sessionId as string)).toBe(true);
      expect(scanner.sessionIdIs(`${reference?.sessionId}x`)).toBe(false);
      expect(scanner.seq).toBe(reference?.seq);
      expect(scanner.prevIsNull()).toBe(reference?.prev === null);
      if (reference?.prev) expect(scanner.prevEquals(reference.prev)).toBe(true);
      expect(readChainFields(record)).toEqual(reference);
    }
  });

  it('ledger-verify - a session_closed record yields the claims JSON.parse finds in its details', () => {
    const close = (details: unknown): Uint8Array => canonicalBytes({ ...closed, details });
    const head = (closed.details as Record<string, unknown>)['chainHead'];
    const claims = [
      { reason: 'client', chainHead: head, recordCount: 4 },
      { reason: 'client' },
      { chainHead: null, recordCount: '4' },
      { chainHead: { nested: head }, recordCount: 4.5 },
      { chainHead: [head], recordCount: -1, note: '"chainHead":"decoy"' },
      'not an object',
      [head, 4],
      null,
    ];
    for (const details of claims) expectExact(close(details), true);
    expect(readChainFields(close(claims[0]))?.close).toEqual({ chainHead: head, recordCount: 4 });
    const text = Buffer.from(close(claims[0])).toString('utf8');
    // Details missing, or given twice (JSON.parse keeps the last).
    expectExact(bytes(text.replace(/"details":\{[^}]*\},/, '')), true);
    const twice = bytes(text.replace('"id":', '"details":{"chainHead":"other","recordCount":9},"id":'));
    expectExact(twice, true);
    expect(readChainFields(twice)?.close).toEqual({ chainHead: 'other', recordCount: 9 });
  });

  it('ledger-verify - text that looks like the session object inside strings is stepped over', () => {
    const decoys = [
      '"session":{"id":"evil","prev":null,"seq":0}',
      '","session":{"id":"evil","prev":null,"seq":0},"time":"x',
      'he said \\"session\\":{\\"id\\":\\"evil\\"} and left',
      'ends in a backslash \\',
      '\\"',
      '{"kind":"statement","session":{"id":"evil","prev":null,"seq":0},"time":"t"}',
    ];
    for (const decoy of decoys) {
      const record = withDetails({ normalized: decoy, [decoy]: decoy, list: [decoy, { session: decoy }] });
      expectExact(record, true);
      expect(readChainFields(record)?.sessionId).toBe('session-1');
    }
  });

  it('ledger-verify - a nested key named session is not the record session', () => {
    const record = withDetails({
      session: { id: 'evil', prev: null, seq: 0 },
      nested: { deeper: [{ session: { id: 'evil', prev: null, seq: 9 } }] },
    });
    expectExact(record, true);
    expect(readChainFields(record)).toMatchObject({ sessionId: 'session-1', seq: 1, prev: PREV });
  });

  it('ledger-verify - escapes, unicode and every JSON value type in other fields are read exactly', () => {
    const details = {
      escapes: 'quote " backslash \\ slash / controls \b\f\n\r\t \u0000 \u001f',
      unicode: 'Müller Ελληνικά 日本語 😀 \u2028\u2029 \u007f',
      numbers: [0, -0, 1, -1, 1.5, -2.25e-10, 1e21, 123456789012345680000],
      literals: [true, false, null, [], {}, [[[]]], { a: { b: { c: null } } }],
    };
    expectExact(withDetails(details), true);
    // The same values as JSON.stringify writes them (\u escapes, lone surrogates, which RFC 8785
    // refuses), as an object and as a string of JSON text.
    const stringified = JSON.stringify({ ...details, lone: '\ud800 and \udfff' });
    for (const raw of [stringified, JSON.stringify(stringified)]) {
      expectExact(
        edited((text) => text.replace('"details":{', `"details":{"raw":${raw},`)),
        true,
      );
    }
    expectExact(canonicalBytes({ ...statement, actor: null, time: '2026-01-01T00:00:00Z' }), true);
  });

  it('ledger-verify - shapes canonical JSON never has are left to JSON.parse, which decides', () => {
    const cases: [string, Buffer][] = [
      ['whitespace between tokens', edited((t) => t.replace('"kind":', '"kind": '))],
      ['whitespace around the record', edited((t) => ` ${t}\n`)],
      ['a byte-order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), edited((t) => t)])],
      [
        'session keys in another order',
        edited((t) =>
          t.replace(
            /"session":\{"id":("[^"]*"),"prev":("[^"]*"),"seq":(\d+)\}/,
            '"session":{"seq":$3,"id":$1,"prev":$2}',
          ),
        ),
      ],
      ['an extra key in the session', edited((t) => t.replace('"seq":1}', '"seq":1,"x":1}'))],
      [
        'a repeated session key (JSON.parse takes the last)',
        edited((t) => t.replace('"target":', '"session":{"id":"other","prev":null,"seq":0},"target":')),
      ],
      ['a repeated kind key', edited((t) => t.replace('"target":', '"kind":"session_closed","target":'))],
      ['a repeated time key', edited((t) => t.replace('"target":', '"time":"later","target":'))],
      ['an escaped top-level key', edited((t) => t.replace('"session":', '"sessio\\u006e":'))],
      ['an escaped session id', edited((t) => t.replace('"id":"session-1"', '"id":"session\\u002d1"'))],
      ['a non-ASCII session id', edited((t) => t.replace('"id":"session-1"', '"id":"séssion-1"'))],
      ['an escaped kind', edited((t) => t.replace('"kind":"statement"', '"kind":"st\\u0061tement"'))],
      [
        'an escaped prev',
        edited((t) => t.replace(PREV, `\\u00${PREV.charCodeAt(0).toString(16)}${PREV.slice(1)}`)),
      ],
      ['an uppercase prev', edited((t) => t.replace(PREV, PREV.toUpperCase()))],
      ['a short prev', edited((t) => t.replace(PREV, PREV.slice(1)))],
      ['a numeric prev', edited((t) => t.replace(`"${PREV}"`, '7'))],
      ['seq 1.0', edited((t) => t.replace('"seq":1}', '"seq":1.0}'))],
      ['seq 1e0', edited((t) => t.replace('"seq":1}', '"seq":1e0}'))],
      ['seq -1', edited((t) => t.replace('"seq":1}', '"seq":-1}'))],
      ['seq 01', edited((t) => t.replace('"seq":1}', '"seq":01}'))],
      ['seq beyond 2^53', edited((t) => t.replace('"seq":1}', '"seq":90071992547409930}'))],
      ['seq as a string', edited((t) => t.replace('"seq":1}', '"seq":"1"}'))],
      ['time as a number', edited((t) => t.replace(/"time":"[^"]*"/, '"time":1'))],
      ['kind missing', edited((t) => t.replace('"kind":"statement",', ''))],
      ['session missing', edited((t) => t.replace(/"session":\{[^}]*\},/, ''))],
      ['session null', edited((t) => t.replace(/"session":\{[^}]*\}/, '"session":null'))],
      [
        'nesting deeper than the scanner follows',
        edited((t) => t.replace('"details":{', `"details":{"deep":${'['.repeat(40)}${']'.repeat(40)},`)),
      ],
      ['a top-level array', bytes('[{"kind":"statement"}]')],
    ];
    for (const [name, record] of cases) {
      const scanner = new ChainFieldScanner();
      expect(scanner.scan(record), name).toBe(false);
      expect(readChainFields(record), name).toEqual(parseChainFields(record));
    }
    // The reference still reads what JSON.parse reads: the last of two session keys, for one.
    expect(readChainFields(cases[5]![1])).toMatchObject({ sessionId: 'other', seq: 0, prev: null });
    expect(readChainFields(cases[16]![1])).toMatchObject({ seq: 1 });
  });

  it('ledger-verify - bytes that are not UTF-8 JSON are malformed, whichever part is broken', () => {
    const broken: [string, Buffer][] = [
      ['truncated', edited((t) => t.slice(0, -1))],
      ['trailing bytes', edited((t) => `${t}x`)],
      ['two records', edited((t) => t + t)],
      ['a trailing comma', edited((t) => t.replace('},"id"', ',},"id"'))],
      ['an unquoted key in details', edited((t) => t.replace('"details":{', '"details":{a:1,'))],
      ['a single-quoted string', edited((t) => t.replace('"details":{', `"details":{"a":'x',`))],
      ['a raw newline in a string', edited((t) => t.replace('select', 'sel\nect'))],
      ['a raw tab in a string', edited((t) => t.replace('select', 'sel\tect'))],
      ['an unknown escape', edited((t) => t.replace('select', 'sel\\xect'))],
      ['a short \\u escape', edited((t) => t.replace('select', 'sel\\u12g4ect'))],
      ['NaN', edited((t) => t.replace('"details":{', '"details":{"a":NaN,'))],
      ['a leading zero', edited((t) => t.replace('"details":{', '"details":{"a":01,'))],
      ['a bare minus', edited((t) => t.replace('"details":{', '"details":{"a":-,'))],
      ['a fraction without digits', edited((t) => t.replace('"details":{', '"details":{"a":1.,'))],
      ['an exponent without digits', edited((t) => t.replace('"details":{', '"details":{"a":1e+,'))],
      ['a misspelled literal', edited((t) => t.replace('"details":{', '"details":{"a":tru,'))],
      ['an unclosed array', edited((t) => t.replace('"details":{', '"details":{"a":[1,'))],
      ['a missing colon', edited((t) => t.replace('"details":{', '"details":{"a" 1,'))],
      ['not JSON at all', bytes('not json')],
      ['empty', Buffer.alloc(0)],
    ];
    const invalidUtf8 = [
      [0xc3, 0x28], // a lead byte without its continuation
      [0xc0, 0xaf], // overlong '/'
      [0xed, 0xa0, 0x80], // a UTF-16 surrogate encoded as UTF-8
      [0xf4, 0x90, 0x80, 0x80], // beyond U+10FFFF
      [0xff],
      [0x80], // a continuation byte alone
    ];
    for (const sequence of invalidUtf8) {
      const [before, after] = Buffer.from(canonicalBytes(statement)).toString('latin1').split('select');
      broken.push([
        `invalid UTF-8 ${Buffer.from(sequence).toString('hex')} inside a string`,
        Buffer.concat([
          Buffer.from(`${before}sel`, 'latin1'),
          Buffer.from(sequence),
          Buffer.from(`ect${after}`, 'latin1'),
        ]),
      ]);
    }
    for (const [name, record] of broken) {
      expect(new ChainFieldScanner().scan(record), name).toBe(false);
      expect(parseChainFields(record), name).toBeNull();
      expect(readChainFields(record), name).toBeNull();
    }
  });

  it('ledger-verify - every byte value at every offset of a string is judged as JSON.parse judges it', () => {
    // The string loop checks four bytes at a time: put each byte at each position of a word.
    const [before, after] = Buffer.from(canonicalBytes(statement)).toString('latin1').split('select');
    const around = (inserted: Buffer, offset: number): Buffer =>
      Buffer.concat([
        Buffer.from(`${before}${'s'.repeat(offset)}`, 'latin1'),
        inserted,
        Buffer.from(`elect${after}`, 'latin1'),
      ]);
    for (let offset = 0; offset < 8; offset++) {
      for (let value = 0; value < 256; value++) {
        const record = around(Buffer.from([value]), offset);
        const plain = value >= 0x20 && value <= 0x7f && value !== 0x22 && value !== 0x5c;
        expect(new ChainFieldScanner().scan(record), `byte ${value} at ${offset}`).toBe(plain);
        expect(readChainFields(record), `byte ${value} at ${offset}`).toEqual(parseChainFields(record));
      }
      // The session id is read as it stands: every byte either is its text or sends the record to JSON.parse.
      const [head, tail] = Buffer.from(canonicalBytes(statement))
        .toString('latin1')
        .split('"id":"session-1"');
      for (let value = 0; value < 256; value++) {
        const record = Buffer.concat([
          Buffer.from(`${head}"id":"${'s'.repeat(offset)}`, 'latin1'),
          Buffer.from([value]),
          Buffer.from(`-1"${tail}`, 'latin1'),
        ]);
        const plain = value >= 0x20 && value <= 0x7f && value !== 0x22 && value !== 0x5c;
        expect(new ChainFieldScanner().scan(record), `id byte ${value} at ${offset}`).toBe(plain);
        expect(readChainFields(record), `id byte ${value} at ${offset}`).toEqual(parseChainFields(record));
      }
      for (const text of ['é', '€', '😀', '\\n', '\\u00e9', '\\"']) {
        const record = around(Buffer.from(text, 'utf8'), offset);
        expectExact(record, true);
      }
    }
  });

  it('ledger-verify - agrees with JSON.parse on thousands of mutated records', () => {
    let seed = 7;
    const random = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
      return seed % n;
    };
    const snippets = [
      '"',
      '\\',
      '\\"',
      '{',
      '}',
      '[',
      ']',
      ',',
      ':',
      ' ',
      '"session":',
      '{"id":"x","prev":null,"seq":0}',
      'null',
      '0',
      '-1',
      '1e5',
      '\u00e9',
      '\u0001',
      '\\u0041',
    ];
    const sources = [
      ...ledger.canonical,
      withDetails({ text: 'a "quoted" \\ Müller 😀', list: [1, { session: 'x' }] }),
    ];
    let scanned = 0;
    for (let round = 0; round < 6000; round++) {
      const source = Buffer.from(sources[random(sources.length)] as Uint8Array);
      const at = random(source.length);
      let mutated: Buffer;
      switch (random(4)) {
        case 0: // one byte changed to any value
          mutated = Buffer.from(source);
          mutated[at] = random(256);
          break;
        case 1: // one byte removed
          mutated = Buffer.concat([source.subarray(0, at), source.subarray(at + 1)]);
          break;
        case 2: // a JSON-significant snippet inserted
          mutated = Buffer.concat([
            source.subarray(0, at),
            bytes(snippets[random(snippets.length)] as string),
            source.subarray(at),
          ]);
          break;
        default: // a byte changed to one of the structural characters
          mutated = Buffer.from(source);
          mutated[at] = '"\\{}[],:0'.charCodeAt(random(9));
      }
      const scanner = new ChainFieldScanner();
      if (scanner.scan(mutated)) {
        scanned += 1;
        expect(scanner.fields(), mutated.toString('latin1')).toEqual(parseChainFields(mutated));
      }
      expect(readChainFields(mutated), mutated.toString('latin1')).toEqual(parseChainFields(mutated));
    }
    // Mutations inside string values keep records scannable: the fast path was exercised.
    expect(scanned).toBeGreaterThan(1000);
  });
});
