import { createPrivateKey, createPublicKey, generateKeyPairSync, hash, type KeyObject } from 'node:crypto';
import { InvalidNoteKeyError } from './failures.ts';
import { isValidKeyName } from './note-text.ts';
import { decodeBase64Strict, encodeBase64 } from './strict-base64.ts';

/** Signature type byte of Ed25519 note signatures (c2sp.org/signed-note, "Signature types"). */
export const NOTE_ED25519 = 0x01;

const ED25519_KEY_SIZE = 32;
const SIGNER_KEY_PREFIX = 'PRIVATE+KEY+';
// DER headers that wrap a raw 32-byte Ed25519 key as PKCS#8 / SPKI (RFC 8410), the only raw
// import path node:crypto offers without also knowing the other half of the pair.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** A key that verifies Ed25519 note signatures, identified by key name and key ID. */
export interface NoteVerifier {
  /** Key name as it appears on signature lines. */
  readonly name: string;
  /** uint32 key ID: first 4 bytes of SHA-256(name || 0x0A || 0x01 || public key), big-endian. */
  readonly keyId: number;
  /** Ed25519 public key. */
  readonly publicKey: KeyObject;
}

/** A key that signs notes; also usable as its own {@link NoteVerifier}. */
export interface NoteSigner extends NoteVerifier {
  /** Ed25519 private key (usable with `jose` too, see `checkpointJws`). */
  readonly privateKey: KeyObject;
}

/** A freshly generated key pair in the standard note key encodings. */
export interface NoteKeyPair {
  /** `PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 || 32-byte seed)>`; a secret. */
  readonly signerKey: string;
  /** `<name>+<hex key ID>+<base64(0x01 || 32-byte public key)>`; publish it. */
  readonly verifierKey: string;
}

function rawPublicKey(key: KeyObject): Buffer {
  if (key.asymmetricKeyType !== 'ed25519') throw new InvalidNoteKeyError('note keys must be Ed25519 keys');
  return Buffer.from(key.export({ format: 'jwk' }).x as string, 'base64url');
}

function rawSeed(key: KeyObject): Buffer {
  if (key.type !== 'private' || key.asymmetricKeyType !== 'ed25519') {
    throw new InvalidNoteKeyError('a note signer key must be an Ed25519 private key');
  }
  return Buffer.from(key.export({ format: 'jwk' }).d as string, 'base64url');
}

function publicKeyObject(raw: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: 'der', type: 'spki' });
}

function privateKeyObject(seed: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

function checkName(name: string): void {
  if (!isValidKeyName(name)) {
    throw new InvalidNoteKeyError(
      'a key name must be non-empty and contain no spaces, plus signs or control characters',
    );
  }
}

/**
 * Key ID of an Ed25519 note key: the first 4 bytes, big-endian, of
 * SHA-256(key name || 0x0A || 0x01 || 32-byte public key) (c2sp.org/signed-note).
 */
export function noteKeyId(name: string, publicKey: Uint8Array): number {
  const digest = hash(
    'sha256',
    Buffer.concat([Buffer.from(`${name}\n`, 'utf8'), Buffer.of(NOTE_ED25519), publicKey]),
    'buffer',
  );
  return digest.readUInt32BE(0);
}

function hex8(keyId: number): string {
  return keyId.toString(16).padStart(8, '0');
}

/**
 * Verifier key string `<name>+<hex key ID>+<base64(0x01 || public key)>` (the format of
 * golang.org/x/mod/sumdb/note, used across the transparency-log ecosystem).
 * @param publicKey Ed25519 public (or private) KeyObject, or the raw 32-byte public key.
 * @throws InvalidNoteKeyError for an invalid name or a key that is not Ed25519.
 */
export function encodeVerifierKey(name: string, publicKey: KeyObject | Uint8Array): string {
  checkName(name);
  const raw = publicKey instanceof Uint8Array ? publicKey : rawPublicKey(publicKey);
  if (raw.length !== ED25519_KEY_SIZE) throw new InvalidNoteKeyError('an Ed25519 public key is 32 bytes');
  return `${name}+${hex8(noteKeyId(name, raw))}+${encodeBase64(Buffer.concat([Buffer.of(NOTE_ED25519), raw]))}`;
}

/**
 * Signer key string `PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 || 32-byte seed)>`.
 * @param privateKey Ed25519 private KeyObject, or the raw 32-byte seed.
 * @throws InvalidNoteKeyError for an invalid name or a key that is not an Ed25519 private key.
 */
export function encodeSignerKey(name: string, privateKey: KeyObject | Uint8Array): string {
  checkName(name);
  const seed = privateKey instanceof Uint8Array ? privateKey : rawSeed(privateKey);
  if (seed.length !== ED25519_KEY_SIZE)
    throw new InvalidNoteKeyError('an Ed25519 private key seed is 32 bytes');
  const publicKey = rawPublicKey(createPublicKey(privateKeyObject(seed)));
  const material = encodeBase64(Buffer.concat([Buffer.of(NOTE_ED25519), seed]));
  return `${SIGNER_KEY_PREFIX}${name}+${hex8(noteKeyId(name, publicKey))}+${material}`;
}

// Splits `<name>+<hex>+<base64>`; the base64 may itself contain '+', the name may not.
function splitKey(text: string, what: string): { name: string; keyId: number; key: Buffer } {
  const first = text.indexOf('+');
  const second = first < 0 ? -1 : text.indexOf('+', first + 1);
  if (second < 0) throw new InvalidNoteKeyError(`${what} is not <name>+<key ID>+<key>`);
  const name = text.slice(0, first);
  const idText = text.slice(first + 1, second);
  checkName(name);
  if (!/^[0-9a-f]{8}$/i.test(idText)) throw new InvalidNoteKeyError(`${what} key ID is not 8 hex digits`);
  const material = decodeBase64Strict(text.slice(second + 1));
  if (material === undefined || material.length !== 1 + ED25519_KEY_SIZE || material[0] !== NOTE_ED25519) {
    throw new InvalidNoteKeyError(`${what} is not base64(0x01 || 32-byte Ed25519 key)`);
  }
  return { name, keyId: Number.parseInt(idText, 16), key: material.subarray(1) };
}

/**
 * Parses a verifier key string (see {@link encodeVerifierKey}). Parse keys once at startup.
 * @throws InvalidNoteKeyError when the text is malformed, the algorithm is not Ed25519, or the
 *   key ID does not match the name and key.
 */
export function parseVerifierKey(text: string): NoteVerifier {
  const { name, keyId, key } = splitKey(text, 'verifier key');
  if (noteKeyId(name, key) !== keyId)
    throw new InvalidNoteKeyError('verifier key ID does not match its name and key');
  let publicKey: KeyObject;
  try {
    publicKey = publicKeyObject(key);
  } catch (cause) {
    throw new InvalidNoteKeyError('verifier key is not a valid Ed25519 public key', { cause });
  }
  return { name, keyId, publicKey };
}

/**
 * Parses a signer key string (see {@link encodeSignerKey}). Parse keys once at startup.
 * @throws InvalidNoteKeyError when the text is malformed, the algorithm is not Ed25519, or the
 *   key ID does not match the name and the public key derived from the seed.
 */
export function parseSignerKey(text: string): NoteSigner {
  if (!text.startsWith(SIGNER_KEY_PREFIX))
    throw new InvalidNoteKeyError(`signer key does not start with ${SIGNER_KEY_PREFIX}`);
  const { name, keyId, key } = splitKey(text.slice(SIGNER_KEY_PREFIX.length), 'signer key');
  const privateKey = privateKeyObject(key);
  const publicKey = createPublicKey(privateKey);
  if (noteKeyId(name, rawPublicKey(publicKey)) !== keyId) {
    throw new InvalidNoteKeyError('signer key ID does not match its name and key');
  }
  return { name, keyId, publicKey, privateKey };
}

/**
 * Generates a new Ed25519 note key pair for key `name` (RECOMMENDED: a schema-less URL such as
 * `gatehouse.example/ledger`, the checkpoint origin).
 * @throws InvalidNoteKeyError for an invalid name.
 */
export function generateNoteKeys(name: string): NoteKeyPair {
  checkName(name);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { signerKey: encodeSignerKey(name, privateKey), verifierKey: encodeVerifierKey(name, publicKey) };
}
