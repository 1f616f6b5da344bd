/** Addresses remembered at most; under a spray from many addresses the least recently failing goes first. */
const MAX_ADDRESSES = 100_000;

/**
 * Slows down token guessing at an edge: after `limit` failed attempts from one client address
 * within `windowMs`, further attempts from it are refused without verification until the window
 * passes. Memory is bounded by {@link MAX_ADDRESSES} addresses of at most `limit` timestamps each.
 */
export class AuthFailureLimiter {
  readonly #failures = new Map<string, number[]>();

  /**
   * @param limit failed attempts allowed per address within the window
   * @param windowMs length of the sliding window
   */
  constructor(
    private readonly limit = 10,
    private readonly windowMs = 60_000,
  ) {}

  /** Whether this address may try now. */
  allowed(address: string, now = Date.now()): boolean {
    return this.recent(address, now).length < this.limit;
  }

  /** Counts one failed attempt. */
  fail(address: string, now = Date.now()): void {
    const recent = this.recent(address, now);
    recent.push(now);
    // Only the newest `limit` attempts decide `allowed`; older ones need not be kept.
    if (recent.length > this.limit) recent.splice(0, recent.length - this.limit);
    // Re-inserting moves the address to the end: Map order is then least recently failing first.
    this.#failures.delete(address);
    this.#failures.set(address, recent);
    if (this.#failures.size > MAX_ADDRESSES) this.#failures.delete(this.#failures.keys().next().value!);
  }

  /** Addresses with failures remembered. */
  get size(): number {
    return this.#failures.size;
  }

  private recent(address: string, now: number): number[] {
    return (this.#failures.get(address) ?? []).filter((time) => now - time < this.windowMs);
  }
}
