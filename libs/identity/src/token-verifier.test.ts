import { InvalidTokenError } from '@gatehouse/errors';
import { decodeJwt, exportSPKI, generateKeyPair, importJWK, SignJWT, UnsecuredJWT } from 'jose';
import type { CryptoKey, JWK, JWTPayload } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DevIssuer } from './dev-issuer.ts';
import type { InvalidTokenReason } from './token-rejected-error.ts';
import { TokenRejectedError } from './token-rejected-error.ts';
import { TokenVerifier } from './token-verifier.ts';
import type { TokenVerifierOptions } from './token-verifier.ts';

// Real: DevIssuer over HTTP on 127.0.0.1, jose signing and verification, global fetch.

async function rejection(promise: Promise<unknown>): Promise<TokenRejectedError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TokenRejectedError) return error;
    throw error;
  }
  throw new Error('expected the token to be rejected');
}

async function expectReason(
  promise: Promise<unknown>,
  reason: InvalidTokenReason,
): Promise<TokenRejectedError> {
  const error = await rejection(promise);
  expect(error.reason).toBe(reason);
  expect(error).toBeInstanceOf(InvalidTokenError);
  expect(error.code).toBe('invalid_token');
  return error;
}

/** A fetch that records every URL it is asked for, then really fetches it. */
function countingFetch(): { fetch: typeof fetch; jwksFetches: () => number; discoveryFetches: () => number } {
  const urls: string[] = [];
  const counted: typeof fetch = (input, init) => {
    urls.push(input instanceof Request ? input.url : String(input));
    return fetch(input, init);
  };
  return {
    fetch: counted,
    jwksFetches: () => urls.filter((url) => url.endsWith('/jwks.json')).length,
    discoveryFetches: () => urls.filter((url) => url.endsWith('/.well-known/openid-configuration')).length,
  };
}

const now = (): number => Math.floor(Date.now() / 1000);

describe('TokenVerifier', () => {
  const issuer = new DevIssuer({ audience: 'gatehouse' });
  let url: string;
  let verifier: TokenVerifier;
  const started: DevIssuer[] = [];

  function verifierFor(options: Partial<TokenVerifierOptions> = {}): TokenVerifier {
    return new TokenVerifier({ issuer: url, audience: 'gatehouse', ...options });
  }

  function claims(overrides: Record<string, unknown> = {}): JWTPayload {
    const t = now();
    return {
      iss: url,
      aud: 'gatehouse',
      sub: 'ci-bot',
      jti: 'tok-1',
      iat: t,
      nbf: t,
      exp: t + 300,
      ...overrides,
    };
  }

  async function startIssuer(options: ConstructorParameters<typeof DevIssuer>[0] = {}): Promise<DevIssuer> {
    const other = new DevIssuer(options);
    started.push(other);
    await other.start();
    return other;
  }

  beforeAll(async () => {
    ({ url } = await issuer.start());
    verifier = verifierFor();
  });

  afterAll(async () => {
    await issuer.stop();
    await Promise.all(started.map((other) => other.stop()));
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('TokenVerifier - a minted token yields its subject, groups, issuer, id and times', async () => {
    const token = await issuer.mintToken({
      sub: 'ci-bot',
      groups: ['pipelines', 'approvers'],
      ttlSeconds: 600,
    });
    const identity = await verifier.verify(token);
    const payload = decodeJwt(token);
    expect(identity).toEqual({
      subject: 'ci-bot',
      groups: ['pipelines', 'approvers'],
      issuer: url,
      tokenId: payload.jti,
      expiresAt: new Date((payload.exp ?? 0) * 1000),
      issuedAt: new Date((payload.iat ?? 0) * 1000),
    });
    expect(identity.tokenId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(identity.expiresAt.getTime() - identity.issuedAt.getTime()).toBe(600_000);
  });

  it('TokenVerifier - a single string groups claim becomes one group, a missing one none', async () => {
    expect((await verifier.verify(await issuer.signClaims(claims({ groups: 'auditors' })))).groups).toEqual([
      'auditors',
    ]);
    expect((await verifier.verify(await issuer.signClaims(claims()))).groups).toEqual([]);
  });

  it('TokenVerifier - rejects a groups claim that is not strings as malformed', async () => {
    await expectReason(verifier.verify(await issuer.signClaims(claims({ groups: [1, 2] }))), 'malformed');
    await expectReason(verifier.verify(await issuer.signClaims(claims({ groups: { a: 1 } }))), 'malformed');
  });

  it('TokenVerifier - reads groups from a dotted path and from a namespaced claim name', async () => {
    const keycloak = verifierFor({ groupsClaim: 'realm_access.roles' });
    const token = await issuer.signClaims(claims({ realm_access: { roles: ['pipelines', 'auditors'] } }));
    expect((await keycloak.verify(token)).groups).toEqual(['pipelines', 'auditors']);
    expect((await keycloak.verify(await issuer.signClaims(claims()))).groups).toEqual([]);

    const auth0 = verifierFor({ groupsClaim: 'https://gatehouse.example/groups' });
    const namespaced = await issuer.signClaims(claims({ 'https://gatehouse.example/groups': ['approvers'] }));
    expect((await auth0.verify(namespaced)).groups).toEqual(['approvers']);
  });

  it('TokenVerifier - rejects an expired token', async () => {
    const token = await issuer.signClaims(claims({ iat: now() - 600, nbf: now() - 600, exp: now() - 120 }));
    const error = await expectReason(verifier.verify(token), 'expired');
    expect(error.cause).toBeInstanceOf(Error);
    expect((error.cause as Error).name).toBe('JWTExpired');
  });

  it('TokenVerifier - accepts a token expired within the clock tolerance', async () => {
    const token = await issuer.signClaims(claims({ iat: now() - 300, nbf: now() - 300, exp: now() - 10 }));
    expect((await verifier.verify(token)).subject).toBe('ci-bot');
    await expectReason(verifierFor({ clockToleranceSeconds: 0 }).verify(token), 'expired');
  });

  it('TokenVerifier - rejects a token whose nbf or iat is in the future', async () => {
    await expectReason(
      verifier.verify(await issuer.signClaims(claims({ nbf: now() + 300 }))),
      'not_yet_valid',
    );
    const futureIat = await issuer.signClaims(claims({ iat: now() + 300, nbf: undefined, exp: now() + 600 }));
    await expectReason(verifier.verify(futureIat), 'not_yet_valid');
  });

  it('TokenVerifier - rejects a token from another issuer', async () => {
    const error = await expectReason(
      verifier.verify(await issuer.signClaims(claims({ iss: 'https://evil.example' }))),
      'wrong_issuer',
    );
    expect((error.cause as Error).name).toBe('JWTClaimValidationFailed');
  });

  it('TokenVerifier - rejects a token for another audience', async () => {
    const token = await issuer.mintToken({ sub: 'ci-bot', audience: 'someone-else' });
    await expectReason(verifier.verify(token), 'wrong_audience');
  });

  it('TokenVerifier - rejects a token whose payload was altered after signing', async () => {
    const token = await issuer.mintToken({ sub: 'ci-bot', groups: ['pipelines'] });
    const [header, payload, signature] = token.split('.');
    const claimsSet = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as JWTPayload;
    const forged = Buffer.from(JSON.stringify({ ...claimsSet, groups: ['approvers'] })).toString('base64url');
    const tampered = `${header}.${forged}.${signature}`;
    const error = await expectReason(verifier.verify(tampered), 'bad_signature');
    expect(error.message).not.toContain(tampered);
    expect(error.message).not.toContain(signature);
  });

  it('TokenVerifier - rejects a token signed by a key the issuer does not publish', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const unknownKid = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'ES256', kid: 'attacker-key' })
      .sign(privateKey);
    await expectReason(verifier.verify(unknownKid), 'unknown_key');

    // Same kid as the issuer's key, but signed by another private key.
    const borrowedKid = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'ES256', kid: issuer.currentKeyId })
      .sign(privateKey);
    await expectReason(verifier.verify(borrowedKid), 'bad_signature');
  });

  it('TokenVerifier - rejects an alg none token without fetching keys', async () => {
    const fresh = countingFetch();
    const cold = verifierFor({ fetch: fresh.fetch });
    const unsecured = new UnsecuredJWT(claims()).encode();
    expect(unsecured.endsWith('.')).toBe(true);
    await expectReason(cold.verify(unsecured), 'alg_not_allowed');
    expect(fresh.jwksFetches() + fresh.discoveryFetches()).toBe(0);
  });

  it('TokenVerifier - rejects HS256 signed with the public key bytes, even when HS256 is configured', async () => {
    const { keys } = (await (await fetch(`${url}/jwks.json`)).json()) as { keys: JWK[] };
    const publicJwk = keys[0] as JWK;
    const spki = await exportSPKI((await importJWK(publicJwk, 'ES256', { extractable: true })) as CryptoKey);
    const secrets = [new TextEncoder().encode(spki), new TextEncoder().encode(JSON.stringify(publicJwk))];
    const confused = verifierFor({ algorithms: ['ES256', 'HS256'] });
    for (const secret of secrets) {
      const token = await new SignJWT(claims())
        .setProtectedHeader({ alg: 'HS256', kid: publicJwk.kid })
        .sign(secret);
      await expectReason(verifier.verify(token), 'alg_not_allowed');
      await expectReason(confused.verify(token), 'alg_not_allowed');
    }
  });

  it('TokenVerifier - rejects a valid signature whose algorithm is outside its allow-list', async () => {
    const rsaOnly = verifierFor({ algorithms: ['RS256'] });
    await expectReason(rsaOnly.verify(await issuer.mintToken({ sub: 'ci-bot' })), 'alg_not_allowed');
  });

  it('TokenVerifier - rejects a token living longer than the maximum lifetime', async () => {
    const long = await issuer.signClaims(claims({ exp: now() + 7200 }));
    const error = await expectReason(verifier.verify(long), 'lifetime_too_long');
    expect(error.message).toBe(
      'invalid token (lifetime_too_long): token lifetime 7200s exceeds the maximum of 3600s',
    );
    const strict = verifierFor({ maxTokenLifetimeSeconds: 300 });
    await expectReason(
      strict.verify(await issuer.mintToken({ sub: 'ci-bot', ttlSeconds: 301 })),
      'lifetime_too_long',
    );
    expect((await strict.verify(await issuer.mintToken({ sub: 'ci-bot', ttlSeconds: 300 }))).subject).toBe(
      'ci-bot',
    );
  });

  it('TokenVerifier - requires sub, jti, exp and iat', async () => {
    for (const claim of ['sub', 'jti', 'exp', 'iat'] as const) {
      const token = await issuer.signClaims(claims({ [claim]: undefined }));
      const error = await expectReason(verifier.verify(token), 'missing_claim');
      expect(error.message).toContain(`"${claim}"`);
    }
    await expectReason(verifier.verify(await issuer.signClaims(claims({ sub: '' }))), 'malformed');
    await expectReason(verifier.verify(await issuer.signClaims(claims({ jti: 42 }))), 'malformed');
    await expectReason(verifier.verify(await issuer.signClaims(claims({ exp: 'soon' }))), 'malformed');
  });

  it('TokenVerifier - rejects garbage strings as malformed', async () => {
    const garbage = [
      '',
      'not-a-token',
      'a.b',
      'a.b.c',
      'a.b.c.d.e',
      '....',
      'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.!!!',
      `${Buffer.from('{"alg":"ES256"').toString('base64url')}.e30.c2ln`,
      'Bearer abc',
      '\u0000\u0001',
      '🔑.🔑.🔑',
    ];
    for (const token of garbage) {
      await expectReason(verifier.verify(token), 'malformed');
    }
    await expectReason(verifier.verify(undefined as unknown as string), 'malformed');
  });

  it('TokenVerifier - rejects a 20 KB junk token as malformed before any key fetch', async () => {
    const fresh = countingFetch();
    const cold = verifierFor({ fetch: fresh.fetch });
    const junk = 'x'.repeat(20 * 1024);
    const shaped = `${Buffer.from('{"alg":"ES256","kid":"k"}').toString('base64url')}.${'A'.repeat(20 * 1024)}.c2ln`;
    const error = await expectReason(cold.verify(junk), 'malformed');
    expect(error.message).toBe('invalid token (malformed): token longer than 16384 characters');
    await expectReason(cold.verify(shaped), 'malformed');
    expect(fresh.jwksFetches() + fresh.discoveryFetches()).toBe(0);
  });

  it('TokenVerifier - fails closed with jwks_unavailable when the issuer is down', async () => {
    const gone = await startIssuer();
    const token = await gone.mintToken({ sub: 'ci-bot' });
    const goneUrl = gone.issuer;
    await gone.stop();
    const down = new TokenVerifier({ issuer: goneUrl, audience: 'gatehouse' });
    const error = await expectReason(down.verify(token), 'jwks_unavailable');
    expect(error.cause).toBeInstanceOf(Error);
    // A second attempt right after fails the same way (no silent fallback).
    await expectReason(down.verify(token), 'jwks_unavailable');
  });

  it('TokenVerifier - rejects keys from a discovery document naming another issuer', async () => {
    const impostor = new DevIssuer({ issuerUrl: 'https://login.example.test' });
    started.push(impostor);
    const { url: listening } = await impostor.start();
    const token = await impostor.signClaims(claims({ iss: listening }));
    const counting = countingFetch();
    const trusting = new TokenVerifier({ issuer: listening, audience: 'gatehouse', fetch: counting.fetch });
    const error = await expectReason(trusting.verify(token), 'jwks_unavailable');
    expect(error.message).toBe(
      `invalid token (jwks_unavailable): issuer key set unavailable: discovery document names issuer "https://login.example.test", expected "${listening}"`,
    );
    expect(counting.discoveryFetches()).toBe(1);
    expect(counting.jwksFetches()).toBe(0);
  });

  it('TokenVerifier - refreshes the key set once for a rotated key and keeps old tokens valid', async () => {
    const rotating = await startIssuer();
    const counting = countingFetch();
    const rotatingVerifier = new TokenVerifier({
      issuer: rotating.issuer,
      audience: 'gatehouse',
      fetch: counting.fetch,
    });
    const before = await rotating.mintToken({ sub: 'ci-bot' });
    await rotatingVerifier.verify(before);
    expect(counting.jwksFetches()).toBe(1);

    const oldKid = rotating.currentKeyId;
    const { kid } = await rotating.rotateKey();
    expect(kid).not.toBe(oldKid);
    const after = await rotating.mintToken({ sub: 'ci-bot' });
    expect((await rotatingVerifier.verify(after)).subject).toBe('ci-bot');
    expect(counting.jwksFetches()).toBe(2);
    expect((await rotatingVerifier.verify(before)).subject).toBe('ci-bot');
    expect(counting.jwksFetches()).toBe(2);
    expect(counting.discoveryFetches()).toBe(1);
  });

  it('TokenVerifier - concurrent verifications with an unknown kid share one JWKS fetch', async () => {
    const rotating = await startIssuer();
    const counting = countingFetch();
    const shared = new TokenVerifier({
      issuer: rotating.issuer,
      audience: 'gatehouse',
      fetch: counting.fetch,
    });
    const first = await rotating.mintToken({ sub: 'ci-bot' });
    const cold = await Promise.all(Array.from({ length: 20 }, () => shared.verify(first)));
    expect(cold.map((identity) => identity.subject)).toEqual(Array(20).fill('ci-bot'));
    expect(counting.discoveryFetches()).toBe(1);
    expect(counting.jwksFetches()).toBe(1);

    await rotating.rotateKey();
    const tokens = await Promise.all(
      Array.from({ length: 50 }, (_, i) => rotating.mintToken({ sub: `agent-${i}` })),
    );
    const identities = await Promise.all(tokens.map((token) => shared.verify(token)));
    expect(identities.map((identity) => identity.subject)).toEqual(tokens.map((_, i) => `agent-${i}`));
    expect(counting.jwksFetches()).toBe(2);
    expect(shared.jwksFetchCount).toBe(2);
  });

  it('TokenVerifier - a second unknown kid within the refresh interval does not refetch', async () => {
    const rotating = await startIssuer();
    const counting = countingFetch();
    const limited = new TokenVerifier({
      issuer: rotating.issuer,
      audience: 'gatehouse',
      fetch: counting.fetch,
      jwksRefreshMinIntervalMs: 60_000,
    });
    await limited.verify(await rotating.mintToken({ sub: 'ci-bot' }));
    await rotating.rotateKey();
    await limited.verify(await rotating.mintToken({ sub: 'ci-bot' }));
    expect(counting.jwksFetches()).toBe(2);

    await rotating.rotateKey();
    const third = await rotating.mintToken({ sub: 'ci-bot' });
    await expectReason(limited.verify(third), 'unknown_key');
    const { privateKey } = await generateKeyPair('ES256');
    const random = await new SignJWT(claims({ iss: rotating.issuer }))
      .setProtectedHeader({ alg: 'ES256', kid: 'random' })
      .sign(privateKey);
    await expectReason(limited.verify(random), 'unknown_key');
    expect(counting.jwksFetches()).toBe(2);
  });

  it('TokenVerifier - caches verified tokens by digest until they expire', async () => {
    const cached = verifierFor({ cacheMaxEntries: 2 });
    const token = await issuer.mintToken({ sub: 'ci-bot', groups: ['pipelines'], ttlSeconds: 60 });
    const first = await cached.verify(token);
    expect(cached.cacheSize).toBe(1);
    first.groups.push('approvers');
    expect(await cached.verify(token)).toEqual({ ...first, groups: ['pipelines'] });
    expect(cached.cacheSize).toBe(1);

    const altered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BA' : 'AA'}`;
    await expectReason(cached.verify(altered), 'bad_signature');
    expect(cached.cacheSize).toBe(1);

    for (const sub of ['a', 'b', 'c']) await cached.verify(await issuer.mintToken({ sub }));
    expect(cached.cacheSize).toBe(2);

    // Past exp (and the tolerance) the entry is gone and full verification says expired.
    const again = await issuer.mintToken({ sub: 'ci-bot', ttlSeconds: 60 });
    await cached.verify(again);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 120_000);
    await expectReason(cached.verify(again), 'expired');
  });

  it('TokenVerifier - refuses configurations that allow no asymmetric algorithm', () => {
    expect(() => verifierFor({ algorithms: ['HS256', 'none'] })).toThrow(
      'no asymmetric JWS algorithm is allowed',
    );
    expect(() => verifierFor({ algorithms: ['ES256', 'XS999'] })).toThrow(
      'unsupported JWS algorithm "XS999"',
    );
  });
});
