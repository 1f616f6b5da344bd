import { hash } from 'node:crypto';

/**
 * A SHA-256 digest: a leaf hash, an interior node hash or a tree root. Always 32 bytes.
 * Functions of this library return `Buffer`s (a `Uint8Array` subclass).
 */
export type Hash = Uint8Array;

/** Length in bytes of every hash in the tree (SHA-256). */
export const HASH_SIZE = 32;

// Domain-separation prefixes of RFC 9162 section 2.1.1 (same as RFC 6962 section 2.1): a leaf
// can never be confused with an interior node.
// https://www.rfc-editor.org/rfc/rfc9162#section-2.1.1
const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

// Scratch buffers: the one-shot `crypto.hash` over one contiguous buffer is ~25% faster than a
// streaming `createHash` with several `update` calls, and reusing the buffer avoids an
// allocation per hash. Safe because hashing here is synchronous.
const nodeScratch = Buffer.allocUnsafe(1 + 2 * HASH_SIZE);
nodeScratch[0] = NODE_PREFIX;
const LEAF_SCRATCH_SIZE = 16 * 1024;
const leafScratch = Buffer.allocUnsafe(LEAF_SCRATCH_SIZE);
leafScratch[0] = LEAF_PREFIX;

/** Root of the empty tree: SHA-256 of the empty string (RFC 9162 section 2.1.1). */
export const EMPTY_ROOT: Hash = hash('sha256', Buffer.alloc(0), 'buffer');

/** True when `value` is a `Uint8Array` of exactly {@link HASH_SIZE} bytes. */
export function isHash(value: unknown): value is Hash {
  return value instanceof Uint8Array && value.length === HASH_SIZE;
}

/**
 * Leaf hash of one record: `SHA-256(0x00 || record bytes)` (RFC 9162 section 2.1.1).
 * The ledger hashes the exact canonical record bytes it stores.
 */
export function hashLeaf(record: Uint8Array): Hash {
  if (record.length < LEAF_SCRATCH_SIZE) {
    leafScratch.set(record, 1);
    return hash('sha256', leafScratch.subarray(0, record.length + 1), 'buffer');
  }
  const input = Buffer.allocUnsafe(record.length + 1);
  input[0] = LEAF_PREFIX;
  input.set(record, 1);
  return hash('sha256', input, 'buffer');
}

/**
 * Interior node hash: `SHA-256(0x01 || left || right)` (RFC 9162 section 2.1.1).
 * @throws RangeError when either child is not a 32-byte hash.
 */
export function hashChildren(left: Hash, right: Hash): Hash {
  if (!isHash(left) || !isHash(right)) {
    throw new RangeError(`child hashes must be ${HASH_SIZE} bytes`);
  }
  return nodeHash(left, right);
}

/** {@link hashChildren} without argument checks, for callers that validated their inputs. */
export function nodeHash(left: Hash, right: Hash): Hash {
  nodeScratch.set(left, 1);
  nodeScratch.set(right, 1 + HASH_SIZE);
  return hash('sha256', nodeScratch, 'buffer');
}

/** Byte-wise equality of two hashes (public values, so no constant-time comparison needed). */
export function equalHashes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return false;
  }
  return true;
}
