// Standard Base 64 of RFC 4648 section 4, with padding, as c2sp.org/signed-note and
// c2sp.org/tlog-checkpoint require. Node's decoder is lenient (skips junk, accepts missing
// padding and non-zero trailing bits); a signed format must accept exactly one encoding.
// https://www.rfc-editor.org/rfc/rfc4648#section-4
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Standard padded Base 64 of `bytes`. */
export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Decodes canonical standard padded Base 64, or returns `undefined` for any other text. */
export function decodeBase64Strict(text: string): Buffer | undefined {
  if (!BASE64.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  // Rejects non-zero bits in the last character's unused low bits.
  return bytes.toString('base64') === text ? bytes : undefined;
}
