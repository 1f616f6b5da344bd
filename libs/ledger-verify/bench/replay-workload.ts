// The replay benchmark's ledger: evidence records shaped like the ones edge-postgres writes
// (session_opened, then decision/statement/result per statement, session_closed with chain head
// and count), built with SessionEvidence, from a few thousand sessions of which a few hundred are
// open at a time, so their records interleave in log order as on a busy gateway. Statements use
// quoted identifiers and some strings are not ASCII, so records carry JSON escapes and UTF-8.
import type { EvidenceRecord } from '@gatehouse/contracts';
import { canonicalBytes, SessionEvidence } from '@gatehouse/evidence';
import { hashLeaf } from '@gatehouse/merkle';

/** A ledger as the offline verifier reads it from PostgreSQL: record bytes and stored leaf hashes. */
export interface ReplayWorkload {
  /** Canonical record bytes in log order (Buffers, as node-postgres returns bytea). */
  readonly records: Buffer[];
  /** The leaf hash stored beside each record. */
  readonly leafHashes: Buffer[];
  /** Sessions in the ledger; every one is closed. */
  readonly sessions: number;
  /** Records appended right after their session successor (allowed reordering). */
  readonly reordered: number;
}

const OPEN_SESSIONS = 256;
const STATEMENTS = [
  'select "Order".id, c.email from "Order" join customers c on c.id = "Order".customer_id where c.region = $1',
  'update public.shipments set status = $1, updated_at = now() where id = $2 and status <> $3',
  'select count(*) from analytics.daily_revenue where day between $1 and $2 and region = any($3)',
  'insert into staging.events_raw (source, payload, received_at) values ($1, $2, $3) on conflict do nothing',
];
const APPLICATIONS = ['psql', 'airflow-worker', 'dbt — nightly run (Jürgen)', 'metabase', 'etl «orders»'];

// Seeded, so every run replays the same shapes.
let seed = 0x5eed;
function random(): number {
  seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
}
const below = (n: number): number => Math.floor(random() * n);
const hex = (length: number): string =>
  Array.from({ length }, () => '0123456789abcdef'[below(16)] as string).join('');

interface OpenSession {
  readonly evidence: SessionEvidence;
  /** Records this session writes, session_closed included. */
  readonly length: number;
}

function openSession(number: number, length: number): OpenSession {
  const evidence = new SessionEvidence(
    `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`,
    { name: 'orders-primary', kind: 'postgres' },
    {
      sub: `svc-pipelines-${number % 97}`,
      groups: ['pipelines', 'analytics'],
      issuer: 'https://id.example.com',
      tokenId: `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`,
    },
  );
  return { evidence, length };
}

// opened + 3 records per statement + closed: 11 to 98 records, 50 on average; the last session
// takes what is left so the ledger has exactly `size` records.
function sessionLengths(size: number): number[] {
  const lengths: number[] = [];
  for (let left = size; left > 0;) {
    const drawn = 2 + 3 * (3 + below(30));
    const length = left < drawn + 11 ? left : drawn;
    lengths.push(length);
    left -= length;
  }
  return lengths;
}

function nextRecord(session: OpenSession, time: Date): EvidenceRecord {
  const { evidence, length } = session;
  const seq = evidence.count;
  if (seq === 0) {
    return evidence.next(
      'session_opened',
      {
        clientAddress: `10.20.${below(256)}.${below(256)}`,
        applicationName: APPLICATIONS[below(APPLICATIONS.length)],
        user: 'svc_pipelines',
        tlsVersion: 'TLSv1.3',
        protocol: '3.0',
      },
      time,
    );
  }
  if (seq === length - 1) {
    return evidence.next(
      'session_closed',
      { reason: 'client', chainHead: evidence.head, recordCount: seq + 1 },
      time,
    );
  }
  const statement = STATEMENTS[seq % STATEMENTS.length] as string;
  const fingerprint = hex(16);
  if (seq % 3 === 1) {
    return evidence.next(
      'decision',
      {
        effect: 'allow',
        rule: 'pipelines-read-orders',
        reason: 'pipelines may read orders',
        policyVersion: '2026-01-14.3',
        cached: random() < 0.8,
        fingerprint,
        riskClass: statement.startsWith('select') ? 'read' : 'write',
      },
      time,
    );
  }
  if (seq % 3 === 2) {
    return evidence.next(
      'statement',
      {
        protocol: 'extended',
        normalized: statement,
        fingerprint,
        kinds: [statement.split(' ')[0]],
        statementCount: 1,
        relationsRead: ['public.customers'],
        relationsWritten: [],
        parameterCount: 1,
        parameterTypes: [25],
      },
      time,
    );
  }
  return evidence.next(
    'result',
    {
      results: [
        {
          rows: below(5000),
          bytes: below(2_000_000),
          durationMs: Math.round(random() * 4000) / 100,
          sqlstate: '00000',
          masked: { email: below(500), phone: below(50) },
        },
      ],
    },
    time,
  );
}

/** Builds a ledger of exactly `size` records; every session opened in it is also closed in it. */
export function replayWorkload(size: number): ReplayWorkload {
  const lengths = sessionLengths(size);
  const log: EvidenceRecord[] = [];
  const open: OpenSession[] = [];
  let opened = 0;
  let reordered = 0;
  let time = Date.parse('2026-01-01T00:00:00.000Z');
  const at = () => new Date((time += 7));
  while (log.length < size) {
    while (open.length < OPEN_SESSIONS && opened < lengths.length) {
      open.push(openSession(opened, lengths[opened] as number));
      opened += 1;
    }
    const slot = below(open.length);
    const session = open[slot] as OpenSession;
    const record = nextRecord(session, at());
    if (session.length - session.evidence.count >= 1 && random() < 0.01) {
      // The audit service forwarded two of this session's records concurrently.
      log.push(nextRecord(session, at()), record);
      reordered += 1;
    } else {
      log.push(record);
    }
    if (session.evidence.count === session.length) open.splice(slot, 1);
  }
  const records = log.map((record) => Buffer.from(canonicalBytes(record)));
  return {
    records,
    leafHashes: records.map((record) => Buffer.from(hashLeaf(record))),
    sessions: lengths.length,
    reordered,
  };
}
