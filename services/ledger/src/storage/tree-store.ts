import { sql, type Kysely } from 'kysely';
import {
  CompactRange,
  EMPTY_ROOT,
  frontierCoordinates,
  type Hash,
  type NodeCoordinate,
} from '@gatehouse/merkle';
import type { LedgerDatabase } from './ledger-tables.ts';

/** The committed tree head: size and root. */
export interface TreeHead {
  size: number;
  root: Hash;
}

/** Stored rows disagree with each other: the tables were changed outside the ledger. */
export class LedgerIntegrityError extends Error {
  override readonly name = 'LedgerIntegrityError';
}

/** The latest committed head (the empty tree when nothing was appended yet). */
export async function readHead(db: Kysely<LedgerDatabase>): Promise<TreeHead> {
  const row = await db
    .selectFrom('ledger_heads')
    .select(['size', 'root'])
    .orderBy('size', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { size: Number(row.size), root: row.root } : { size: 0, root: EMPTY_ROOT };
}

/**
 * Reads many completed-subtree nodes in one query (a `NodeReader` for the proof plans of
 * @gatehouse/merkle); `undefined` where a node is absent.
 */
export async function readNodes(
  db: Kysely<LedgerDatabase>,
  nodes: readonly NodeCoordinate[],
): Promise<(Hash | undefined)[]> {
  if (nodes.length === 0) return [];
  const { rows } = await sql<{ level: number; idx: string; hash: Buffer }>`
    select n.level, n.idx, n.hash
    from ledger_nodes n
    join unnest(${nodes.map((node) => node.level)}::smallint[], ${nodes.map((node) => String(node.index))}::bigint[])
      as wanted(level, idx) on n.level = wanted.level and n.idx = wanted.idx`.execute(db);
  const found = new Map(rows.map((row) => [`${row.level}:${row.idx}`, row.hash]));
  return nodes.map((node) => found.get(`${node.level}:${node.index}`));
}

/**
 * Rebuilds the in-memory compact range of `head` from its stored frontier nodes, and checks it
 * hashes to the head's root.
 * @throws LedgerIntegrityError when a frontier node is missing or the root differs.
 */
export async function readRange(db: Kysely<LedgerDatabase>, head: TreeHead): Promise<CompactRange> {
  const coordinates = frontierCoordinates(head.size);
  const hashes = await readNodes(db, coordinates);
  const missing = coordinates.find((_, i) => hashes[i] === undefined);
  if (missing) {
    throw new LedgerIntegrityError(
      `tree node (level ${missing.level}, index ${missing.index}) of the head at size ${head.size} is missing`,
    );
  }
  const range = CompactRange.fromFrontier(head.size, hashes as Hash[]);
  if (Buffer.compare(range.root(), head.root) !== 0) {
    throw new LedgerIntegrityError(
      `the stored tree nodes do not hash to the head's root at size ${head.size}`,
    );
  }
  return range;
}
