// Tree sizes and leaf indices are JavaScript numbers limited to safe integers (< 2^53). Bitwise
// operators would truncate them to 32 bits, so the arithmetic here divides instead.

/** True when `value` is a valid tree size or leaf index: a safe integer >= 0. */
export function isTreeSize(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/**
 * Largest power of two strictly smaller than `n` (the `k` of RFC 9162 section 2.1.1, which
 * splits a tree of `n` leaves into a complete left subtree of `k` leaves and the rest).
 * Requires `n >= 2`.
 */
export function largestPowerOfTwoBelow(n: number): number {
  if (n <= 0x8000_0000) return 2 ** (31 - Math.clz32(n - 1));
  let k = 0x8000_0000;
  while (k * 2 < n) k *= 2;
  return k;
}

/** Largest power of two that is <= `n` and divides `begin` (any power of two when `begin` is 0). */
export function largestAlignedPowerOfTwo(begin: number, n: number): number {
  let k = 1;
  while (k * 2 <= n && begin % (k * 2) === 0) k *= 2;
  return k;
}

/** True when `n` is a power of two (1, 2, 4, ...). */
export function isPowerOfTwo(n: number): boolean {
  return n >= 1 && largestPowerOfTwoBelow(n + 1) === n;
}
