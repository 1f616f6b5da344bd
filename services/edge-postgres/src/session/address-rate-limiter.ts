/**
 * At most `limit` events per client address within a sliding `windowMs` (e.g. unauthenticated
 * CancelRequests, which cost an upstream connection each). Memory is bounded: at most
 * `maxAddresses` addresses are tracked, the oldest forgotten first.
 */
export class AddressRateLimiter {
  readonly #events = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxAddresses = 100_000,
  ) {}

  /** Counts one event for `address`; false when the address is over its limit (nothing counted). */
  take(address: string, now = Date.now()): boolean {
    const times = this.#events.get(address) ?? [];
    let first = 0;
    while (first < times.length && now - times[first]! >= this.windowMs) first++;
    const recent = first === 0 ? times : times.slice(first);
    if (recent.length >= this.limit) {
      this.#events.set(address, recent);
      return false;
    }
    recent.push(now);
    this.#events.delete(address);
    this.#events.set(address, recent);
    if (this.#events.size > this.maxAddresses) this.#events.delete(this.#events.keys().next().value!);
    return true;
  }
}
