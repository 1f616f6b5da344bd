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
   * the IBAN, a phone-shaped run inside a JWT is the JWT. One sort and a stack sweep, so a text
   * with thousands of findings costs O(n log n), not O(n²).
   */
  resolve(): void {
    const n = this.length;
    if (n < 2) return;
    const { starts, ends, priorities } = this;
    // Most texts with several findings already list them in order without overlaps (detectors
    // scan left to right): then the sort and sweep below would keep every span as it is.
    let ordered = true;
    for (let i = 1; i < n && ordered; i++) ordered = starts[i]! >= ends[i - 1]!;
    if (ordered) return;
    const order = Array.from({ length: n }, (_, i) => i);
    order.sort((a, b) => starts[a]! - starts[b]! || priorities[b]! - priorities[a]! || ends[b]! - ends[a]!);
    const kept: number[] = [];
    for (const i of order) {
      let keep = true;
      // Kept spans are sorted and disjoint, so only the last one can overlap span i.
      const k = kept[kept.length - 1];
      if (k !== undefined && starts[i]! < ends[k]!) {
        const wins =
          priorities[i]! > priorities[k]! ||
          (priorities[i] === priorities[k] && ends[i]! - starts[i]! > ends[k]! - starts[k]!);
        if (wins) kept.pop();
        else keep = false;
      }
      if (keep) kept.push(i);
    }
    const copy = (a: Int32Array): number[] => kept.map((i) => a[i]!);
    const [s2, e2, sl2, p2] = [copy(starts), copy(ends), copy(this.slots), copy(priorities)];
    for (let j = 0; j < kept.length; j++) {
      this.starts[j] = s2[j]!;
      this.ends[j] = e2[j]!;
      this.slots[j] = sl2[j]!;
      this.priorities[j] = p2[j]!;
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
