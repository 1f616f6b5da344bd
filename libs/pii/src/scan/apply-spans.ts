import { EntitySlot } from '../profile/entity-slot.ts';
import type { CompiledProfile } from '../profile/compile-profile.ts';
import { maskTextValue } from '../masking/mask-value.ts';
import type { MaskTally } from '../plan/mask-tally.ts';
import type { SpanList } from './span-list.ts';

/**
 * Replaces every span of a scan with its masked form and counts it. Returns null when a span's
 * operator is `nullify` and `allowNull` is set (a cell becomes SQL NULL); without `allowNull`
 * (command output, JSON keys) such a span gets the redaction token instead.
 */
export function applySpans(
  text: string,
  spans: SpanList,
  profile: CompiledProfile,
  column: number,
  tally: MaskTally | undefined,
  allowNull: boolean,
): string | null {
  let out = '';
  let last = 0;
  let nullify = false;
  for (let i = 0; i < spans.length; i++) {
    const start = spans.starts[i]!;
    const end = spans.ends[i]!;
    const slot = spans.slots[i]!;
    tally?.add(column, slot);
    const masked = maskTextValue(text.slice(start, end), slot, profile.operators[slot]!, profile);
    if (masked === null) {
      if (allowNull) nullify = true;
      out += text.slice(last, start) + profile.redactTokens[slot]!;
    } else {
      out += text.slice(last, start) + masked;
    }
    last = end;
  }
  return nullify ? null : out + text.slice(last);
}

/** The IP slot matching a value's family when a column or key only says "IP address". */
export function ipSlotFor(slot: number, value: string): number {
  if (slot === EntitySlot.ipv4 && value.includes(':')) return EntitySlot.ipv6;
  return slot;
}
