import { LedgerApiError } from './failures.ts';
import type {
  CheckpointView,
  ConsistencyProofView,
  EntriesPage,
  EntryView,
  InclusionProofView,
} from './ledger-api.ts';

/** The `fetch` the client uses (the global one by default; injectable for tests). */
export type FetchFunction = (url: string, init: { headers: Record<string, string> }) => Promise<Response>;

/** Where the ledger's auditor API is and how to authenticate to it. */
export interface LedgerClientOptions {
  /** Base URL, e.g. `http://127.0.0.1:8082`. */
  readonly baseUrl: string;
  /** OIDC access token of a member of the auditors group. */
  readonly token: string;
  readonly fetch?: FetchFunction;
}

const HEX_HASH = /^[0-9a-f]{64}$/;

function fail(path: string, what: string): never {
  throw new LedgerApiError(`${path}: the ledger answered an unexpected body (${what})`);
}

function object(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'not an object');
  return value as Record<string, unknown>;
}

function integer(value: unknown, path: string, name: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) fail(path, `${name} is not an integer`);
  return value as number;
}

function text(value: unknown, path: string, name: string): string {
  if (typeof value !== 'string') fail(path, `${name} is not a string`);
  return value;
}

function hashHex(value: unknown, path: string, name: string): string {
  if (typeof value !== 'string' || !HEX_HASH.test(value)) fail(path, `${name} is not a hex hash`);
  return value;
}

function hashList(value: unknown, path: string, name: string): string[] {
  if (!Array.isArray(value)) fail(path, `${name} is not an array`);
  return value.map((item) => hashHex(item, path, name));
}

function checkpoint(value: unknown, path: string): CheckpointView {
  const body = object(value, path);
  return {
    origin: text(body['origin'], path, 'origin'),
    size: integer(body['size'], path, 'size'),
    root: hashHex(body['root'], path, 'root'),
    note: text(body['note'], path, 'note'),
    jws: text(body['jws'], path, 'jws'),
    signedAt: text(body['signedAt'], path, 'signedAt'),
  };
}

function entry(value: unknown, path: string): EntryView {
  const body = object(value, path);
  return {
    index: integer(body['index'], path, 'index'),
    recordId: text(body['recordId'], path, 'recordId'),
    leafHash: hashHex(body['leafHash'], path, 'leafHash'),
    kind: text(body['kind'], path, 'kind'),
    sessionId: text(body['sessionId'], path, 'sessionId'),
    sessionSeq: integer(body['sessionSeq'], path, 'sessionSeq'),
    time: text(body['time'], path, 'time'),
    record: body['record'],
    canonical: text(body['canonical'], path, 'canonical'),
  };
}

/**
 * A small client for the parts of the auditor API that verification reads. Every answer is
 * checked for shape before use; a non-2xx answer or a malformed body is a LedgerApiError.
 */
export class LedgerClient {
  readonly #baseUrl: string;
  readonly #token: string;
  readonly #fetch: FetchFunction;

  constructor(options: LedgerClientOptions) {
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#token = options.token;
    this.#fetch = options.fetch ?? ((url, init) => fetch(url, init));
  }

  /** GET /v1/checkpoint: the latest signed checkpoint. */
  async checkpoint(): Promise<CheckpointView> {
    return checkpoint(await this.#get('/v1/checkpoint'), '/v1/checkpoint');
  }

  /** GET /v1/entries?start&end: entries [start, end). */
  async entries(start: number, end: number): Promise<EntriesPage> {
    const path = `/v1/entries?start=${start}&end=${end}`;
    const body = object(await this.#get(path), path);
    const entries = body['entries'];
    if (!Array.isArray(entries)) fail(path, 'entries is not an array');
    return { size: integer(body['size'], path, 'size'), entries: entries.map((item) => entry(item, path)) };
  }

  /** GET /v1/proof/consistency?from&to. */
  async consistency(from: number, to: number): Promise<ConsistencyProofView> {
    const path = `/v1/proof/consistency?from=${from}&to=${to}`;
    const body = object(await this.#get(path), path);
    return {
      from: integer(body['from'], path, 'from'),
      to: integer(body['to'], path, 'to'),
      proof: hashList(body['proof'], path, 'proof'),
      fromRoot: hashHex(body['fromRoot'], path, 'fromRoot'),
      toRoot: hashHex(body['toRoot'], path, 'toRoot'),
    };
  }

  /** GET /v1/proof/inclusion?index&size. */
  async inclusion(index: number, size: number): Promise<InclusionProofView> {
    const path = `/v1/proof/inclusion?index=${index}&size=${size}`;
    const body = object(await this.#get(path), path);
    return {
      index: integer(body['index'], path, 'index'),
      size: integer(body['size'], path, 'size'),
      leafHash: hashHex(body['leafHash'], path, 'leafHash'),
      proof: hashList(body['proof'], path, 'proof'),
      root: hashHex(body['root'], path, 'root'),
      checkpoint: body['checkpoint'] === null ? null : checkpoint(body['checkpoint'], path),
    };
  }

  async #get(path: string): Promise<unknown> {
    let response: Response;
    try {
      response = await this.#fetch(`${this.#baseUrl}${path}`, {
        headers: { authorization: `Bearer ${this.#token}`, accept: 'application/json' },
      });
    } catch (cause) {
      throw new LedgerApiError(`${path}: the ledger API at ${this.#baseUrl} is unreachable`, undefined, {
        cause,
      });
    }
    if (!response.ok) {
      const detail = await response.text().catch(() => '');
      throw new LedgerApiError(
        `${path}: the ledger answered ${response.status} ${detail.slice(0, 200)}`,
        response.status,
      );
    }
    try {
      return await response.json();
    } catch (cause) {
      throw new LedgerApiError(`${path}: the ledger answered a body that is not JSON`, response.status, {
        cause,
      });
    }
  }
}
