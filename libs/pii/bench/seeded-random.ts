/** Pseudo-random helpers from one seeded stream, so a bench builds the same inputs on every run. */
export interface SeededRandom {
  /** A number in [0, 1]. */
  random(): number;
  /** One element of `list`. */
  pick<T>(list: readonly T[]): T;
  /** `n` random decimal digits. */
  digits(n: number): string;
}

/** A linear congruential stream from `seed`: fast and repeatable, not for anything secret. */
export function seededRandom(seed: number): SeededRandom {
  let state = seed;
  const random = (): number => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
  return {
    random,
    pick: <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!,
    digits: (n: number): string => Array.from({ length: n }, () => Math.floor(random() * 10)).join(''),
  };
}
