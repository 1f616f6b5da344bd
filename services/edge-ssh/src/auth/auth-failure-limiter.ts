/**
 * Slows down token guessing: after `limit` failed attempts from one client address within
 * `windowMs`, further attempts from it are refused without verification until the window passes.
 */
export class AuthFailureLimiter {
  readonly #failures = new Map<string, number[]>();

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
    this.#failures.delete(address);
    this.#failures.set(address, recent);
    // Bound memory under a spray from many addresses: the least recently failing goes first.
    if (this.#failures.size > 100_000) this.#failures.delete(this.#failures.keys().next().value!);
  }

  private recent(address: string, now: number): number[] {
    return (this.#failures.get(address) ?? []).filter((time) => now - time < this.windowMs);
  }
}
