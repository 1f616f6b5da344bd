import type { Hash } from '@gatehouse/merkle';
import { ChainFieldScanner } from './chain-field-scanner.ts';
import { chainHash, parseChainFields } from './chain-fields.ts';
import { DigestRange } from './digest-range.ts';
import { digestBytes, digestMatches, leafDigest, type DigestString } from './digest-string.ts';
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

/**
 * Replays a log's entries in index order: recomputes every leaf hash from the stored record
 * bytes and folds them into the Merkle root (O(log n) memory), checks the indices run without
 * gaps or repeats, compares each stored leaf hash with the recomputed one, and feeds the session
 * chain checker. Everything is synchronous: it is the hot loop of offline verification.
 *
 * Per record it hashes the bytes twice (leaf hash, chain hash) and reads the chain fields with a
 * scanner instead of JSON.parse; hashes stay strings (see `DigestString`) and the stored leaf hash
 * is compared byte by byte, so no hash costs a Buffer.
 */
export class LogReplay {
  readonly #range = new DigestRange();
  readonly #chains: SessionChainChecker | undefined;
  readonly #scanner = new ChainFieldScanner();
  readonly #problems: Problem[] = [];
  readonly #keepLeaves: boolean;
  readonly #chunks: Buffer[] = [];
  readonly #snapshots: DigestRange[] = [];
  #nextIndex: number;
  #lastLeaf: DigestString | undefined;

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
  add(index: number, canonical: Uint8Array, storedLeafHash?: Uint8Array): void {
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
    const leaf = leafDigest(canonical);
    this.#lastLeaf = leaf;
    if (storedLeafHash !== undefined && !digestMatches(storedLeafHash, leaf)) {
      this.#problems.push({
        kind: 'leaf-hash-mismatch',
        index,
        message: `entry ${index}: the stored leaf hash is not the hash of the stored record bytes`,
      });
    }
    this.#appendLeaf(leaf);
    const chains = this.#chains;
    if (chains === undefined) return;
    if (this.#scanner.scan(canonical)) {
      chains.addScanned(index, this.#scanner, chainHash(canonical));
      return;
    }
    const fields = parseChainFields(canonical);
    if (fields === null) {
      this.#problems.push({
        kind: 'malformed-record',
        index,
        message: `entry ${index}: the record bytes are not a canonical evidence record`,
      });
    } else {
      chains.add(index, fields, chainHash(canonical));
    }
  }

  /** RFC 9162 leaf hash of the record last added. */
  lastLeafHash(): Hash {
    if (this.#lastLeaf === undefined) throw new Error('no entry was added');
    return digestBytes(this.#lastLeaf);
  }

  /** Root of the leaves replayed so far. */
  root(): Hash {
    return digestBytes(this.#range.root());
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
    const range = snapshot === 0 ? new DigestRange() : (this.#snapshots[snapshot - 1] as DigestRange).clone();
    for (let position = range.size; position < size; position++) {
      const chunk = this.#chunks[Math.floor(position / LEAVES_PER_CHUNK)] as Buffer;
      const offset = (position % LEAVES_PER_CHUNK) * 32;
      range.append(chunk.toString('latin1', offset, offset + 32));
    }
    return digestBytes(range.root());
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

  #appendLeaf(leaf: DigestString): void {
    const position = this.#range.size;
    this.#range.append(leaf);
    if (!this.#keepLeaves) return;
    const chunkIndex = Math.floor(position / LEAVES_PER_CHUNK);
    if (chunkIndex === this.#chunks.length) this.#chunks.push(Buffer.allocUnsafe(LEAVES_PER_CHUNK * 32));
    (this.#chunks[chunkIndex] as Buffer).write(leaf, (position % LEAVES_PER_CHUNK) * 32, 'latin1');
    if (this.#range.size % SNAPSHOT_INTERVAL === 0) this.#snapshots.push(this.#range.clone());
  }
}
