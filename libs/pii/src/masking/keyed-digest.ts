import { createHash } from 'node:crypto';
import type { HmacSha256 } from './hmac-sha256.ts';

/**
 * HMAC-SHA-256 under the profile key of the UTF-8 string `purpose NUL entity NUL value`: the
 * purpose (`hash` / `fake`) keeps a hash output and a fake's seed apart, the entity makes the
 * same digits hash differently as an SSN and as a phone number. Any other system holding the key
 * can compute the same value (e.g. to join on a hashed email).
 */
export function keyedDigest(hmac: HmacSha256, purpose: string, entity: string, value: string): Uint8Array {
  return hmac.digest(`${purpose}\0${entity}\0${value}`);
}

/**
 * Deterministic pseudo-random bytes seeded by a keyed digest: the seed itself, then
 * SHA-256(seed || counter) blocks. Used by the fake operator so a value always gets the same fake.
 */
export class DigestStream {
  private block: Uint8Array;
  private offset = 0;
  private counter = 0;

  constructor(private readonly seed: Uint8Array) {
    this.block = seed;
  }

  /** Next byte, 0..255. */
  byte(): number {
    if (this.offset === this.block.length) {
      this.counter++;
      this.block = createHash('sha256').update(this.seed).update(String(this.counter)).digest();
      this.offset = 0;
    }
    return this.block[this.offset++]!;
  }

  /** Integer in `[0, n)` for n <= 65536; the modulo bias is irrelevant for fake data. */
  below(n: number): number {
    return n <= 256 ? this.byte() % n : ((this.byte() << 8) | this.byte()) % n;
  }

  /** One decimal digit character. */
  digit(): string {
    return String.fromCharCode(48 + this.below(10));
  }

  /** One element of `list`. */
  pick<T>(list: readonly T[]): T {
    return list[this.below(list.length)]!;
  }
}
