const unitSeconds = { s: 1, m: 60, h: 3600 } as const;

// A whole number with an optional unit; up to 9 digits keeps every result a safe integer.
const durationPattern = /^(\d{1,9})([smh]?)$/;

/**
 * Parses a duration such as `90s`, `10m`, `1h` or a bare number of seconds (`3600`) into whole
 * seconds, e.g. for `gatehouse token --ttl 10m`. Surrounding whitespace is ignored.
 * @throws RangeError naming the accepted forms when `text` is anything else.
 */
export function parseDuration(text: string): number {
  const match = durationPattern.exec(text.trim());
  if (match === null) {
    throw new RangeError(
      `invalid duration ${JSON.stringify(text)}: use whole seconds or a number with s, m or h (90s, 10m, 1h)`,
    );
  }
  const [, amount = '', unit = ''] = match;
  return Number(amount) * (unit === '' ? 1 : unitSeconds[unit as keyof typeof unitSeconds]);
}
