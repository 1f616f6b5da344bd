import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { DependencyUnavailableError } from '@gatehouse/errors';

/**
 * Client side of SCRAM-SHA-256 (RFC 5802, RFC 7677) as PostgreSQL uses it
 * (https://www.postgresql.org/docs/current/sasl-authentication.html). Hand-written because it is
 * ~60 lines over node:crypto and node-postgres keeps its copy internal; the server signature is
 * verified, so a fake upstream cannot complete the exchange.
 */
export class ScramSha256Client {
  readonly #nonce = randomBytes(18).toString('base64');
  #expectedServerSignature: Buffer | undefined;

  constructor(private readonly password: string) {}

  /** client-first-message (PostgreSQL ignores the user name here: it uses the startup user). */
  firstMessage(): string {
    return `n,,n=*,r=${this.#nonce}`;
  }

  /** Answers server-first-message with client-final-message. */
  finalMessage(serverFirst: string): string {
    const attributes = parseAttributes(serverFirst);
    const serverNonce = attributes.get('r');
    const salt = attributes.get('s');
    const iterations = Number(attributes.get('i'));
    if (!serverNonce?.startsWith(this.#nonce) || serverNonce.length === this.#nonce.length) {
      throw upstreamAuthError('SCRAM server nonce does not extend the client nonce');
    }
    if (!salt || !Number.isInteger(iterations) || iterations < 1)
      throw upstreamAuthError('malformed SCRAM server-first-message');
    const saltedPassword = pbkdf2Sync(
      saslPrep(this.password),
      Buffer.from(salt, 'base64'),
      iterations,
      32,
      'sha256',
    );
    const clientKey = hmac(saltedPassword, 'Client Key');
    const storedKey = createHash('sha256').update(clientKey).digest();
    const withoutProof = `c=biws,r=${serverNonce}`;
    const authMessage = `n=*,r=${this.#nonce},${serverFirst},${withoutProof}`;
    const clientSignature = hmac(storedKey, authMessage);
    const proof = Buffer.alloc(clientKey.length);
    for (let i = 0; i < clientKey.length; i++) proof[i] = clientKey[i]! ^ clientSignature[i]!;
    this.#expectedServerSignature = hmac(hmac(saltedPassword, 'Server Key'), authMessage);
    return `${withoutProof},p=${proof.toString('base64')}`;
  }

  /** Checks server-final-message; throws unless the server proved it knows the password. */
  verifyServerFinal(serverFinal: string): void {
    const signature = parseAttributes(serverFinal).get('v');
    const expected = this.#expectedServerSignature;
    const received = signature ? Buffer.from(signature, 'base64') : Buffer.alloc(0);
    if (!expected || received.length !== expected.length || !timingSafeEqual(received, expected)) {
      throw upstreamAuthError('SCRAM server signature does not match');
    }
  }
}

function hmac(key: Buffer, text: string): Buffer {
  return createHmac('sha256', key).update(text).digest();
}

function parseAttributes(message: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const part of message.split(',')) {
    const equals = part.indexOf('=');
    if (equals === 1) attributes.set(part[0]!, part.slice(2));
  }
  return attributes;
}

/**
 * SASLprep (RFC 4013) reduced to what matters for passwords PostgreSQL accepts: map non-ASCII
 * spaces to space, drop "mapped to nothing" characters, NFKC-normalize. PostgreSQL itself falls
 * back to the raw bytes when a password is not valid SASLprep input, and so does this.
 */
export function saslPrep(password: string): string {
  if (/^[\x20-\x7e]*$/.test(password)) return password;
  let mapped = '';
  for (const char of password) {
    const code = char.codePointAt(0)!;
    if (nonAsciiSpaces.has(code)) mapped += ' ';
    else if (!mappedToNothing.has(code) && !(code >= 0xfe00 && code <= 0xfe0f)) mapped += char;
  }
  mapped = mapped.normalize('NFKC');
  // Prohibited output (control characters, private use, surrogates): keep raw, like PostgreSQL.
  for (const char of mapped) {
    const code = char.codePointAt(0)!;
    if (
      code < 0x20 ||
      (code >= 0x7f && code <= 0x9f) ||
      (code >= 0xe000 && code <= 0xf8ff) ||
      (code >= 0xd800 && code <= 0xdfff)
    ) {
      return password;
    }
  }
  return mapped;
}

// RFC 3454 tables C.1.2 (non-ASCII space) and B.1 (commonly mapped to nothing), as code points.
const nonAsciiSpaces = new Set([
  0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a,
  0x200b, 0x202f, 0x205f, 0x3000,
]);
const mappedToNothing = new Set([
  0xad, 0x34f, 0x1806, 0x180b, 0x180c, 0x180d, 0x200c, 0x200d, 0x2060, 0xfeff,
]);

function upstreamAuthError(message: string): DependencyUnavailableError {
  return new DependencyUnavailableError(`upstream authentication failed: ${message}`, 'upstream');
}
