import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK } from 'jose';
import type { CryptoKey, JSONWebKeySet, JWK } from 'jose';

/** Algorithms the dev issuer signs with. */
export const DevSigningAlgorithms = ['ES256', 'EdDSA'] as const;

/** One of {@link DevSigningAlgorithms}. */
export type DevSigningAlgorithm = (typeof DevSigningAlgorithms)[number];

/** True when `value` is one of {@link DevSigningAlgorithms}. */
export function isDevSigningAlgorithm(value: unknown): value is DevSigningAlgorithm {
  return typeof value === 'string' && (DevSigningAlgorithms as readonly string[]).includes(value);
}

/** A private signing key and the public JWK published for it. */
export interface SigningKey {
  /** Key id: the RFC 7638 thumbprint of the public key. */
  readonly kid: string;
  /** JWS algorithm the key signs with. */
  readonly alg: DevSigningAlgorithm;
  /** Private key used by `SignJWT`. */
  readonly privateKey: CryptoKey;
  /** Public JWK as published in the JWKS (`kid`, `alg`, `use: sig`). */
  readonly publicJwk: JWK;
}

// The current key plus the one it replaced: tokens minted just before a rotation keep verifying.
const keptKeys = 2;
const publicMembers = ['kty', 'crv', 'x', 'y', 'n', 'e'] as const;

/**
 * The dev issuer's signing keys, newest last. Optionally persisted as a JWK Set of private keys
 * in `keyFile` (mode 0600), so a restarted issuer keeps verifying the tokens it minted before.
 */
export class SigningKeyRing {
  #keys: SigningKey[];
  #privateJwks: JWK[];
  readonly #algorithm: DevSigningAlgorithm;
  readonly #keyFile: string | undefined;

  private constructor(algorithm: DevSigningAlgorithm, keyFile: string | undefined) {
    this.#algorithm = algorithm;
    this.#keyFile = keyFile;
    this.#keys = [];
    this.#privateJwks = [];
  }

  /**
   * Loads the keys from `keyFile` when it exists, otherwise generates a key (saving it when a
   * `keyFile` is given). `algorithm` applies to generated keys; loaded keys keep their own.
   * @throws Error when `keyFile` exists but does not hold usable private signing keys.
   */
  static async open(options: { algorithm: DevSigningAlgorithm; keyFile?: string }): Promise<SigningKeyRing> {
    const ring = new SigningKeyRing(options.algorithm, options.keyFile);
    const stored = options.keyFile === undefined ? undefined : await readKeyFile(options.keyFile);
    if (stored === undefined) {
      await ring.rotate();
    } else {
      for (const jwk of stored.slice(-keptKeys)) {
        try {
          ring.#keys.push(await toSigningKey(jwk));
        } catch (cause) {
          throw new Error(`key file ${options.keyFile} holds an unusable key`, { cause });
        }
        ring.#privateJwks.push(jwk);
      }
    }
    return ring;
  }

  /** The key new tokens are signed with. */
  get current(): SigningKey {
    const key = this.#keys.at(-1);
    if (key === undefined) throw new Error('signing key ring is empty');
    return key;
  }

  /** The published key set: every kept key, newest last. */
  publicKeySet(): JSONWebKeySet {
    return { keys: this.#keys.map((key) => ({ ...key.publicJwk })) };
  }

  /** Generates a new current key, keeps the previous one published, and saves the ring. */
  async rotate(): Promise<SigningKey> {
    const { privateKey } = await generateKeyPair(this.#algorithm, { extractable: true });
    const exported = await exportJWK(privateKey);
    const jwk: JWK = { ...exported, alg: this.#algorithm, use: 'sig' };
    jwk.kid = await calculateJwkThumbprint(publicPart(jwk));
    const key = await toSigningKey(jwk);
    this.#privateJwks = [...this.#privateJwks, jwk].slice(-keptKeys);
    this.#keys = [...this.#keys, key].slice(-keptKeys);
    if (this.#keyFile !== undefined) await writeKeyFile(this.#keyFile, this.#privateJwks);
    return key;
  }
}

function publicPart(jwk: JWK): JWK {
  const result: JWK = {};
  for (const member of publicMembers) {
    if (jwk[member] !== undefined) result[member] = jwk[member];
  }
  return result;
}

async function toSigningKey(jwk: JWK): Promise<SigningKey> {
  const { alg, kid, d } = jwk;
  if (!isDevSigningAlgorithm(alg) || typeof d !== 'string') {
    throw new Error(`key file entries must be private ${DevSigningAlgorithms.join('/')} JWKs`);
  }
  const publicJwk: JWK = { ...publicPart(jwk), use: 'sig', alg };
  publicJwk.kid =
    typeof kid === 'string' && kid.length > 0 ? kid : await calculateJwkThumbprint(publicPart(jwk));
  const privateKey = await importJWK(jwk, alg);
  if (privateKey instanceof Uint8Array) throw new Error('key file entries must be asymmetric keys');
  return { kid: publicJwk.kid, alg, privateKey, publicJwk };
}

// Accepts a JWK Set or a single JWK. Returns undefined when the file does not exist yet.
async function readKeyFile(path: string): Promise<JWK[] | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new Error(`key file ${path} is not JSON`, { cause });
  }
  const record = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const keys = Array.isArray(record['keys']) ? (record['keys'] as unknown[]) : [parsed];
  if (keys.length === 0 || !keys.every((key) => typeof key === 'object' && key !== null)) {
    throw new Error(`key file ${path} holds no JWK`);
  }
  return keys as JWK[];
}

// Write-then-rename so a crash never leaves a truncated key file behind.
async function writeKeyFile(path: string, keys: JWK[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify({ keys }, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, path);
}
