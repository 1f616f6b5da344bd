import { sign, verify } from 'node:crypto';
import { InvalidNoteKeyError, MalformedNoteError } from './failures.ts';
import { parseSignerKey, parseVerifierKey, type NoteSigner, type NoteVerifier } from './note-keys.ts';
import { isValidKeyName, isValidNoteText } from './note-text.ts';
import { decodeBase64Strict, encodeBase64 } from './strict-base64.ts';

// Format of c2sp.org/signed-note: the text (ending in a newline), a blank line, then lines
// "— <key name> <base64(4-byte key ID || signature)>\n".
// https://c2sp.org/signed-note

/** Start of every signature line: em dash (U+2014) and a space. */
const SIGNATURE_PREFIX = '\u2014 ';
const ED25519_SIGNATURE_SIZE = 64;
const KEY_ID_SIZE = 4;

/**
 * Most signature lines a note may carry. The spec requires accepting at least 16; the cap
 * bounds the work an untrusted note can cause (golang.org/x/mod/sumdb/note uses 100 too).
 */
export const MAX_NOTE_SIGNATURES = 100;

/** One signature line of a note. */
export interface NoteSignature {
  /** Key name on the signature line. */
  readonly name: string;
  /** uint32 key ID (the first 4 decoded bytes, big-endian). */
  readonly keyId: number;
  /** The signature bytes after the key ID (64 bytes for Ed25519). */
  readonly signature: Uint8Array;
}

/** A parsed, not yet verified, signed note. Its text must be ignored until a trusted key verified it. */
export interface SignedNote {
  /** The signed text, including its final newline. */
  readonly text: string;
  /** Signature lines in order of appearance. */
  readonly signatures: readonly NoteSignature[];
}

function decodeNote(note: string | Uint8Array): string {
  if (typeof note === 'string') return note;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(note);
  } catch (cause) {
    throw new MalformedNoteError('note is not valid UTF-8', { cause });
  }
}

function parseSignatureLine(line: string): NoteSignature {
  if (!line.startsWith(SIGNATURE_PREFIX))
    throw new MalformedNoteError('note signature line does not start with "— "');
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(' ');
  if (space < 0) throw new MalformedNoteError('note signature line has no signature');
  const name = rest.slice(0, space);
  if (!isValidKeyName(name)) throw new MalformedNoteError('note signature line has an invalid key name');
  const bytes = decodeBase64Strict(rest.slice(space + 1));
  if (bytes === undefined || bytes.length <= KEY_ID_SIZE) {
    throw new MalformedNoteError('note signature is not base64 of a key ID and a signature');
  }
  return { name, keyId: bytes.readUInt32BE(0), signature: bytes.subarray(KEY_ID_SIZE) };
}

/**
 * Splits a signed note into its text and signature lines without verifying anything.
 * The text is separated from the signatures by the last empty line.
 * @throws MalformedNoteError when the note is not valid UTF-8, contains control characters
 *   other than newline, has no signature block, a malformed signature line, or more than
 *   {@link MAX_NOTE_SIGNATURES} signatures.
 */
export function parseNote(note: string | Uint8Array): SignedNote {
  const source = decodeNote(note);
  if (!isValidNoteText(source)) {
    throw new MalformedNoteError('note is not valid UTF-8 or contains control characters other than newline');
  }
  if (!source.endsWith('\n')) throw new MalformedNoteError('note does not end with a newline');
  const split = source.lastIndexOf('\n\n');
  if (split < 0) throw new MalformedNoteError('note has no blank line before its signatures');
  const text = source.slice(0, split + 1);
  const lines = source.slice(split + 2, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) {
    throw new MalformedNoteError(`note has more than ${MAX_NOTE_SIGNATURES} signatures`);
  }
  return { text, signatures: lines.map(parseSignatureLine) };
}

function toSigner(signer: NoteSigner | string): NoteSigner {
  return typeof signer === 'string' ? parseSignerKey(signer) : signer;
}

/**
 * Signs note `text` with one or more Ed25519 keys and returns the signed note:
 * `text + "\n" + "— <name> <base64(key ID || signature)>\n"` per signer.
 * @param text Note text: valid note text ending in a newline (e.g. `formatCheckpoint` output).
 * @param signers Parsed signers (preferred: parse once) or signer key strings.
 * @throws MalformedNoteError when `text` is empty, does not end in a newline or contains
 *   control characters; InvalidNoteKeyError for a malformed signer key string.
 */
export function signNote(
  text: string,
  signers: NoteSigner | string | readonly (NoteSigner | string)[],
): string {
  if (!text.endsWith('\n') || !isValidNoteText(text)) {
    throw new MalformedNoteError(
      'note text must end with a newline and contain no control characters other than newline',
    );
  }
  const list = (Array.isArray(signers) ? signers : [signers]) as readonly (NoteSigner | string)[];
  if (list.length === 0) throw new InvalidNoteKeyError('a note needs at least one signer');
  const message = Buffer.from(text, 'utf8');
  let note = `${text}\n`;
  for (const item of list) {
    const signer = toSigner(item);
    const blob = Buffer.alloc(KEY_ID_SIZE + ED25519_SIGNATURE_SIZE);
    blob.writeUInt32BE(signer.keyId, 0);
    blob.set(sign(null, message, signer.privateKey), KEY_ID_SIZE);
    note += `${SIGNATURE_PREFIX}${signer.name} ${encodeBase64(blob)}\n`;
  }
  return note;
}

/**
 * Verifies a signed note against one trusted key, per c2sp.org/signed-note "Signatures":
 * signatures whose key name and key ID do not both match the key are ignored; every matching
 * signature must verify (one failing rejects the whole note); at least one must match.
 *
 * Returns `false` — never throws — for any malformed or unverifiable note, since the note is
 * untrusted input. A malformed verifier key string is configuration, not input, and throws.
 * Use {@link openNote} to get the verified text.
 * @throws InvalidNoteKeyError when `verifier` is a malformed verifier key string.
 */
export function verifyNote(note: string | Uint8Array, verifier: NoteVerifier | string): boolean {
  return openNote(note, verifier) !== null;
}

/**
 * Verifies a signed note like {@link verifyNote} and returns its text, or `null` when the note
 * is malformed or not validly signed by `verifier`. Never throws for untrusted input.
 * @throws InvalidNoteKeyError when `verifier` is a malformed verifier key string.
 */
export function openNote(note: string | Uint8Array, verifier: NoteVerifier | string): string | null {
  const key = typeof verifier === 'string' ? parseVerifierKey(verifier) : verifier;
  let parsed: SignedNote;
  try {
    parsed = parseNote(note);
  } catch (error) {
    if (error instanceof MalformedNoteError) return null;
    throw error;
  }
  const message = Buffer.from(parsed.text, 'utf8');
  let verified = false;
  for (const signature of parsed.signatures) {
    if (signature.name !== key.name || signature.keyId !== key.keyId) continue;
    if (signature.signature.length !== ED25519_SIGNATURE_SIZE) return null;
    if (!verify(null, message, key.publicKey, signature.signature)) return null;
    verified = true;
  }
  return verified ? parsed.text : null;
}
