import { describe, expect, it } from 'vitest';
import { ScratchBuffer } from './scratch-buffer.ts';

describe('ScratchBuffer', () => {
  it('scratch-buffer - grows keeping the bytes written, and keeps the larger buffer for later batches', () => {
    const scratch = new ScratchBuffer(4);
    const first = scratch.buffer;
    first.write('abc', 0, 'latin1');
    const grown = scratch.grow(first, 3, 10);
    expect(grown.length).toBeGreaterThanOrEqual(13);
    expect(grown.subarray(0, 3).toString('latin1')).toBe('abc');
    expect(scratch.buffer).toBe(grown);
    // Doubling when that is more than asked for.
    expect(scratch.grow(grown, 0, 1).length).toBe(2 * grown.length);
  });

  it('scratch-buffer - a buffer above the kept bound serves one batch only', () => {
    const scratch = new ScratchBuffer(8, 64);
    const kept = scratch.buffer;
    const huge = scratch.grow(kept, 0, 100);
    expect(huge.length).toBe(100);
    expect(scratch.buffer).toBe(kept);
  });
});
