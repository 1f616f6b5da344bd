/*
 * HMAC-SHA-256 (RFC 2104 over FIPS 180-4 SHA-256) with the key's inner and outer pad states
 * computed once per profile. node:crypto's createHmac costs ~4 µs per call in object setup and
 * native transitions, which dominated the hash/fake operators (70% of their time); masking a
 * short value needs only two or three compressions, done here on reused typed arrays. The tests
 * check every output against node:crypto.
 */

// prettier-ignore
const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
// prettier-ignore
const IV = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

const W = new Int32Array(64);

/** One SHA-256 compression of the 64-byte block at `offset` into `state`. */
function compress(state: Int32Array, block: Uint8Array, offset: number): void {
  for (let i = 0; i < 16; i++) {
    const j = offset + i * 4;
    W[i] = (block[j]! << 24) | (block[j + 1]! << 16) | (block[j + 2]! << 8) | block[j + 3]!;
  }
  for (let i = 16; i < 64; i++) {
    const a = W[i - 15]!;
    const b = W[i - 2]!;
    const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
    const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
    W[i] = (W[i - 16]! + s0 + W[i - 7]! + s1) | 0;
  }
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  let e = state[4]!;
  let f = state[5]!;
  let g = state[6]!;
  let h = state[7]!;
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const ch = (e & f) ^ (~e & g);
    const t1 = (h + S1 + ch + K[i]! + W[i]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const maj = (a & b) ^ (a & c) ^ (b & c);
    const t2 = (S0 + maj) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0;
  state[5] = (state[5]! + f) | 0;
  state[6] = (state[6]! + g) | 0;
  state[7] = (state[7]! + h) | 0;
}

const encoder = new TextEncoder();

/** HMAC-SHA-256 under one key; the pad states are computed in the constructor. */
export class HmacSha256 {
  private readonly innerStart = new Int32Array(8);
  private readonly outerStart = new Int32Array(8);
  private readonly state = new Int32Array(8);
  private buffer = new Uint8Array(256);
  private readonly outerBlock = new Uint8Array(64);

  /** `key`: the raw key bytes (any length; longer than 64 bytes is hashed first, RFC 2104). */
  constructor(key: Uint8Array) {
    let k = key;
    if (k.length > 64) k = this.sha256Of(k);
    const pad = new Uint8Array(64);
    for (const [start, xor] of [
      [this.innerStart, 0x36],
      [this.outerStart, 0x5c],
    ] as const) {
      for (let i = 0; i < 64; i++) pad[i] = (k[i] ?? 0) ^ xor;
      start.set(IV);
      compress(start, pad, 0);
    }
  }

  /** HMAC of the UTF-8 encoding of `message`, as 32 bytes (a new array). */
  digest(message: string): Uint8Array {
    // Inner hash: ipad state, then message || 0x80 || zeros || 64-bit bit length (of 64 + n bytes).
    const max = message.length * 3 + 72;
    if (this.buffer.length < max) this.buffer = new Uint8Array(max * 2);
    const buf = this.buffer;
    const n = encoder.encodeInto(message, buf).written;
    const state = this.state;
    state.set(this.innerStart);
    const total = finishPadding(buf, n, 64 + n);
    for (let off = 0; off < total; off += 64) compress(state, buf, off);
    // Outer hash: opad state, then the 32-byte inner digest, padded to one block.
    const block = this.outerBlock;
    writeState(state, block);
    block.fill(0, 32);
    block[32] = 0x80;
    block[62] = ((64 + 32) * 8) >>> 8;
    block[63] = ((64 + 32) * 8) & 0xff;
    state.set(this.outerStart);
    compress(state, block, 0);
    const out = new Uint8Array(32);
    writeState(state, out);
    return out;
  }

  private sha256Of(data: Uint8Array): Uint8Array {
    const buf = new Uint8Array(data.length + 72);
    buf.set(data);
    const state = new Int32Array(IV);
    const total = finishPadding(buf, data.length, data.length);
    for (let off = 0; off < total; off += 64) compress(state, buf, off);
    const out = new Uint8Array(32);
    writeState(state, out);
    return out;
  }
}

/** Appends SHA-256 padding after `n` bytes for a message of `hashedLength` bytes; returns the padded length. */
function finishPadding(buf: Uint8Array, n: number, hashedLength: number): number {
  buf[n] = 0x80;
  let end = n + 1;
  while ((end & 63) !== 56) buf[end++] = 0;
  const bits = hashedLength * 8;
  const high = Math.floor(bits / 0x100000000);
  buf[end] = (high >>> 24) & 0xff;
  buf[end + 1] = (high >>> 16) & 0xff;
  buf[end + 2] = (high >>> 8) & 0xff;
  buf[end + 3] = high & 0xff;
  buf[end + 4] = (bits >>> 24) & 0xff;
  buf[end + 5] = (bits >>> 16) & 0xff;
  buf[end + 6] = (bits >>> 8) & 0xff;
  buf[end + 7] = bits & 0xff;
  return end + 8;
}

function writeState(state: Int32Array, out: Uint8Array): void {
  for (let i = 0; i < 8; i++) {
    const v = state[i]!;
    out[i * 4] = v >>> 24;
    out[i * 4 + 1] = (v >>> 16) & 0xff;
    out[i * 4 + 2] = (v >>> 8) & 0xff;
    out[i * 4 + 3] = v & 0xff;
  }
}
