import { createHash, createHmac, type KeyObject } from 'node:crypto';

/**
 * HMAC-SHA-256 of `entity NUL value` under the profile key, domain-separated by `purpose` so the
 * `hash` output and the seed of a `fake` never coincide. The entity is part of the input so the
 * same digits hash differently as an SSN and as a phone number.
 */
export function keyedDigest(key: KeyObject, purpose: string, entity: string, value: string): Buffer {
  return createHmac('sha256', key)
    .update(purpose)
    .update('\0')
    .update(entity)
    .update('\0')
    .update(value)
    .digest();
}

/**
 * Deterministic pseudo-random bytes seeded by a keyed digest: the seed itself, then
 * SHA-256(seed || counter) blocks. Used by the fake operator so a value always gets the same fake.
 */
export class DigestStream {
  private block: Buffer;
  private offset = 0;
  private counter = 0;

  constructor(private readonly seed: Buffer) {
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
