import { describe, expect, it } from 'vitest';
import { InvalidNoteKeyError, MalformedNoteError } from './failures.ts';
import { generateNoteKeys, parseSignerKey, parseVerifierKey } from './note-keys.ts';
import { MAX_NOTE_SIGNATURES, openNote, parseNote, signNote, verifyNote } from './signed-note.ts';

// The signed note of golang.org/x/mod/sumdb/note (note_test.go); Ed25519 is deterministic, so
// signing the same text with the same key must reproduce it exactly.
const GO_VERIFIER_KEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const GO_SIGNER_KEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const GO_TEXT =
  "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const GO_NOTE = `${GO_TEXT}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

describe('merkle signed notes', () => {
  it('merkle - signs a note exactly as the Go reference implementation does', () => {
    expect(signNote(GO_TEXT, GO_SIGNER_KEY)).toBe(GO_NOTE);
    expect(signNote(GO_TEXT, parseSignerKey(GO_SIGNER_KEY))).toBe(GO_NOTE);
  });

  it('merkle - verifies the Go reference note and exposes its text and signature', () => {
    expect(verifyNote(GO_NOTE, GO_VERIFIER_KEY)).toBe(true);
    expect(verifyNote(new TextEncoder().encode(GO_NOTE), parseVerifierKey(GO_VERIFIER_KEY))).toBe(true);
    const note = parseNote(GO_NOTE);
    expect(note.text).toBe(GO_TEXT);
    expect(note.signatures).toHaveLength(1);
    expect(note.signatures[0]).toMatchObject({ name: 'PeterNeumann', keyId: 0xc74f20a3 });
    expect(note.signatures[0]?.signature).toHaveLength(64);
  });

  it('merkle - a signed note round-trips through sign, parse and verify', () => {
    const { signerKey, verifierKey } = generateNoteKeys('gatehouse.example/ledger');
    const text = 'gatehouse.example/ledger\n42\n\nan empty line above is part of the text\n';
    const note = signNote(text, signerKey);
    expect(parseNote(note).text).toBe(text);
    expect(verifyNote(note, verifierKey)).toBe(true);
    expect(openNote(note, verifierKey)).toBe(text);
    expect(openNote(note.replace('42', '43'), verifierKey)).toBeNull();
  });

  it('merkle - rejects a note whose text was changed', () => {
    expect(verifyNote(GO_NOTE.replace('cryptography', 'cryptographY'), GO_VERIFIER_KEY)).toBe(false);
    expect(verifyNote(GO_NOTE.replace('problem is.\n', 'problem is!\n'), GO_VERIFIER_KEY)).toBe(false);
    expect(verifyNote(`extra\n${GO_NOTE}`, GO_VERIFIER_KEY)).toBe(false);
  });

  it('merkle - rejects a note whose signature was changed', () => {
    const sig =
      'x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=';
    const blob = Buffer.from(sig, 'base64');
    for (const position of [4, 20, 67]) {
      const tampered = Buffer.from(blob);
      tampered[position] = (tampered[position] as number) ^ 1;
      expect(verifyNote(GO_NOTE.replace(sig, tampered.toString('base64')), GO_VERIFIER_KEY)).toBe(false);
    }
    // A truncated signature from the known key is a failed signature, not an unknown one.
    expect(verifyNote(GO_NOTE.replace(sig, blob.subarray(0, 40).toString('base64')), GO_VERIFIER_KEY)).toBe(
      false,
    );
  });

  it('merkle - rejects a note signed by another key, even one with the same name', () => {
    const impostor = generateNoteKeys('PeterNeumann');
    const note = signNote(GO_TEXT, impostor.signerKey);
    expect(verifyNote(note, GO_VERIFIER_KEY)).toBe(false);
    expect(verifyNote(GO_NOTE, impostor.verifierKey)).toBe(false);
    expect(verifyNote(GO_NOTE, generateNoteKeys('someone.else').verifierKey)).toBe(false);
  });

  it('merkle - ignores signatures of unknown keys but rejects a failing signature of the known key', () => {
    const witness = generateNoteKeys('witness.example');
    const cosigned = signNote(GO_TEXT, [GO_SIGNER_KEY, witness.signerKey]);
    expect(parseNote(cosigned).signatures.map((s) => s.name)).toEqual(['PeterNeumann', 'witness.example']);
    expect(verifyNote(cosigned, GO_VERIFIER_KEY)).toBe(true);
    expect(verifyNote(cosigned, witness.verifierKey)).toBe(true);
    // A second, bad signature under the known name and key ID spoils the whole note.
    const forged = `${GO_NOTE}— PeterNeumann ${Buffer.concat([Buffer.from('c74f20a3', 'hex'), Buffer.alloc(64)]).toString('base64')}\n`;
    expect(verifyNote(forged, GO_VERIFIER_KEY)).toBe(false);
  });

  it('merkle - rejects malformed notes with MalformedNoteError on parse and false on verify', () => {
    const sigLine = GO_NOTE.slice(GO_TEXT.length + 1);
    const malformed: [string, string][] = [
      ['no blank line', `${GO_TEXT}${sigLine}`],
      ['no final newline', GO_NOTE.slice(0, -1)],
      ['no signatures', `${GO_TEXT}\n`],
      ['hyphen instead of em dash', GO_NOTE.replace('—', '-')],
      ['no space after the key name', GO_NOTE.replace('PeterNeumann x08', 'PeterNeumannx08')],
      ['unpadded base64', GO_NOTE.replace('JnAM=', 'JnAM')],
      ['non-canonical base64', GO_NOTE.replace('JnAM=', 'JnAN=')],
      ['signature shorter than a key ID', GO_NOTE.replace(/x08go\S+/, 'AAAA')],
      ['control character', GO_NOTE.replace('problem,', 'problem,\t')],
      ['carriage return', GO_NOTE.replace(/\n/g, '\r\n')],
      ['lone surrogate', GO_NOTE.replace('answer', 'answer\ud800')],
      ['too many signatures', `${GO_TEXT}\n${sigLine.repeat(MAX_NOTE_SIGNATURES + 1)}`],
    ];
    for (const [name, note] of malformed) {
      expect(() => parseNote(note), name).toThrow(MalformedNoteError);
      expect(verifyNote(note, GO_VERIFIER_KEY), name).toBe(false);
    }
    expect(() => parseNote(Uint8Array.of(0xff, 0x0a, 0x0a))).toThrow(MalformedNoteError);
    // The text ends at the *last* blank line: signatures before it become part of the text.
    const shifted = `${GO_NOTE}\n${sigLine}`;
    expect(parseNote(shifted).text).toBe(`${GO_TEXT}\n${sigLine}`);
    expect(verifyNote(shifted, GO_VERIFIER_KEY)).toBe(false);
    expect(verifyNote(`${GO_TEXT}\n${sigLine.repeat(MAX_NOTE_SIGNATURES)}`, GO_VERIFIER_KEY)).toBe(true);
  });

  it('merkle - refuses to sign text that cannot be a note', () => {
    expect(() => signNote('no final newline', GO_SIGNER_KEY)).toThrow(MalformedNoteError);
    expect(() => signNote('', GO_SIGNER_KEY)).toThrow(MalformedNoteError);
    expect(() => signNote('tab\there\n', GO_SIGNER_KEY)).toThrow(MalformedNoteError);
    expect(() => signNote(GO_TEXT, [])).toThrow(InvalidNoteKeyError);
    expect(() => signNote(GO_TEXT, 'PRIVATE+KEY+broken')).toThrow(InvalidNoteKeyError);
  });

  it('merkle - a malformed verifier key is a configuration error and throws', () => {
    expect(() => verifyNote(GO_NOTE, 'PeterNeumann+c74f20a3')).toThrow(InvalidNoteKeyError);
  });
});
