import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidMessageError } from '@gatehouse/errors';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DevIssuer } from './dev-issuer.ts';
import { TokenVerifier } from './token-verifier.ts';

// Real: DevIssuer over HTTP on 127.0.0.1, global fetch, jose, files in a temporary directory.

async function postToken(
  url: string,
  body: string,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('DevIssuer', () => {
  const issuer = new DevIssuer({ maxTtlSeconds: 900 });
  let url: string;
  let directory: string;

  beforeAll(async () => {
    ({ url } = await issuer.start());
    directory = await mkdtemp(join(tmpdir(), 'gatehouse-identity-'));
  });

  afterAll(async () => {
    await issuer.stop();
    await rm(directory, { recursive: true, force: true });
  });

  it('DevIssuer - serves a discovery document pointing at its JWKS and token endpoint', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${url}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({
      issuer: url,
      jwks_uri: `${url}/jwks.json`,
      token_endpoint: `${url}/token`,
      id_token_signing_alg_values_supported: ['ES256'],
      response_types_supported: ['token'],
      subject_types_supported: ['public'],
    });
  });

  it('DevIssuer - publishes only the public part of its signing key', async () => {
    const { keys } = (await (await fetch(`${url}/jwks.json`)).json()) as { keys: JWK[] };
    expect(keys).toHaveLength(1);
    const [key] = keys as [JWK];
    expect(key.kid).toBe(issuer.currentKeyId);
    expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(key.d).toBeUndefined();
  });

  it('DevIssuer - POST /token mints a token the verifier accepts', async () => {
    const { status, json } = await postToken(
      url,
      JSON.stringify({ sub: 'alice', groups: ['approvers'], ttlSeconds: 120 }),
    );
    expect(status).toBe(200);
    expect(json['token_type']).toBe('Bearer');
    expect(json['expires_in']).toBe(120);
    const token = json['access_token'] as string;
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', kid: issuer.currentKeyId, typ: 'at+jwt' });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ iss: url, aud: 'gatehouse', sub: 'alice', groups: ['approvers'] });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(120);
    expect(claims.nbf).toBe(claims.iat);
    const identity = await new TokenVerifier({ issuer: url, audience: 'gatehouse' }).verify(token);
    expect(identity.subject).toBe('alice');
    expect(identity.groups).toEqual(['approvers']);
    expect(identity.tokenId).toBe(claims.jti);
  });

  it('DevIssuer - defaults to a 600 s token for the configured audience with no groups', async () => {
    const { status, json } = await postToken(url, JSON.stringify({ sub: 'bob' }));
    expect(status).toBe(200);
    expect(json['expires_in']).toBe(600);
    expect(decodeJwt(json['access_token'] as string)).toMatchObject({ aud: 'gatehouse', groups: [] });
  });

  it('DevIssuer - answers 400 to a body that is not JSON', async () => {
    expect(await postToken(url, '{"sub": ')).toEqual({
      status: 400,
      json: { error: 'invalid_request', error_description: 'body is not valid JSON' },
    });
  });

  it('DevIssuer - answers 400 naming each invalid field', async () => {
    const missingSub = await postToken(url, JSON.stringify({ groups: ['a'] }));
    expect(missingSub.status).toBe(400);
    expect(missingSub.json['problems']).toEqual([
      'sub: required, a non-empty string of at most 256 characters',
    ]);

    const tooLong = await postToken(url, JSON.stringify({ sub: 'a', ttlSeconds: 901 }));
    expect(tooLong.status).toBe(400);
    expect(tooLong.json['problems']).toEqual(['ttlSeconds: must be an integer from 1 to 900']);

    const several = await postToken(
      url,
      JSON.stringify({ sub: '', groups: 'admins', group: ['x'], ttlSeconds: 1.5 }),
    );
    expect(several.status).toBe(400);
    expect(several.json['problems']).toEqual([
      '"group": unknown field',
      'sub: required, a non-empty string of at most 256 characters',
      'groups: must be an array of at most 100 non-empty strings',
      'ttlSeconds: must be an integer from 1 to 900',
    ]);

    for (const body of ['[]', 'null', '"alice"', '42']) {
      const notObject = await postToken(url, body);
      expect(notObject.status).toBe(400);
      expect(notObject.json['problems']).toEqual(['body: must be an object']);
    }
  });

  it('DevIssuer - answers 413 to an oversized body, 404 to unknown paths and 405 to wrong methods', async () => {
    const big = await postToken(url, JSON.stringify({ sub: 'a', pad: 'x'.repeat(20_000) }));
    expect(big.status).toBe(413);
    expect((await fetch(`${url}/authorize`)).status).toBe(404);
    const wrongMethod = await fetch(`${url}/token`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
    expect((await fetch(`${url}/jwks.json`, { method: 'POST', body: '{}' })).status).toBe(405);
  });

  it('DevIssuer - mintToken refuses a TTL above the maximum', async () => {
    await expect(issuer.mintToken({ sub: 'a', ttlSeconds: 901 })).rejects.toBeInstanceOf(InvalidMessageError);
    await expect(issuer.mintToken({ sub: '' })).rejects.toThrow('invalid token request: sub: required');
  });

  it('DevIssuer - rotateKey signs new tokens with a new kid and publishes both keys', async () => {
    const rotating = new DevIssuer();
    const { url: rotatingUrl } = await rotating.start();
    try {
      const oldKid = rotating.currentKeyId;
      const { kid } = await rotating.rotateKey();
      expect(rotating.currentKeyId).toBe(kid);
      expect(decodeProtectedHeader(await rotating.mintToken({ sub: 'a' })).kid).toBe(kid);
      const { keys } = (await (await fetch(`${rotatingUrl}/jwks.json`)).json()) as { keys: JWK[] };
      expect(keys.map((key) => key.kid)).toEqual([oldKid, kid]);
    } finally {
      await rotating.stop();
    }
  });

  it('DevIssuer - signs EdDSA tokens when asked to', async () => {
    const edwards = new DevIssuer({ algorithm: 'EdDSA' });
    const { url: edwardsUrl } = await edwards.start();
    try {
      const token = await edwards.mintToken({ sub: 'carol', groups: ['auditors'] });
      expect(decodeProtectedHeader(token).alg).toBe('EdDSA');
      const identity = await new TokenVerifier({ issuer: edwardsUrl, audience: 'gatehouse' }).verify(token);
      expect(identity.groups).toEqual(['auditors']);
    } finally {
      await edwards.stop();
    }
  });

  it('DevIssuer - a restart with the same key file keeps verifying tokens minted before', async () => {
    const keyFile = join(directory, 'nested', 'issuer-key.json');
    const first = new DevIssuer({ keyFile });
    const { url: firstUrl } = await first.start();
    const token = await first.mintToken({ sub: 'dave', groups: ['pipelines'] });
    const kid = first.currentKeyId;
    await first.stop();
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(await readFile(keyFile, 'utf8')) as { keys: JWK[] };
    expect(saved.keys.map((key) => key.kid)).toEqual([kid]);

    const port = Number(new URL(firstUrl).port);
    const second = new DevIssuer({ keyFile, port });
    const { url: secondUrl } = await second.start();
    try {
      expect(secondUrl).toBe(firstUrl);
      expect(second.currentKeyId).toBe(kid);
      const identity = await new TokenVerifier({ issuer: secondUrl, audience: 'gatehouse' }).verify(token);
      expect(identity.subject).toBe('dave');

      await second.rotateKey();
      const rotated = JSON.parse(await readFile(keyFile, 'utf8')) as { keys: JWK[] };
      expect(rotated.keys.map((key) => key.kid)).toEqual([kid, second.currentKeyId]);
    } finally {
      await second.stop();
    }
  });

  it('DevIssuer - refuses to start with a key file that holds no usable key', async () => {
    const keyFile = join(directory, 'broken.json');
    await writeFile(keyFile, '{"keys":[{"kty":"EC","alg":"ES256"}]}');
    await expect(new DevIssuer({ keyFile }).start()).rejects.toThrow(
      `key file ${keyFile} holds an unusable key`,
    );
    await writeFile(keyFile, 'not json');
    await expect(new DevIssuer({ keyFile }).start()).rejects.toThrow(`key file ${keyFile} is not JSON`);
  });
});
