/**
 * Finds the first leaf where a replayed log stops matching a signed one, by binary search over
 * prefix sizes: `matches(m)` says whether the first `m` replayed leaves form the signed log's
 * first `m` leaves (e.g. a consistency proof from `m` to the signed size verifies against the
 * replayed prefix root). A prefix that contains a changed leaf never matches again, so the
 * predicate is monotone and O(log n) calls suffice.
 *
 * @param size A prefix size known not to match (`matches(size)` is false).
 * @returns The position of the first differing leaf, in 0..size-1.
 */
export async function firstDivergence(
  size: number,
  matches: (prefix: number) => Promise<boolean>,
): Promise<number> {
  let matching = 0;
  let differing = size;
  while (differing - matching > 1) {
    const middle = Math.floor((matching + differing) / 2);
    if (await matches(middle)) matching = middle;
    else differing = middle;
  }
  return differing - 1;
}
