/** Shannon entropy of the characters of `text`, in bits per character. */
export function shannonEntropy(text: string): number {
  const n = text.length;
  if (n === 0) return 0;
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / n;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** Below this a 16+ character token is more likely a word, a date or a repeated pattern. */
export const ENTROPY_THRESHOLD = 3.5;
/** Hex has at most 4 bits per character; random hex of 16+ characters scores above this. */
export const HEX_ENTROPY_THRESHOLD = 3.0;

/**
 * True when `token` looks machine-generated: at least 16 characters, letters and digits mixed,
 * and Shannon entropy above the threshold for its alphabet (hex or base64-ish).
 */
export function looksRandom(token: string): boolean {
  if (token.length < 16) return false;
  let digits = 0;
  let letters = 0;
  let hex = true;
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if ((c | 32) >= 97 && (c | 32) <= 122) {
      letters++;
      if ((c | 32) > 102) hex = false;
    } else hex = false;
  }
  if (digits === 0 || letters === 0) return false;
  return shannonEntropy(token) >= (hex ? HEX_ENTROPY_THRESHOLD : ENTROPY_THRESHOLD);
}
