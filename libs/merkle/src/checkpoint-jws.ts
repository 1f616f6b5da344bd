import type { KeyObject } from 'node:crypto';
import { CompactSign, compactVerify, type CryptoKey } from 'jose';
import type { Checkpoint } from './checkpoint.ts';
import { MalformedCheckpointError } from './failures.ts';
import { isHash } from './hash.ts';
import { isValidNoteText } from './note-text.ts';
import { decodeBase64Strict, encodeBase64 } from './strict-base64.ts';
import { isTreeSize } from './tree-size.ts';

/**
 * `typ` header of checkpoint JWSs. Explicit typing keeps a checkpoint signature from being
 * accepted as some other JWS made with the same key (RFC 8725 section 3.11).
 */
export const CHECKPOINT_JWS_TYPE = 'tlog-checkpoint+jws';

/** JSON payload of a checkpoint JWS. */
export interface CheckpointJwsPayload {
  readonly origin: string;
  readonly size: number;
  /** Standard padded base64 of the 32-byte root hash. */
  readonly root: string;
}

/** A key `jose` accepts: a node:crypto KeyObject (e.g. `NoteSigner.privateKey`) or a WebCrypto CryptoKey. */
export type JwsKey = KeyObject | CryptoKey;

/**
 * Signs a checkpoint as an EdDSA (Ed25519) JWS in compact serialization whose payload is the
 * JSON `{origin, size, root}` (root in standard base64), for consumers that speak JOSE rather
 * than signed notes. Extension lines are not carried.
 * @param privateKey Ed25519 private key, e.g. `parseSignerKey(...).privateKey`.
 * @param options.kid Optional `kid` header, e.g. the note verifier key string.
 * @throws MalformedCheckpointError for an invalid checkpoint.
 */
export async function checkpointJws(
  checkpoint: Checkpoint,
  privateKey: JwsKey,
  options: { kid?: string } = {},
): Promise<string> {
  const { origin, size, root } = checkpoint;
  if (origin.length === 0 || origin.includes('\n') || !isValidNoteText(origin)) {
    throw new MalformedCheckpointError('checkpoint origin must be one non-empty line of note text');
  }
  if (!isTreeSize(size))
    throw new MalformedCheckpointError('checkpoint size must be a safe non-negative integer');
  if (!isHash(root)) throw new MalformedCheckpointError('checkpoint root must be a 32-byte hash');
  const payload: CheckpointJwsPayload = { origin, size, root: encodeBase64(root) };
  const header = {
    alg: 'EdDSA',
    typ: CHECKPOINT_JWS_TYPE,
    ...(options.kid === undefined ? {} : { kid: options.kid }),
  };
  return new CompactSign(Buffer.from(JSON.stringify(payload), 'utf8'))
    .setProtectedHeader(header)
    .sign(privateKey);
}

function parsePayload(bytes: Uint8Array): Checkpoint | null {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const { origin, size, root, ...rest } = value as Record<string, unknown>;
  if (Object.keys(rest).length > 0) return null;
  if (typeof origin !== 'string' || origin.length === 0 || origin.includes('\n') || !isValidNoteText(origin))
    return null;
  if (!isTreeSize(size) || typeof root !== 'string') return null;
  const rootHash = decodeBase64Strict(root);
  if (rootHash === undefined || !isHash(rootHash)) return null;
  return { origin, size, root: rootHash };
}

/**
 * Verifies a checkpoint JWS made by {@link checkpointJws}: EdDSA only, `typ` must be
 * {@link CHECKPOINT_JWS_TYPE}, the payload must be exactly `{origin, size, root}`.
 *
 * Returns `null` — never throws — for a malformed, tampered or wrongly signed JWS, since it is
 * untrusted input.
 * @param publicKey Ed25519 public key, e.g. `parseVerifierKey(...).publicKey`.
 */
export async function verifyCheckpointJws(jws: string, publicKey: JwsKey): Promise<Checkpoint | null> {
  try {
    const { payload, protectedHeader } = await compactVerify(jws, publicKey, { algorithms: ['EdDSA'] });
    if (protectedHeader.typ !== CHECKPOINT_JWS_TYPE) return null;
    return parsePayload(payload);
  } catch {
    return null;
  }
}
