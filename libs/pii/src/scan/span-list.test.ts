import { describe, expect, it } from 'vitest';
import { SpanList } from './span-list.ts';

const spans = (list: SpanList): number[][] =>
  Array.from({ length: list.length }, (_, i) => [list.starts[i]!, list.ends[i]!, list.slots[i]!]);

describe('SpanList', () => {
  it('span-list - keeps the higher priority span of an overlap, then the longer, sorted by start', () => {
    const list = new SpanList();
    list.push(10, 20, 1, 30); // phone inside
    list.push(5, 30, 2, 70); // IBAN around it
    list.push(40, 45, 3, 30);
    list.push(42, 50, 4, 30); // same priority, longer
    list.push(0, 3, 5, 10);
    list.resolve();
    expect(spans(list)).toEqual([
      [0, 3, 5],
      [5, 30, 2],
      [42, 50, 4],
    ]);
  });

  it('span-list - grows past its initial capacity and ignores empty spans', () => {
    const list = new SpanList();
    for (let i = 0; i < 40; i++) list.push(i * 2, i * 2 + 1, i, 1);
    list.push(100, 100, 1, 1);
    list.resolve();
    expect(list.length).toBe(40);
    list.clear();
    expect(list.length).toBe(0);
  });
});
