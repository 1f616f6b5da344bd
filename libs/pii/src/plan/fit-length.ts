import type { ColumnAction } from './column-action.ts';

const REDACTED_PREFIX = '[REDACTED:';

/**
 * Keeps a masked text within its type's length: `char(n)` values are padded with spaces or cut
 * to the original's length, `varchar(n)` values cut to n. A redaction token cut short becomes
 * `*`s so that no half token such as `[REDAC` reaches the client.
 */
export function fitLength(masked: string | null, original: string, action: ColumnAction): string | null {
  if (masked === null) return null;
  let limit = action.lengthLimit;
  if (action.padToLength) limit = codePoints(original);
  if (limit < 0) return masked;
  const length = codePoints(masked);
  if (length === limit) return masked;
  if (length < limit) return action.padToLength ? masked + ' '.repeat(limit - length) : masked;
  const cut = Array.from(masked).slice(0, limit).join('');
  const open = cut.lastIndexOf(REDACTED_PREFIX[0]!);
  if (open >= 0 && masked.startsWith(REDACTED_PREFIX, open) && !cut.includes(']', open)) {
    return cut.slice(0, open) + '*'.repeat(limit - codePoints(cut.slice(0, open)));
  }
  return cut;
}

function codePoints(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}
