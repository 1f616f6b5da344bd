/**
 * A reusable list of candidate spans found in one text: `[start, end)` offsets, the entity slot
 * and a priority. Typed arrays and a reset-in-place `clear()` keep the scan path free of per-cell
 * allocation; scanning is synchronous, so one list per scanner is enough.
 */
export class SpanList {
  starts: Int32Array = new Int32Array(16);
  ends: Int32Array = new Int32Array(16);
  slots: Int32Array = new Int32Array(16);
  priorities: Int32Array = new Int32Array(16);
  length = 0;

  /** Forgets every span. */
  clear(): void {
    this.length = 0;
  }

  /** Adds the span `[start, end)` for `slot` with `priority` (higher wins an overlap). */
  push(start: number, end: number, slot: number, priority: number): void {
    if (end <= start) return;
    if (this.length === this.starts.length) this.grow();
    const i = this.length++;
    this.starts[i] = start;
    this.ends[i] = end;
    this.slots[i] = slot;
    this.priorities[i] = priority;
  }

  /**
   * Keeps the best non-overlapping spans, ordered by start. An overlap is won by the higher
   * priority, then by the longer span, then by the earlier one: a card number inside an IBAN is
   * the IBAN, a phone-shaped run inside a JWT is the JWT.
   */
  resolve(): void {
    const n = this.length;
    if (n < 2) return;
    const order = Array.from({ length: n }, (_, i) => i);
    order.sort(
      (a, b) =>
        this.priorities[b]! - this.priorities[a]! ||
        this.ends[b]! - this.starts[b]! - (this.ends[a]! - this.starts[a]!) ||
        this.starts[a]! - this.starts[b]!,
    );
    const kept: number[] = [];
    for (const i of order) {
      const s = this.starts[i]!;
      const e = this.ends[i]!;
      let clash = false;
      for (const k of kept) {
        if (s < this.ends[k]! && this.starts[k]! < e) {
          clash = true;
          break;
        }
      }
      if (!clash) kept.push(i);
    }
    kept.sort((a, b) => this.starts[a]! - this.starts[b]!);
    const starts = kept.map((i) => this.starts[i]!);
    const ends = kept.map((i) => this.ends[i]!);
    const slots = kept.map((i) => this.slots[i]!);
    const priorities = kept.map((i) => this.priorities[i]!);
    for (let j = 0; j < kept.length; j++) {
      this.starts[j] = starts[j]!;
      this.ends[j] = ends[j]!;
      this.slots[j] = slots[j]!;
      this.priorities[j] = priorities[j]!;
    }
    this.length = kept.length;
  }

  private grow(): void {
    const size = this.starts.length * 2;
    const widen = (a: Int32Array): Int32Array => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    this.starts = widen(this.starts);
    this.ends = widen(this.ends);
    this.slots = widen(this.slots);
    this.priorities = widen(this.priorities);
  }
}
