import { describe, expect, it } from 'vitest';
import { builtInProfiles, compileProfile, detectEntities } from '../index.ts';
import { hasJoseHeader, isJwt } from './jwt.ts';
import { looksRandom, shannonEntropy } from './shannon-entropy.ts';
import { isVendorSecret } from './vendor-secret.ts';

const profile = compileProfile(builtInProfiles.strict);
const secrets = (text: string, column?: string): string[] =>
  detectEntities(text, profile, column === undefined ? undefined : { name: column })
    .filter((f) => f.entity === 'secret')
    .map((f) => text.slice(f.start, f.end));
const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
const JWT = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: '1234567890' })}.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U`;

describe('secrets', () => {
  it('secret - recognises vendor key prefixes', () => {
    for (const key of [
      'AKIAIOSFODNN7EXAMPLE',
      'ASIAY34FZKBOKMUTVV7A',
      'ghp_16C7e42F292c6912E7710c838347Ae178B4a',
      'gho_16C7e42F292c6912E7710c838347Ae178B4a',
      `github_pat_11ABCDEFG0123456789abc_${'x1'.repeat(30)}`,
      'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx',
      'sk_live_4eC39HqLyjWDarjtT1zdp7dc',
      'rk_live_4eC39HqLyjWDarjtT1zdp7dc',
      'AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe',
      'sk-proj-Ab3dEf9hIj2lMn0pQr7tUv5xYz1bC4eF',
      `sk-ant-api03-${'Q2x7Lm9Pz4Rk1Vb8Nw3Ht6Yc5Jd0Fs_'.repeat(3)}AA`,
    ]) {
      expect(isVendorSecret(key), key).toBe(true);
      expect(secrets(`key=${key};`), key).toEqual([key]);
    }
  });

  it('secret - an sk- slug is not an OpenAI key', () => {
    expect(isVendorSecret('sk-learn-tutorial-notes-part-two')).toBe(false);
    expect(secrets('see sk-learn-tutorial-notes-part-two')).toEqual([]);
  });

  it('secret - a JWT needs three base64url parts and a JSON header with alg', () => {
    expect(hasJoseHeader(JWT)).toBe(true);
    expect(isJwt(JWT)).toBe(true);
    const noAlg = `${b64({ typ: 'JWT' })}.${b64({ sub: 'x' })}.c2ln`;
    expect(isJwt(noAlg)).toBe(false);
    expect(secrets(`Authorization: Bearer ${JWT}`)).toEqual([JWT]);
    expect(secrets(`token ${noAlg} seen`)).toEqual([]);
  });

  it('secret - masks a PEM private key block, to the end of the text when unterminated', () => {
    const block = '-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nAAAA\n-----END RSA PRIVATE KEY-----';
    expect(secrets(`key:\n${block}\ndone`)).toEqual([block]);
    expect(secrets('-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA')).toEqual([
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA',
    ]);
    expect(secrets('-----BEGIN PUBLIC KEY-----\nMIIBIjAN\n-----END PUBLIC KEY-----')).toEqual([]);
  });

  it('secret - Shannon entropy separates random tokens from words and hashes need a hint', () => {
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
    expect(looksRandom('9f86d081884c7d659a2feaa0c55ad015')).toBe(true);
    expect(looksRandom('pending_verification')).toBe(false);
    expect(looksRandom('2024-05-17-2024-05-17')).toBe(false);
    const hex = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
    expect(secrets(hex, 'api_token')).toEqual([hex]);
    expect(secrets(hex, 'file_sha256')).toEqual([]);
    expect(secrets(`sha256 ${hex}`)).toEqual([]);
    expect(secrets('revoked', 'api_token')).toEqual([]);
  });

  it('secret - the value after a password label or inside a URL is a secret', () => {
    expect(secrets('login ok password=hunter22 user=7')).toEqual(['hunter22']);
    expect(secrets('"api_key": "Zx81kQp02LmNd7Ws4Rt6Yb"')).toEqual(['Zx81kQp02LmNd7Ws4Rt6Yb']);
    expect(secrets('token: expired')).toEqual([]);
    expect(secrets('password=[REDACTED] password=****')).toEqual([]);
    expect(secrets('DATABASE_URL=postgres://app:S3cr3tP4ss@db.internal:5432/app')).toEqual(['S3cr3tP4ss']);
  });
});
