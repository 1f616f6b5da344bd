// The dev issuer runs on bare node:http rather than a framework: it serves three fixed routes,
// starts in milliseconds inside every test, and adds no dependency to a library the edges import.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidMessageError } from '@gatehouse/errors';
import { SignJWT } from 'jose';
import type { JWTPayload } from 'jose';
import { SigningKeyRing } from './signing-key-ring.ts';
import type { DevSigningAlgorithm } from './signing-key-ring.ts';
import { parseTokenRequest } from './token-request.ts';
import type { TokenRequest } from './token-request.ts';

/** Settings of a {@link DevIssuer}. */
export interface DevIssuerOptions {
  /** Interface to listen on (default `127.0.0.1`: minting is unauthenticated, keep it local). */
  host?: string;
  /** Port to listen on; 0 picks a free one (default 0). */
  port?: number;
  /** `iss` and base of advertised URLs (default `http://<host>:<port>` once listening). */
  issuerUrl?: string;
  /** Default `aud` of minted tokens (default `gatehouse`). */
  audience?: string;
  /** JWK Set file holding the private keys; created on first start, reused after (default: keys in memory only). */
  keyFile?: string;
  /** Longest TTL a caller may ask for, in seconds (default 3600). */
  maxTtlSeconds?: number;
  /** TTL when the caller asks for none, in seconds (default 600, capped at `maxTtlSeconds`). */
  defaultTtlSeconds?: number;
  /** Signing algorithm of generated keys (default `ES256`). */
  algorithm?: DevSigningAlgorithm;
}

/** Body of a successful `POST /token` (RFC 6749 §5.1). */
export interface TokenResponse {
  /** The signed JWT. */
  access_token: string;
  /** Always `Bearer`. */
  token_type: 'Bearer';
  /** Lifetime in seconds. */
  expires_in: number;
}

const maxBodyBytes = 16 * 1024;

/**
 * A minimal OpenID Connect issuer for the local stack and tests. Serves
 * `GET /.well-known/openid-configuration`, `GET /jwks.json` and `POST /token`, and mints signed
 * access tokens for any subject asked for. Never expose it beyond loopback: it authenticates no one.
 */
export class DevIssuer {
  readonly #host: string;
  readonly #port: number;
  readonly #audience: string;
  readonly #maxTtl: number;
  readonly #defaultTtl: number;
  readonly #algorithm: DevSigningAlgorithm;
  readonly #keyFile: string | undefined;
  #issuerUrl: string | undefined;
  #url: string | undefined;
  #keys: SigningKeyRing | undefined;
  #server: Server | undefined;

  constructor(options: DevIssuerOptions = {}) {
    this.#host = options.host ?? '127.0.0.1';
    this.#port = options.port ?? 0;
    this.#audience = options.audience ?? 'gatehouse';
    this.#maxTtl = options.maxTtlSeconds ?? 3600;
    this.#defaultTtl = Math.min(options.defaultTtlSeconds ?? 600, this.#maxTtl);
    this.#algorithm = options.algorithm ?? 'ES256';
    this.#keyFile = options.keyFile;
    this.#issuerUrl = options.issuerUrl?.replace(/\/+$/, '');
    if (!Number.isInteger(this.#maxTtl) || this.#maxTtl < 1) {
      throw new RangeError(`maxTtlSeconds must be a positive integer, got ${this.#maxTtl}`);
    }
  }

  /** The issuer (`iss`) of minted tokens. Known once started, or from the `issuerUrl` option. */
  get issuer(): string {
    const issuer = this.#issuerUrl ?? this.#url;
    if (issuer === undefined) throw new Error('dev issuer is not started');
    return issuer;
  }

  /** Default audience (`aud`) of minted tokens. */
  get audience(): string {
    return this.#audience;
  }

  /** Key id new tokens are signed with. */
  get currentKeyId(): string {
    return this.#ring().current.kid;
  }

  /** Loads or generates the signing key and starts listening. Returns the URL it listens on. */
  async start(): Promise<{ url: string }> {
    if (this.#server !== undefined) throw new Error('dev issuer is already started');
    this.#keys ??= await SigningKeyRing.open(
      this.#keyFile === undefined
        ? { algorithm: this.#algorithm }
        : { algorithm: this.#algorithm, keyFile: this.#keyFile },
    );
    const server = createServer((request, response) => {
      this.#handle(request, response).catch(() => {
        if (!response.headersSent) sendJson(response, 500, { error: 'server_error' });
        else response.destroy();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, this.#host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.#server = server;
    const { address, port } = server.address() as AddressInfo;
    this.#url = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
    return { url: this.#url };
  }

  /** Stops listening and closes open connections. Safe to call when not started. */
  async stop(): Promise<void> {
    const server = this.#server;
    if (server === undefined) return;
    this.#server = undefined;
    this.#url = undefined;
    await new Promise<void>((resolve, reject) => {
      server.close((error) => (error === undefined ? resolve() : reject(error)));
      // Keep-alive sockets of clients (fetch pools them) would otherwise hold close() open.
      server.closeAllConnections();
    });
  }

  /**
   * Mints a signed access token, as `POST /token` does.
   * @throws InvalidMessageError when the request is invalid (e.g. TTL over the maximum).
   */
  async mintToken(request: TokenRequest): Promise<string> {
    return (await this.#issue(parseTokenRequest(request, this.#maxTtl))).access_token;
  }

  /**
   * For tests: signs `claims` verbatim with the current key (header `alg`, `kid` and
   * `typ: at+jwt` per RFC 9068 §2.1; nothing else added or checked), to produce tokens a real issuer would not, e.g. without `jti`.
   */
  async signClaims(claims: JWTPayload): Promise<string> {
    const key = this.#ring().current;
    return new SignJWT(claims)
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt' })
      .sign(key.privateKey);
  }

  /**
   * Generates a new signing key: new tokens carry its `kid`, and the JWKS publishes it next to
   * the previous key so tokens minted before keep verifying. Saved to `keyFile` when configured.
   */
  async rotateKey(): Promise<{ kid: string }> {
    const key = await this.#ring().rotate();
    return { kid: key.kid };
  }

  #ring(): SigningKeyRing {
    if (this.#keys === undefined) throw new Error('dev issuer is not started');
    return this.#keys;
  }

  async #issue(request: TokenRequest): Promise<TokenResponse> {
    const ttl = request.ttlSeconds ?? this.#defaultTtl;
    const now = Math.floor(Date.now() / 1000);
    const token = await this.signClaims({
      iss: this.issuer,
      aud: request.audience ?? this.#audience,
      sub: request.sub,
      groups: request.groups ?? [],
      iat: now,
      nbf: now,
      exp: now + ttl,
      jti: randomUUID(),
    });
    return { access_token: token, token_type: 'Bearer', expires_in: ttl };
  }

  #discoveryDocument(): Record<string, unknown> {
    const issuer = this.issuer;
    return {
      issuer,
      jwks_uri: `${issuer}/jwks.json`,
      token_endpoint: `${issuer}/token`,
      id_token_signing_alg_values_supported: [this.#ring().current.alg],
      // Required members of a provider configuration (OIDC Discovery 1.0 §3).
      response_types_supported: ['token'],
      subject_types_supported: ['public'],
    };
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const route = routes[path];
    if (route === undefined) {
      sendJson(response, 404, { error: 'not_found', error_description: 'no such endpoint' });
      return;
    }
    if (request.method !== route) {
      response.setHeader('allow', route);
      sendJson(response, 405, { error: 'method_not_allowed', error_description: `use ${route}` });
      return;
    }
    switch (path) {
      case '/.well-known/openid-configuration':
        sendJson(response, 200, this.#discoveryDocument());
        return;
      case '/jwks.json':
        sendJson(response, 200, this.#ring().publicKeySet());
        return;
      default:
        await this.#handleToken(request, response);
    }
  }

  async #handleToken(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    if (body === undefined) {
      response.setHeader('connection', 'close');
      sendJson(response, 413, {
        error: 'invalid_request',
        error_description: `body exceeds ${maxBodyBytes} bytes`,
      });
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      sendJson(response, 400, { error: 'invalid_request', error_description: 'body is not valid JSON' });
      return;
    }
    let tokenRequest: TokenRequest;
    try {
      tokenRequest = parseTokenRequest(parsed, this.#maxTtl);
    } catch (error) {
      if (!(error instanceof InvalidMessageError)) throw error;
      sendJson(response, 400, {
        error: 'invalid_request',
        error_description: error.problems.join('; '),
        problems: error.problems,
      });
      return;
    }
    sendJson(response, 200, await this.#issue(tokenRequest));
  }
}

const routes: Readonly<Record<string, 'GET' | 'POST'>> = {
  '/.well-known/openid-configuration': 'GET',
  '/jwks.json': 'GET',
  '/token': 'POST',
};

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    // Tokens and keys must not be cached by intermediaries (RFC 6749 §5.1); rotation is instant.
    'cache-control': 'no-store',
  });
  response.end(text);
}

// The body as text, or undefined when it exceeds maxBodyBytes (the rest is discarded).
async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) {
      request.resume();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
