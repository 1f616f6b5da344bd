import { hash } from 'node:crypto';

/**
 * A SHA-256 digest held as a 32-character latin1 string, one character per byte. The replay
 * loop keeps its leaf and node hashes in this form: `crypto.hash` returns a short string several
 * times cheaper than a Buffer (each Buffer allocates a backing store), and two digests compare
 * with `===`. The conversion is exact both ways: latin1 maps bytes 0-255 to code units 0-255.
 */
export type DigestString = string;

// Node's name for the latin1 encoding that @types/node accepts as a digest encoding.
const BYTE_STRING = 'binary';

// RFC 9162 section 2.1.1 domain separation: 0x00 before a leaf's bytes, 0x01 before two children.
// https://www.rfc-editor.org/rfc/rfc9162#section-2.1.1
const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

// One scratch buffer per input kind, reused by every hash (hashing here is synchronous), and one
// view of the leaf scratch per record length, so a leaf hash allocates nothing but its digest.
const LEAF_SCRATCH_SIZE = 16 * 1024;
const leafScratch = Buffer.allocUnsafe(LEAF_SCRATCH_SIZE);
leafScratch[0] = LEAF_PREFIX;
const leafViews: (Buffer | undefined)[] = new Array<Buffer | undefined>(LEAF_SCRATCH_SIZE).fill(undefined);
const nodeScratch = Buffer.allocUnsafe(65);
nodeScratch[0] = NODE_PREFIX;

/** Leaf hash of one record, `SHA-256(0x00 || record)` (RFC 9162 section 2.1.1). */
export function leafDigest(record: Uint8Array): DigestString {
  const length = record.length + 1;
  if (length > LEAF_SCRATCH_SIZE) {
    const input = Buffer.allocUnsafe(length);
    input[0] = LEAF_PREFIX;
    input.set(record, 1);
    return hash('sha256', input, BYTE_STRING);
  }
  leafScratch.set(record, 1);
  const view = (leafViews[length] ??= leafScratch.subarray(0, length));
  return hash('sha256', view, BYTE_STRING);
}

/** Interior node hash, `SHA-256(0x01 || left || right)` (RFC 9162 section 2.1.1). */
export function nodeDigest(left: DigestString, right: DigestString): DigestString {
  nodeScratch.write(left, 1, 'latin1');
  nodeScratch.write(right, 33, 'latin1');
  return hash('sha256', nodeScratch, BYTE_STRING);
}

/** True when `bytes` are the 32 bytes of `digest`. */
export function digestMatches(bytes: Uint8Array, digest: DigestString): boolean {
  if (bytes.length !== 32) return false;
  for (let i = 0; i < 32; i++) if (bytes[i] !== digest.charCodeAt(i)) return false;
  return true;
}

/** The digest as bytes, for callers outside the replay loop. */
export function digestBytes(digest: DigestString): Buffer {
  return Buffer.from(digest, 'latin1');
}
