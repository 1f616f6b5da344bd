/**
 * Character counts taken in one pass over a text so that each detector can skip texts that cannot
 * hold its entity (no `@` → no email; fewer than 13 digits → no card) without running a regex.
 */
export class TextFeatures {
  /** Text length in UTF-16 code units. */
  length = 0;
  /** ASCII digits. */
  digits = 0;
  /** `@` signs. */
  at = 0;
  /** `:` signs. */
  colon = 0;
  /** `.` signs. */
  dot = 0;
  /** `-` signs. */
  dash = 0;
  /** `=` signs. */
  equals = 0;
  /** ASCII letters. */
  letters = 0;

  /** Recounts for `text`; returns `this` so one instance is reused for every cell. */
  measure(text: string): this {
    let digits = 0;
    let at = 0;
    let colon = 0;
    let dot = 0;
    let dash = 0;
    let equals = 0;
    let letters = 0;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c >= 48 && c <= 57) digits++;
      else if ((c | 32) >= 97 && (c | 32) <= 122) letters++;
      else if (c === 64) at++;
      else if (c === 58) colon++;
      else if (c === 46) dot++;
      else if (c === 45) dash++;
      else if (c === 61) equals++;
    }
    this.length = n;
    this.digits = digits;
    this.at = at;
    this.colon = colon;
    this.dot = dot;
    this.dash = dash;
    this.equals = equals;
    this.letters = letters;
    return this;
  }
}
