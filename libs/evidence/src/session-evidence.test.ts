import { describe, expect, it } from 'vitest';
import { canonicalBytes, recordHash, SessionEvidence } from './index.ts';

const actor = { sub: 'ci-bot', groups: ['pipelines'], issuer: 'http://issuer', tokenId: 'j1' };

describe('evidence', () => {
  it('evidence - canonical bytes follow RFC 8785 (sorted keys, no spaces, ES number form)', () => {
    const text = new TextDecoder().decode(canonicalBytes({ b: [1e21, 0.5, 'é'], a: { z: null, y: true } }));
    expect(text).toBe('{"a":{"y":true,"z":null},"b":[1e+21,0.5,"é"]}');
  });

  it('evidence - chains each record of a session to the hash of the previous one', () => {
    const session = new SessionEvidence('s-1', { name: 'demo', kind: 'postgres' });
    const opened = session.next('session_opened', { clientAddress: '127.0.0.1' });
    session.identify(actor);
    const statement = session.next('statement', { normalized: 'SELECT $1' });
    expect(opened.session).toEqual({ id: 's-1', seq: 0, prev: null });
    expect(opened.actor).toBeNull();
    expect(statement.session).toEqual({ id: 's-1', seq: 1, prev: recordHash(opened) });
    expect(statement.actor).toEqual(actor);
    expect(session.head).toBe(recordHash(statement));
    expect(session.count).toBe(2);
  });

  it('evidence - any change to a record changes its hash', () => {
    const session = new SessionEvidence('s-2', { name: 'demo', kind: 'postgres' }, actor);
    const record = session.next('result', { rows: 3 });
    expect(recordHash({ ...record, details: { rows: 4 } })).not.toBe(recordHash(record));
  });
});
