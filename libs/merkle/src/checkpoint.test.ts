import { describe, expect, it } from 'vitest';
import {
  formatCheckpoint,
  openCheckpoint,
  parseCheckpoint,
  signCheckpoint,
  type Checkpoint,
} from './checkpoint.ts';
import { MalformedCheckpointError } from './failures.ts';
import { hashLeaf } from './hash.ts';
import { generateNoteKeys, parseSignerKey, parseVerifierKey } from './note-keys.ts';
import { parseNote, signNote } from './signed-note.ts';
import { CT_LEAF_INPUTS, unhex } from './rfc6962-vectors.fixture.ts';
import { rootOf } from './tree-root.ts';

const ORIGIN = 'gatehouse.example/ledger';
const root8 = unhex('5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328');
const checkpoint: Checkpoint = { origin: ORIGIN, size: 8, root: root8 };
const keys = generateNoteKeys(ORIGIN);
const signer = parseSignerKey(keys.signerKey);
const verifier = parseVerifierKey(keys.verifierKey);

describe('merkle checkpoints', () => {
  it('merkle - formats the C2SP checkpoint body: origin, decimal size, base64 root', () => {
    expect(formatCheckpoint(checkpoint)).toBe(
      'gatehouse.example/ledger\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n',
    );
    expect(formatCheckpoint({ ...checkpoint, size: 0, extensions: ['ext one', 'two'] })).toBe(
      'gatehouse.example/ledger\n0\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\next one\ntwo\n',
    );
  });

  it('merkle - parses what it formats, extensions included', () => {
    expect(parseCheckpoint(formatCheckpoint(checkpoint))).toEqual(checkpoint);
    const withExtensions = { ...checkpoint, size: Number.MAX_SAFE_INTEGER, extensions: ['— a', 'b'] };
    expect(parseCheckpoint(formatCheckpoint(withExtensions))).toEqual(withExtensions);
  });

  it('merkle - parses the example checkpoint of the C2SP specification', () => {
    const body = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
    const parsed = parseCheckpoint(body);
    expect(parsed.origin).toBe('example.com/behind-the-sofa');
    expect(parsed.size).toBe(20852163);
    expect(Buffer.from(parsed.root).toString('base64')).toBe('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=');
  });

  it('merkle - rejects malformed checkpoint bodies', () => {
    const root = 'XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=';
    const bad: [string, string][] = [
      ['two lines', `${ORIGIN}\n8\n`],
      ['no final newline', `${ORIGIN}\n8\n${root}`],
      ['empty origin', `\n8\n${root}\n`],
      ['leading zero', `${ORIGIN}\n08\n${root}\n`],
      ['negative size', `${ORIGIN}\n-8\n${root}\n`],
      ['size with a sign', `${ORIGIN}\n+8\n${root}\n`],
      ['hex size', `${ORIGIN}\n0x8\n${root}\n`],
      ['size beyond 2^53', `${ORIGIN}\n9007199254740992\n${root}\n`],
      ['root of 31 bytes', `${ORIGIN}\n8\n${Buffer.alloc(31).toString('base64')}\n`],
      ['unpadded root', `${ORIGIN}\n8\n${root.slice(0, -1)}\n`],
      ['url-safe root', `${ORIGIN}\n8\n${root.replace('+', '-').replace(/\//g, '_')}\n`],
      ['empty extension line', `${ORIGIN}\n8\n${root}\n\next\n`],
      ['a whole signed note', signNote(`${ORIGIN}\n8\n${root}\n`, signer)],
      ['control character', `${ORIGIN}\u0007\n8\n${root}\n`],
    ];
    for (const [name, text] of bad)
      expect(() => parseCheckpoint(text), name).toThrow(MalformedCheckpointError);
  });

  it('merkle - refuses to format an invalid checkpoint', () => {
    expect(() => formatCheckpoint({ ...checkpoint, origin: '' })).toThrow(MalformedCheckpointError);
    expect(() => formatCheckpoint({ ...checkpoint, origin: 'a\nb' })).toThrow(MalformedCheckpointError);
    expect(() => formatCheckpoint({ ...checkpoint, size: -1 })).toThrow(MalformedCheckpointError);
    expect(() => formatCheckpoint({ ...checkpoint, size: 1.5 })).toThrow(MalformedCheckpointError);
    expect(() => formatCheckpoint({ ...checkpoint, root: root8.subarray(1) })).toThrow(
      MalformedCheckpointError,
    );
    expect(() => formatCheckpoint({ ...checkpoint, extensions: [''] })).toThrow(MalformedCheckpointError);
  });

  it('merkle - a signed checkpoint round-trips and names the log key on its signature line', () => {
    const root = rootOf(CT_LEAF_INPUTS.slice(0, 5).map(hashLeaf));
    const note = signCheckpoint({ origin: ORIGIN, size: 5, root }, signer);
    expect(parseNote(note).signatures.map((s) => s.name)).toEqual([ORIGIN]);
    expect(openCheckpoint(note, verifier, ORIGIN)).toEqual({ origin: ORIGIN, size: 5, root });
    expect(openCheckpoint(note, keys.verifierKey)).toEqual({ origin: ORIGIN, size: 5, root });
  });

  it('merkle - rejects a signed checkpoint whose size, root or signature was changed', () => {
    const note = signCheckpoint(checkpoint, signer);
    const rootText = Buffer.from(root8).toString('base64');
    const otherRoot = Buffer.from(root8);
    otherRoot[0] = (otherRoot[0] as number) ^ 0x80;
    expect(openCheckpoint(note.replace('\n8\n', '\n9\n'), verifier)).toBeNull();
    expect(openCheckpoint(note.replace('\n8\n', '\n80\n'), verifier)).toBeNull();
    expect(openCheckpoint(note.replace(rootText, otherRoot.toString('base64')), verifier)).toBeNull();
    const signature = note.slice(note.lastIndexOf(' ') + 1, -1);
    const flipped = Buffer.from(signature, 'base64');
    flipped[10] = (flipped[10] as number) ^ 4;
    expect(openCheckpoint(note.replace(signature, flipped.toString('base64')), verifier)).toBeNull();
  });

  it('merkle - rejects a checkpoint signed by the wrong key or for another log', () => {
    const other = generateNoteKeys(ORIGIN);
    expect(openCheckpoint(signCheckpoint(checkpoint, other.signerKey), verifier)).toBeNull();
    expect(openCheckpoint(signCheckpoint(checkpoint, signer), other.verifierKey)).toBeNull();
    expect(
      openCheckpoint(signCheckpoint(checkpoint, signer), verifier, 'gatehouse.example/other'),
    ).toBeNull();
  });

  it('merkle - a correctly signed note that is not a checkpoint does not open as one', () => {
    expect(openCheckpoint(signNote('just some text\n', signer), verifier)).toBeNull();
    expect(openCheckpoint('not a note at all', verifier)).toBeNull();
  });
});
