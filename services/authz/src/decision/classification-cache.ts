/**
 * A bounded least-recently-used map from operation text to its classification. Classifying is a
 * pure function of the text, so a hit is exactly what a fresh classification would return; edges
 * repeat the same statements (ORMs, pipelines), which is what makes this worth its memory.
 * Memory is bounded by `maxEntries` times `maxKeyLength` characters of key plus one
 * classification each.
 */
export class ClassificationCache<V> {
  // A Map iterates in insertion order: re-inserting on a hit makes the first key the least recent.
  readonly #entries = new Map<string, V>();

  constructor(
    /** Most entries kept; 0 disables the cache. */
    readonly maxEntries: number,
    /** Longer texts are not cached (they are rare and would dominate the memory bound). */
    readonly maxKeyLength: number,
  ) {
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 0)
      throw new RangeError(`maxEntries must be a whole number >= 0, got ${maxEntries}`);
  }

  /** Entries currently held. */
  get size(): number {
    return this.#entries.size;
  }

  /** The cached value for `key`, marking it most recently used. */
  get(key: string): V | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  /** Stores `value` unless the cache is disabled or the key too long, evicting the least recent entry when full. */
  set(key: string, value: V): void {
    if (this.maxEntries === 0 || key.length > this.maxKeyLength) return;
    this.#entries.delete(key);
    if (this.#entries.size >= this.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, value);
  }

  /** Drops every entry. */
  clear(): void {
    this.#entries.clear();
  }
}
