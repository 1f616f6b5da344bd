// Medium tier: the auditor API over real HTTP (Fastify), backed by real PostgreSQL and a writer
// fed through real NATS JetStream; tokens from the dev OIDC issuer.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvidenceRecord } from '@gatehouse/contracts';
import { canonicalBytes } from '@gatehouse/evidence';
import {
  chainHash,
  verifyBundle,
  type CheckpointView,
  type ConsistencyProofView,
  type EntriesPage,
  type EntryWithProofView,
  type InclusionProofView,
  type KeysView,
  type SessionView,
} from '@gatehouse/ledger-verify';
import {
  hashLeaf,
  openCheckpoint,
  parseVerifierKey,
  rootOf,
  verifyCheckpointJws,
  verifyConsistency,
  verifyInclusion,
  type Hash,
  type JwsKey,
} from '@gatehouse/merkle';
import { importJWK } from 'jose';
import {
  evidenceRecords,
  publishRecords,
  startLedgerHarness,
  startLedgerReplica,
  waitFor,
  type LedgerHarness,
  type LedgerReplica,
} from '../ledger-harness.fixture.ts';
import { OPENAPI_DOCUMENT } from './openapi.controller.ts';

const BASE = Date.parse('2026-03-01T00:00:00.000Z');
const SIZE = 120;

let harness: LedgerHarness;
let replica: LedgerReplica;
let auditor: string;
let pipeline: string;
let verifierKey: string;
let records: EvidenceRecord[];
/** Leaf hashes in log order (the ledger's order, which concurrent publishing decides). */
let leaves: Hash[];

/** GET with the auditor's token by default; `null` sends none. */
async function get(path: string, token: string | null = auditor): Promise<Response> {
  return fetch(
    `${replica.url}${path}`,
    token === null ? {} : { headers: { authorization: `Bearer ${token}` } },
  );
}

async function json<T>(path: string): Promise<T> {
  const response = await get(path);
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

const unhex = (text: string) => Buffer.from(text, 'hex');

beforeAll(async () => {
  harness = await startLedgerHarness('ledger_api');
  replica = await startLedgerReplica(harness);
  await waitFor('leadership', () => replica.writer.isLeader);
  // One record a second of record time, so a time range selects a known set.
  records = evidenceRecords(6, 20, 'api', (position) => new Date(BASE + position * 1000));
  await publishRecords(harness, records);
  await waitFor(`checkpoint of ${SIZE}`, async () => {
    const response = await get(
      '/v1/checkpoint',
      await harness.issuer.mintToken({ sub: 'a', groups: ['auditors'] }),
    );
    return response.ok && ((await response.json()) as CheckpointView).size === SIZE;
  });
  auditor = await harness.issuer.mintToken({ sub: 'alice', groups: ['auditors'] });
  pipeline = await harness.issuer.mintToken({ sub: 'ci-bot', groups: ['pipelines'] });
  verifierKey = (await readFile(`${harness.keyFile}.pub`, 'utf8')).trim();
  const page = await json<EntriesPage>(`/v1/entries?start=0&end=${SIZE}`);
  leaves = page.entries.map((entry) => unhex(entry.leafHash));
});

afterAll(async () => {
  await replica.stop();
  await harness.stop();
});

describe('ledger auditor API (real HTTP)', () => {
  it('ledger - an auditor token is admitted, a non-auditor gets 403, no or a bad token 401', async () => {
    for (const path of [
      '/v1/checkpoint',
      '/v1/entries',
      '/v1/keys',
      '/v1/proof/consistency?from=1',
      '/v1/entries/0',
    ]) {
      expect((await get(path)).status, path).toBe(200);
      const forbidden = await get(path, pipeline);
      expect(forbidden.status, path).toBe(403);
      expect(forbidden.headers.get('www-authenticate')).toBe(
        'Bearer realm="gatehouse", error="insufficient_scope"',
      );
      expect(await forbidden.json()).toMatchObject({
        statusCode: 403,
        message: 'the auditors group is required',
      });
      const anonymous = await get(path, null);
      expect(anonymous.status, path).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="gatehouse"');
      expect(await anonymous.json()).toMatchObject({
        statusCode: 401,
        message: 'a bearer token is required',
      });
      const forged = await get(path, `${auditor}x`);
      expect(forged.status, path).toBe(401);
      expect(forged.headers.get('www-authenticate')).toBe('Bearer realm="gatehouse", error="invalid_token"');
    }
  });

  it('ledger - serves the committed OpenAPI document without a token', async () => {
    const response = await get('/v1/openapi.yaml', null);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/yaml');
    expect(await response.text()).toBe(OPENAPI_DOCUMENT);
  });

  it('ledger - the latest checkpoint is signed by the published key, as a note and as a JWS', async () => {
    const keys = await json<KeysView>('/v1/keys');
    expect(keys.noteVerifierKey).toBe(verifierKey);
    const checkpoint = await json<CheckpointView>('/v1/checkpoint');
    const opened = openCheckpoint(checkpoint.note, parseVerifierKey(verifierKey), keys.origin);
    expect(opened).toEqual({
      origin: `gatehouse.dev/ledger/${harness.nats.prefix}`,
      size: SIZE,
      root: rootOf(leaves),
    });
    expect(checkpoint.root).toBe(Buffer.from(rootOf(leaves)).toString('hex'));
    const jwk = keys.jwks.keys[0]!;
    const fromJws = await verifyCheckpointJws(checkpoint.jws, (await importJWK(jwk, 'EdDSA')) as JwsKey);
    expect(fromJws).toEqual(opened);
    expect(await json<CheckpointView>(`/v1/checkpoints/${SIZE}`)).toEqual(checkpoint);
  });

  it('ledger - entries carry the exact bytes they were hashed from', async () => {
    const page = await json<EntriesPage>('/v1/entries?start=10&end=20');
    expect(page.size).toBe(SIZE);
    expect(page.entries.map((entry) => entry.index)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    for (const entry of page.entries) {
      const bytes = Buffer.from(entry.canonical, 'base64');
      expect(entry.leafHash).toBe(Buffer.from(hashLeaf(bytes)).toString('hex'));
      expect(Buffer.from(canonicalBytes(entry.record))).toEqual(bytes);
    }
    expect((await json<EntriesPage>('/v1/entries?start=500&end=510')).entries).toEqual([]);
  });

  it('ledger - an entry comes with an inclusion proof to the latest checkpoint', async () => {
    const { entry, inclusion, checkpoint } = await json<EntryWithProofView>('/v1/entries/37');
    expect(entry.index).toBe(37);
    expect(inclusion).toMatchObject({
      index: 37,
      size: SIZE,
      leafHash: entry.leafHash,
      root: checkpoint?.root,
    });
    const proof = inclusion!.proof.map(unhex);
    expect(verifyInclusion(unhex(entry.leafHash), 37, SIZE, proof, rootOf(leaves))).toBe(true);
  });

  it('ledger - inclusion proofs by index or leaf hash, for any size up to the tree size', async () => {
    const byIndex = await json<InclusionProofView>('/v1/proof/inclusion?index=5&size=100');
    expect(byIndex).toMatchObject({ index: 5, size: 100, checkpoint: null });
    expect(byIndex.root).toBe(Buffer.from(rootOf(leaves.slice(0, 100))).toString('hex'));
    expect(verifyInclusion(leaves[5]!, 5, 100, byIndex.proof.map(unhex), rootOf(leaves.slice(0, 100)))).toBe(
      true,
    );
    const hash = Buffer.from(leaves[77]!).toString('hex');
    const byHash = await json<InclusionProofView>(`/v1/proof/inclusion?hash=${hash}`);
    expect(byHash).toMatchObject({ index: 77, size: SIZE, leafHash: hash });
    expect(byHash.checkpoint?.size).toBe(SIZE);
    expect(verifyInclusion(leaves[77]!, 77, SIZE, byHash.proof.map(unhex), rootOf(leaves))).toBe(true);
  });

  it('ledger - consistency proofs between two sizes verify against the roots', async () => {
    const proof = await json<ConsistencyProofView>('/v1/proof/consistency?from=50&to=119');
    expect(proof).toMatchObject({ from: 50, to: 119 });
    expect(
      verifyConsistency(
        50,
        119,
        proof.proof.map(unhex),
        rootOf(leaves.slice(0, 50)),
        rootOf(leaves.slice(0, 119)),
      ),
    ).toBe(true);
    expect((await json<ConsistencyProofView>('/v1/proof/consistency?from=7')).to).toBe(SIZE);
  });

  it('ledger - bad parameters get 400 with a JSON error, unknown entries 404', async () => {
    const cases: [string, number, string][] = [
      ['/v1/entries?start=-1', 400, 'start must be a non-negative integer'],
      ['/v1/entries?start=10&end=5', 400, 'end must not be before start'],
      ['/v1/entries?start=0&end=1001', 400, 'at most 1000 entries per page'],
      ['/v1/entries/abc', 400, 'index must be a non-negative integer'],
      ['/v1/entries/120', 404, 'no entry 120: the log has 120 entries'],
      ['/v1/checkpoints/x1', 400, 'size must be a non-negative integer'],
      ['/v1/checkpoints/3', 404, 'no checkpoint was signed at size 3'],
      ['/v1/proof/inclusion?size=5', 400, 'give exactly one of index and hash'],
      ['/v1/proof/inclusion?index=1&hash=00', 400, 'give exactly one of index and hash'],
      ['/v1/proof/inclusion?hash=zz', 400, 'hash must be 64 hex digits'],
      [`/v1/proof/inclusion?hash=${'0'.repeat(64)}`, 404, `no entry has leaf hash ${'0'.repeat(64)}`],
      ['/v1/proof/inclusion?index=9999', 404, 'no entry 9999: the log has 120 entries'],
      ['/v1/proof/inclusion?index=50&size=50', 400, 'entry 50 is not in a tree of 50 entries'],
      ['/v1/proof/inclusion?index=1&size=121', 400, 'size 121 exceeds the tree size 120'],
      ['/v1/proof/consistency?from=0&to=10', 400, 'from must be within 1..10'],
      ['/v1/proof/consistency?from=11&to=10', 400, 'from must be within 1..10'],
      ['/v1/proof/consistency?to=10', 400, 'from is required'],
      ['/v1/sessions/no-such-session', 404, 'no records of session no-such-session'],
      ['/v1/export?to=2026-03-01T00:00:00Z', 400, 'from is required'],
      [
        '/v1/export?from=yesterday&to=2026-03-01T00:00:00Z',
        400,
        'from must be an RFC 3339 time such as 2026-01-01T00:00:00Z',
      ],
      ['/v1/export?from=2026-03-01T00:00:00Z&to=2026-03-01T00:00:00Z', 400, 'to must be after from'],
    ];
    for (const [path, status, message] of cases) {
      const response = await get(path);
      expect(response.status, path).toBe(status);
      expect(response.headers.get('content-type'), path).toContain('application/json');
      expect(await response.json(), path).toMatchObject({ statusCode: status, message });
    }
  });

  it('ledger - a session comes back in seq order with its chain checked', async () => {
    const sessionId = records[2]!.session.id;
    const session = await json<SessionView>(`/v1/sessions/${encodeURIComponent(sessionId)}`);
    const own = records.filter((record) => record.session.id === sessionId);
    expect(session.entries.map((entry) => entry.recordId)).toEqual(own.map((record) => record.id));
    expect(session.chain).toEqual({
      records: 20,
      closed: true,
      head: chainHash(canonicalBytes(own[19])),
      problems: [],
    });
  });

  it('ledger - the export bundle for a time range verifies offline and holds every record of the range', async () => {
    const from = new Date(BASE + 30_000).toISOString();
    const to = new Date(BASE + 70_000).toISOString();
    const response = await get(`/v1/export?from=${from}&to=${to}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/jsonl');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="gatehouse-evidence-/);
    const lines = (await response.text()).trimEnd().split('\n');
    const report = await verifyBundle(lines, { verifierKey });
    expect(report).toMatchObject({ ok: true, size: SIZE, range: { from, to } });
    const exported = lines
      .map((line) => JSON.parse(line) as { type: string; canonical?: string })
      .filter((line) => line.type === 'entry')
      .map((line) => (JSON.parse(line.canonical!) as EvidenceRecord).id);
    const inRange = records
      .filter((record) => record.time >= from && record.time < to)
      .map((record) => record.id);
    expect(inRange).toHaveLength(40);
    expect(exported).toEqual(expect.arrayContaining(inRange));
    const readme = JSON.parse(lines[1]!) as { type: string; text: string };
    expect(readme.type).toBe('readme');
    for (const kind of ['session_opened', 'decision', 'result', 'approval_decided', 'recording_chunk']) {
      expect(readme.text).toContain(`- ${kind}: `);
    }
  });
});
