/**
 * The text forms of `bytea` (https://www.postgresql.org/docs/current/datatype-binary.html):
 * hex (`\x6a61`, the default `bytea_output`) and escape (printable ASCII as is, `\\` for a
 * backslash, `\ooo` octal for every other byte).
 */

const HEX = '0123456789abcdef';

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const lower = c | 32;
  if (lower >= 97 && lower <= 102) return lower - 87;
  return -1;
}

/** True when `text` is a hex-format bytea (`\x` and an even number of hex digits). */
export function isHexBytea(text: string): boolean {
  if (text.length < 2 || text.charCodeAt(0) !== 92 || text.charCodeAt(1) !== 120) return false;
  if ((text.length & 1) !== 0) return false;
  for (let i = 2; i < text.length; i++) if (hexValue(text.charCodeAt(i)) < 0) return false;
  return true;
}

/**
 * The bytes of a bytea text value in either output format, or undefined when the text is not
 * one (PostgreSQL itself never prints such text for a bytea).
 */
export function decodeByteaText(text: string): Uint8Array | undefined {
  if (text.startsWith('\\x')) {
    if (!isHexBytea(text)) return undefined;
    const out = new Uint8Array((text.length - 2) / 2);
    for (let i = 0; i < out.length; i++) {
      out[i] = (hexValue(text.charCodeAt(2 + 2 * i)) << 4) | hexValue(text.charCodeAt(3 + 2 * i));
    }
    return out;
  }
  const out = new Uint8Array(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff) return undefined;
    if (c !== 92) {
      out[n++] = c;
    } else if (text.charCodeAt(i + 1) === 92) {
      out[n++] = 92;
      i++;
    } else {
      const octal = /^[0-3][0-7]{2}$/.test(text.slice(i + 1, i + 4))
        ? parseInt(text.slice(i + 1, i + 4), 8)
        : -1;
      if (octal < 0) return undefined;
      out[n++] = octal;
      i += 3;
    }
  }
  return out.subarray(0, n);
}

/** The hex-format text of `bytes` (`\x...`), which every PostgreSQL client decodes. */
export function encodeByteaHex(bytes: Uint8Array): string {
  let out = '\\x';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]! >>> 4]! + HEX[bytes[i]! & 15]!;
  return out;
}
