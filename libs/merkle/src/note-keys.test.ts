import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InvalidNoteKeyError } from './failures.ts';
import {
  encodeSignerKey,
  encodeVerifierKey,
  generateNoteKeys,
  noteKeyId,
  parseSignerKey,
  parseVerifierKey,
} from './note-keys.ts';

// Keys of golang.org/x/mod/sumdb/note (note_test.go), the reference implementation.
const GO_VERIFIER_KEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const GO_SIGNER_KEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';

describe('merkle note keys', () => {
  it('merkle - parses the Go sumdb/note reference keys and re-encodes them byte for byte', () => {
    const verifier = parseVerifierKey(GO_VERIFIER_KEY);
    expect(verifier.name).toBe('PeterNeumann');
    expect(verifier.keyId).toBe(0xc74f20a3);
    const signer = parseSignerKey(GO_SIGNER_KEY);
    expect(signer.keyId).toBe(0xc74f20a3);
    expect(encodeVerifierKey(signer.name, signer.publicKey)).toBe(GO_VERIFIER_KEY);
    expect(encodeSignerKey(signer.name, signer.privateKey)).toBe(GO_SIGNER_KEY);
    expect(encodeVerifierKey(verifier.name, verifier.publicKey)).toBe(GO_VERIFIER_KEY);
  });

  it('merkle - the key ID is the first 4 bytes of SHA-256(name || 0x0A || 0x01 || public key)', () => {
    const raw = Buffer.from('ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', 'base64').subarray(1);
    expect(noteKeyId('PeterNeumann', raw)).toBe(0xc74f20a3);
    expect(noteKeyId('PeterNeumann2', raw)).not.toBe(0xc74f20a3);
  });

  it('merkle - generated key pairs sign and verify, and encode to the standard forms', () => {
    const { signerKey, verifierKey } = generateNoteKeys('gatehouse.example/ledger');
    expect(signerKey).toMatch(/^PRIVATE\+KEY\+gatehouse\.example\/ledger\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);
    expect(verifierKey).toMatch(/^gatehouse\.example\/ledger\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);
    const signer = parseSignerKey(signerKey);
    const verifier = parseVerifierKey(verifierKey);
    expect(verifier.keyId).toBe(signer.keyId);
    expect(encodeVerifierKey(signer.name, signer.publicKey)).toBe(verifierKey);
    const message = Buffer.from('checkpoint\n');
    expect(verify(null, message, verifier.publicKey, sign(null, message, signer.privateKey))).toBe(true);
  });

  it('merkle - rejects every truncation and every single-character change of a verifier key', () => {
    // The manglings of Go's TestNewVerifier.
    for (let i = 0; i <= GO_VERIFIER_KEY.length; i++) {
      for (let j = i + 1; j <= GO_VERIFIER_KEY.length; j++) {
        if (i === 0 && j === GO_VERIFIER_KEY.length) continue;
        expect(() => parseVerifierKey(GO_VERIFIER_KEY.slice(i, j)), GO_VERIFIER_KEY.slice(i, j)).toThrow(
          InvalidNoteKeyError,
        );
      }
    }
    for (let i = 0; i < GO_VERIFIER_KEY.length; i++) {
      const mangled =
        GO_VERIFIER_KEY.slice(0, i) +
        String.fromCharCode(GO_VERIFIER_KEY.charCodeAt(i) + 1) +
        GO_VERIFIER_KEY.slice(i + 1);
      expect(() => parseVerifierKey(mangled), mangled).toThrow(InvalidNoteKeyError);
    }
    // Wrong key length, and an unknown algorithm byte, each with a matching key ID.
    expect(() =>
      parseVerifierKey('PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=='),
    ).toThrow(InvalidNoteKeyError);
    expect(() =>
      parseVerifierKey('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'),
    ).toThrow(InvalidNoteKeyError);
  });

  it('merkle - rejects a signer key whose key ID does not match, or without its prefix', () => {
    expect(() => parseSignerKey(GO_SIGNER_KEY.replace('c74f20a3', 'c74f20a4'))).toThrow(InvalidNoteKeyError);
    expect(() => parseSignerKey(GO_SIGNER_KEY.slice('PRIVATE+KEY+'.length))).toThrow(InvalidNoteKeyError);
    expect(() => parseSignerKey(GO_SIGNER_KEY.replace('PeterNeumann', 'PeterNeumanm'))).toThrow(
      InvalidNoteKeyError,
    );
  });

  it('merkle - refuses key names with spaces, plus signs or control characters, and non-Ed25519 keys', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    for (const name of ['', 'a b', 'a+b', 'a\nb', 'a\u00a0b', 'a\u2003b', 'a\u0001b']) {
      expect(() => encodeVerifierKey(name, publicKey), JSON.stringify(name)).toThrow(InvalidNoteKeyError);
      expect(() => generateNoteKeys(name), JSON.stringify(name)).toThrow(InvalidNoteKeyError);
    }
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => encodeVerifierKey('log', ec.publicKey)).toThrow(InvalidNoteKeyError);
    expect(() => encodeSignerKey('log', publicKey)).toThrow(InvalidNoteKeyError);
    expect(() => encodeSignerKey('log', new Uint8Array(31))).toThrow(InvalidNoteKeyError);
    expect(encodeSignerKey('log', privateKey)).toMatch(/^PRIVATE\+KEY\+log\+/);
  });
});
