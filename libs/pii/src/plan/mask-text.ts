import { PRIVATE_KEY_BEGIN, PRIVATE_KEY_END } from '../detectors/private-key.ts';
import type { CompiledProfile } from '../profile/compile-profile.ts';
import { EntitySlot } from '../profile/entity-slot.ts';
import { applySpans } from '../scan/apply-spans.ts';
import { MaskTally } from './mask-tally.ts';

/** Counts of one masked text: per entity, never values. */
export interface TextMaskCounts {
  /** Masked values in total. */
  readonly total: number;
  /** Masked values per entity name. */
  readonly byEntity: Readonly<Record<string, number>>;
}

/** A masked text and what was masked in it. */
export interface MaskedText {
  /** The text with every finding replaced (the same string when nothing was found). */
  readonly text: string;
  /** Counts per entity (never values). */
  readonly counts: TextMaskCounts;
}

const NOTHING: TextMaskCounts = Object.freeze({ total: 0, byEntity: Object.freeze({}) });
const OUTPUT_CONTEXT = Object.freeze({ hint: -1, identifier: false, wholeCell: false });

/**
 * Masks command output (or any free text) with the same detectors as result cells. Give it
 * whole lines: a value split across two calls cannot be recognised. `nullify` has no meaning in
 * a text stream, so it falls back to the redaction token. For output that may contain a private
 * key spread over many chunks, use {@link TextStreamMasker}.
 */
export function maskText(text: string, profile: CompiledProfile): MaskedText {
  const scanner = profile.scanner;
  if (scanner.scan(text, OUTPUT_CONTEXT) === 0) return { text, counts: NOTHING };
  const tally = new MaskTally([''], profile.entityNames);
  const masked = applySpans(text, scanner.spans, profile, 0, tally, false)!;
  const { total, byEntity } = tally.toCounts();
  return { text: masked, counts: { total, byEntity } };
}

/**
 * Masks a stream of command output chunk by chunk (an SSH channel). Like {@link maskText}, plus
 * state across chunks: once a private key block has begun, everything up to its END line is
 * dropped, even when the key's base64 lines arrive in later chunks. Feed it whole lines.
 */
export class TextStreamMasker {
  private insideKey = false;

  constructor(private readonly profile: CompiledProfile) {}

  /** Masks the next chunk of output. */
  mask(chunk: string): MaskedText {
    let text = chunk;
    if (this.insideKey) {
      const end = PRIVATE_KEY_END.exec(text);
      if (end === null) return { text: '', counts: NOTHING };
      this.insideKey = false;
      text = text.slice(end.index + end[0].length);
    }
    const result = maskText(text, this.profile);
    if (this.profile.operators[EntitySlot.secret] !== undefined) {
      const begin = text.includes('-----BEGIN ') ? lastBegin(text) : -1;
      if (begin >= 0 && !PRIVATE_KEY_END.test(text.slice(begin))) this.insideKey = true;
    }
    return result;
  }
}

const BEGIN_ALL = new RegExp(PRIVATE_KEY_BEGIN.source, 'g');

/** Start of the last private key BEGIN line in `text`, or -1. */
function lastBegin(text: string): number {
  BEGIN_ALL.lastIndex = 0;
  let last = -1;
  let m: RegExpExecArray | null;
  while ((m = BEGIN_ALL.exec(text)) !== null) last = m.index;
  return last;
}
