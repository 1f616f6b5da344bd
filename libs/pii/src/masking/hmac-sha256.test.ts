import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HmacSha256 } from './hmac-sha256.ts';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('hmac-sha256', () => {
  it('hmac-sha256 - matches RFC 4231 test case 2', () => {
    const mac = new HmacSha256(Buffer.from('Jefe'));
    expect(hex(mac.digest('what do ya want for nothing?'))).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('hmac-sha256 - matches node:crypto for any key and message, across block boundaries', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 150 }),
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        (key, message) => {
          const mine = hex(new HmacSha256(key).digest(message));
          expect(mine).toBe(createHmac('sha256', key).update(message).digest('hex'));
        },
      ),
      { numRuns: 400 },
    );
    const mac = new HmacSha256(Buffer.from('k'.repeat(20)));
    for (let n = 50; n < 140; n++) {
      const message = 'x'.repeat(n);
      expect(hex(mac.digest(message))).toBe(
        createHmac('sha256', 'k'.repeat(20)).update(message).digest('hex'),
      );
    }
  });
});
