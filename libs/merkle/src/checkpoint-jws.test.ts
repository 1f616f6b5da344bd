import { generateKeyPairSync } from 'node:crypto';
import { CompactSign } from 'jose';
import { describe, expect, it } from 'vitest';
import { CHECKPOINT_JWS_TYPE, checkpointJws, verifyCheckpointJws } from './checkpoint-jws.ts';
import type { Checkpoint } from './checkpoint.ts';
import { MalformedCheckpointError } from './failures.ts';
import { generateNoteKeys, parseSignerKey, parseVerifierKey } from './note-keys.ts';
import { unhex } from './rfc6962-vectors.fixture.ts';

const checkpoint: Checkpoint = {
  origin: 'gatehouse.example/ledger',
  size: 8,
  root: unhex('5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328'),
};
const keys = generateNoteKeys('gatehouse.example/ledger');
const signer = parseSignerKey(keys.signerKey);
const verifier = parseVerifierKey(keys.verifierKey);

function decodePart(jws: string, part: number): Record<string, unknown> {
  return JSON.parse(Buffer.from(jws.split('.')[part] as string, 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

describe('merkle checkpoint JWS', () => {
  it('merkle - a checkpoint JWS round-trips with the note key pair', async () => {
    const jws = await checkpointJws(checkpoint, signer.privateKey, { kid: keys.verifierKey });
    expect(decodePart(jws, 0)).toEqual({ alg: 'EdDSA', typ: CHECKPOINT_JWS_TYPE, kid: keys.verifierKey });
    expect(decodePart(jws, 1)).toEqual({
      origin: 'gatehouse.example/ledger',
      size: 8,
      root: 'XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=',
    });
    expect(await verifyCheckpointJws(jws, verifier.publicKey)).toEqual(checkpoint);
  });

  it('merkle - rejects a checkpoint JWS with a changed payload or signature', async () => {
    const jws = await checkpointJws(checkpoint, signer.privateKey);
    const [header, , signature] = jws.split('.');
    const changed = Buffer.from(JSON.stringify({ ...decodePart(jws, 1), size: 9 })).toString('base64url');
    expect(await verifyCheckpointJws(`${header}.${changed}.${signature}`, verifier.publicKey)).toBeNull();
    const flipped = Buffer.from(signature as string, 'base64url');
    flipped[3] = (flipped[3] as number) ^ 1;
    expect(
      await verifyCheckpointJws(
        `${jws.slice(0, jws.lastIndexOf('.'))}.${flipped.toString('base64url')}`,
        verifier.publicKey,
      ),
    ).toBeNull();
    expect(await verifyCheckpointJws('not.a.jws', verifier.publicKey)).toBeNull();
  });

  it('merkle - rejects a checkpoint JWS signed by another key', async () => {
    const other = generateKeyPairSync('ed25519');
    expect(
      await verifyCheckpointJws(await checkpointJws(checkpoint, other.privateKey), verifier.publicKey),
    ).toBeNull();
  });

  it('merkle - rejects a correctly signed JWS of another type or with an unexpected payload', async () => {
    const sign = (payload: unknown, typ: string) =>
      new CompactSign(Buffer.from(JSON.stringify(payload)))
        .setProtectedHeader({ alg: 'EdDSA', typ })
        .sign(signer.privateKey);
    const good = { origin: checkpoint.origin, size: 8, root: 'XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=' };
    expect(await verifyCheckpointJws(await sign(good, CHECKPOINT_JWS_TYPE), verifier.publicKey)).toEqual(
      checkpoint,
    );
    expect(await verifyCheckpointJws(await sign(good, 'JWT'), verifier.publicKey)).toBeNull();
    const payloads = [
      { ...good, extra: true },
      { ...good, size: '8' },
      { ...good, size: -1 },
      { ...good, root: Buffer.alloc(31).toString('base64') },
      { ...good, origin: '' },
      [good],
    ];
    for (const payload of payloads) {
      expect(
        await verifyCheckpointJws(await sign(payload, CHECKPOINT_JWS_TYPE), verifier.publicKey),
      ).toBeNull();
    }
  });

  it('merkle - refuses to sign an invalid checkpoint as JWS', async () => {
    await expect(checkpointJws({ ...checkpoint, size: -1 }, signer.privateKey)).rejects.toBeInstanceOf(
      MalformedCheckpointError,
    );
    await expect(checkpointJws({ ...checkpoint, origin: '' }, signer.privateKey)).rejects.toBeInstanceOf(
      MalformedCheckpointError,
    );
  });
});
