import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { calculateJwkThumbprint, exportJWK } from 'jose';
import { encodeVerifierKey, generateNoteKeys, parseSignerKey, type NoteSigner } from '@gatehouse/merkle';
import type { PublicJwkView } from '@gatehouse/ledger-verify';

/** The ledger's checkpoint key and its published forms. */
export interface LedgerSigningKey {
  /** Signs checkpoint notes (and, via its private key, JWSs). */
  readonly signer: NoteSigner;
  /** Note verifier key to publish: `<name>+<key id>+<base64 key>`. */
  readonly verifierKey: string;
  /** The same public key as a JWK, `kid` = its RFC 7638 thumbprint. */
  readonly jwk: PublicJwkView;
}

async function describe(signer: NoteSigner): Promise<LedgerSigningKey> {
  const { x } = await exportJWK(signer.publicKey);
  const kid = await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: x as string });
  return {
    signer,
    verifierKey: encodeVerifierKey(signer.name, signer.publicKey),
    jwk: { kty: 'OKP', crv: 'Ed25519', x: x as string, kid, alg: 'EdDSA', use: 'sig' },
  };
}

/**
 * Loads the signer key (c2sp.org/signed-note `PRIVATE+KEY+...` text) from `path`. When the file
 * does not exist (the local stack), generates a key named after `origin`, saves it with mode 0600
 * and its verifier key beside it as `<path>.pub`. Replicas starting together agree on one key:
 * the file is created exclusively and a replica that loses the race reads the winner's.
 * @throws InvalidNoteKeyError when the file holds no valid signer key.
 */
export async function loadSigningKey(
  path: string,
  origin: string,
): Promise<{ key: LedgerSigningKey; generated: boolean }> {
  let text: string;
  let generated = false;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const keys = generateNoteKeys(origin);
    await mkdir(dirname(path), { recursive: true });
    try {
      await writeFile(path, `${keys.signerKey}\n`, { flag: 'wx', mode: 0o600 });
      await writeFile(`${path}.pub`, `${keys.verifierKey}\n`, { mode: 0o644 });
      generated = true;
    } catch (raced) {
      if ((raced as NodeJS.ErrnoException).code !== 'EEXIST') throw raced;
    }
    text = await readFile(path, 'utf8');
  }
  return { key: await describe(parseSignerKey(text.trim())), generated };
}
