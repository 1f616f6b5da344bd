import { CompactRange, hashLeaf, type Hash } from '@gatehouse/merkle';
import { chainHash, readChainFields, type ChainFields } from './chain-fields.ts';
import type { Problem } from './problem.ts';
import { SessionChainChecker, type ChainCoverage, type ChainSummary } from './session-chains.ts';

/** Leaves between stored snapshots of the tree frontier; bounds the work of `prefixRoot`. */
const SNAPSHOT_INTERVAL = 4096;
const LEAVES_PER_CHUNK = 65_536;

/** Options of a {@link LogReplay}. */
export interface LogReplayOptions {
  /** Index of the first entry expected (0 for a whole log). */
  readonly firstIndex?: number;
  /** Chain coverage, or `off` to skip session-chain checks. */
  readonly chains: ChainCoverage | 'off';
  /** Keep every leaf hash, so `prefixRoot` and `leafHash` can localise a divergence. */
  readonly keepLeaves?: boolean;
}

/** What `add` learned about one entry. */
export interface ReplayedEntry {
  /** RFC 9162 leaf hash of the record bytes. */
  readonly leafHash: Hash;
  /** The record's chain fields, or null when its bytes are not an evidence record. */
  readonly fields: ChainFields | null;
}

/**
 * Replays a log's entries in index order: recomputes every leaf hash from the stored record
 * bytes and folds them into the Merkle root (O(log n) memory), checks the indices run without
 * gaps or repeats, compares each stored leaf hash with the recomputed one, and feeds the session
 * chain checker. Everything is synchronous: it is the hot loop of offline verification.
 */
export class LogReplay {
  readonly #range = new CompactRange();
  readonly #chains: SessionChainChecker | undefined;
  readonly #problems: Problem[] = [];
  readonly #keepLeaves: boolean;
  readonly #chunks: Buffer[] = [];
  readonly #snapshots: CompactRange[] = [];
  #nextIndex: number;

  constructor(options: LogReplayOptions) {
    this.#nextIndex = options.firstIndex ?? 0;
    this.#chains = options.chains === 'off' ? undefined : new SessionChainChecker(options.chains);
    this.#keepLeaves = options.keepLeaves ?? false;
  }

  /** Index the next entry should carry. */
  get nextIndex(): number {
    return this.#nextIndex;
  }

  /** Leaves replayed so far (entries in arrival order, whatever indices they claimed). */
  get size(): number {
    return this.#range.size;
  }

  /**
   * Replays one entry.
   * @param index The log index the entry claims.
   * @param canonical The exact record bytes the ledger hashed.
   * @param storedLeafHash The leaf hash the ledger stored with the entry, when it offers one.
   */
  add(index: number, canonical: Uint8Array, storedLeafHash?: Uint8Array): ReplayedEntry {
    if (index > this.#nextIndex) {
      const missing =
        index - 1 === this.#nextIndex ? `${this.#nextIndex}` : `${this.#nextIndex} to ${index - 1}`;
      this.#problems.push({
        kind: 'missing-entry',
        index: this.#nextIndex,
        message: `entries ${missing} are missing`,
      });
    } else if (index < this.#nextIndex) {
      this.#problems.push({
        kind: 'out-of-order',
        index,
        message: `entry ${index} arrives after entry ${this.#nextIndex - 1}: entries are duplicated or reordered`,
      });
    }
    this.#nextIndex = Math.max(this.#nextIndex, index + 1);
    const leafHash = hashLeaf(canonical);
    if (storedLeafHash !== undefined && Buffer.compare(storedLeafHash, leafHash) !== 0) {
      this.#problems.push({
        kind: 'leaf-hash-mismatch',
        index,
        message: `entry ${index}: the stored leaf hash is not the hash of the stored record bytes`,
      });
    }
    this.#appendLeaf(leafHash);
    const fields = this.#chains === undefined ? null : readChainFields(canonical);
    if (this.#chains !== undefined) {
      if (fields === null) {
        this.#problems.push({
          kind: 'malformed-record',
          index,
          message: `entry ${index}: the record bytes are not a canonical evidence record`,
        });
      } else {
        this.#chains.add(index, fields, chainHash(canonical));
      }
    }
    return { leafHash, fields };
  }

  /** Root of the leaves replayed so far. */
  root(): Hash {
    return this.#range.root();
  }

  /** Leaf hash at arrival position `position` (needs `keepLeaves`). */
  leafHash(position: number): Hash {
    if (!this.#keepLeaves) throw new Error('LogReplay was built without keepLeaves');
    if (!Number.isSafeInteger(position) || position < 0 || position >= this.#range.size) {
      throw new RangeError(`position ${position} is not below ${this.#range.size}`);
    }
    const chunk = this.#chunks[Math.floor(position / LEAVES_PER_CHUNK)] as Buffer;
    const offset = (position % LEAVES_PER_CHUNK) * 32;
    return chunk.subarray(offset, offset + 32);
  }

  /** Root of the first `size` replayed leaves (needs `keepLeaves`); O(4096) hashes at most. */
  prefixRoot(size: number): Hash {
    if (!this.#keepLeaves) throw new Error('LogReplay was built without keepLeaves');
    if (!Number.isSafeInteger(size) || size < 0 || size > this.#range.size) {
      throw new RangeError(`prefix size ${size} is not within 0..${this.#range.size}`);
    }
    const snapshot = Math.floor(size / SNAPSHOT_INTERVAL);
    const range =
      snapshot === 0 ? new CompactRange() : (this.#snapshots[snapshot - 1] as CompactRange).clone();
    for (let position = range.size; position < size; position++) range.append(this.leafHash(position));
    return range.root();
  }

  /** Problems found so far, in discovery order (chain gaps are only known after `finish`). */
  get problems(): readonly Problem[] {
    return this.#problems;
  }

  /** Ends the replay: returns every problem found, chain problems included, and chain counts. */
  finish(): { problems: Problem[]; chains: ChainSummary | null } {
    const chains = this.#chains?.finish();
    return { problems: [...this.#problems, ...(chains?.problems ?? [])], chains: chains?.summary ?? null };
  }

  #appendLeaf(leafHash: Hash): void {
    const position = this.#range.size;
    this.#range.append(leafHash);
    if (!this.#keepLeaves) return;
    const chunkIndex = Math.floor(position / LEAVES_PER_CHUNK);
    if (chunkIndex === this.#chunks.length) this.#chunks.push(Buffer.allocUnsafe(LEAVES_PER_CHUNK * 32));
    (this.#chunks[chunkIndex] as Buffer).set(leafHash, (position % LEAVES_PER_CHUNK) * 32);
    if (this.#range.size % SNAPSHOT_INTERVAL === 0) this.#snapshots.push(this.#range.clone());
  }
}
