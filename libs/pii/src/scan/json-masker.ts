import type { ScanContext } from '../detectors/detector.ts';
import type { CompiledProfile } from '../profile/compile-profile.ts';
import { maskTextValue } from '../masking/mask-value.ts';
import { maskJsonNumber } from '../masking/typed-value.ts';
import type { MaskTally } from '../plan/mask-tally.ts';
import { applySpans, ipSlotFor } from './apply-spans.ts';

const MAX_DEPTH = 256;
/** A JSON number token (RFC 8259 section 6), matched in place. */
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const DIGITS_ONLY = /^-?\d+$/;
/** Characters that must be escaped inside a JSON string (RFC 8259 section 7). */
function needsEscape(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 34 || c === 92) return true;
  }
  return false;
}

class MalformedJson extends Error {}

/**
 * Masks a `json` / `jsonb` document so that it stays valid JSON: only string and number tokens
 * change, and a replacement is always a valid token (`null`, a quoted string, digits without a
 * leading zero). An object key is a hint for its value (`{"ssn": "123456789"}`), inherited by
 * nested containers (`{"address": {"city": ...}}`); keys are scanned too. With `wholeSlot` >= 0
 * (a column known to hold that entity) every string and number leaf is masked as that entity.
 * Returns undefined when the text is not JSON, so the caller can fall back to plain text.
 */
export function maskJson(
  text: string,
  profile: CompiledProfile,
  wholeSlot: number,
  column: number,
  tally: MaskTally | undefined,
): string | null | undefined {
  const walker = new JsonWalker(text, profile, wholeSlot, column, tally);
  try {
    walker.value(-1, 0);
    walker.skipSpace();
    if (walker.i !== text.length) return undefined;
  } catch (error) {
    if (error instanceof MalformedJson) return undefined;
    throw error;
  }
  return walker.result();
}

class JsonWalker {
  i = 0;
  private out = '';
  private last = 0;
  private readonly context: ScanContext = { hint: -1, identifier: false, wholeCell: true };

  constructor(
    private readonly text: string,
    private readonly profile: CompiledProfile,
    private readonly wholeSlot: number,
    private readonly column: number,
    private readonly tally: MaskTally | undefined,
  ) {}

  result(): string {
    return this.last === 0 ? this.text : this.out + this.text.slice(this.last);
  }

  skipSpace(): void {
    const t = this.text;
    while (this.i < t.length) {
      const c = t.charCodeAt(this.i);
      if (c !== 32 && c !== 10 && c !== 13 && c !== 9) break;
      this.i++;
    }
  }

  value(hint: number, depth: number): void {
    if (depth > MAX_DEPTH) throw new MalformedJson('too deep');
    this.skipSpace();
    const c = this.text.charCodeAt(this.i);
    if (c === 123 /* { */) this.object(hint, depth);
    else if (c === 91 /* [ */) this.array(hint, depth);
    else if (c === 34 /* " */) this.stringValue(hint);
    else if (c === 45 || (c >= 48 && c <= 57)) this.number(hint);
    else this.literal();
  }

  private object(hint: number, depth: number): void {
    this.i++;
    this.skipSpace();
    if (this.text.charCodeAt(this.i) === 125) {
      this.i++;
      return;
    }
    for (;;) {
      this.skipSpace();
      if (this.text.charCodeAt(this.i) !== 34) throw new MalformedJson('key expected');
      const start = this.i;
      const end = this.stringEnd(start);
      const key = this.decode(start, end);
      this.i = end;
      this.maskString(start, end, key, -1, true);
      this.skipSpace();
      if (this.text.charCodeAt(this.i) !== 58) throw new MalformedJson('colon expected');
      this.i++;
      const keyHint = this.profile.hintForKey(key);
      this.value(keyHint >= 0 ? keyHint : hint, depth + 1);
      this.skipSpace();
      const c = this.text.charCodeAt(this.i++);
      if (c === 125) return;
      if (c !== 44) throw new MalformedJson('comma expected');
    }
  }

  private array(hint: number, depth: number): void {
    this.i++;
    this.skipSpace();
    if (this.text.charCodeAt(this.i) === 93) {
      this.i++;
      return;
    }
    for (;;) {
      this.value(hint, depth + 1);
      this.skipSpace();
      const c = this.text.charCodeAt(this.i++);
      if (c === 93) return;
      if (c !== 44) throw new MalformedJson('comma expected');
    }
  }

  private literal(): void {
    for (const word of ['true', 'false', 'null']) {
      if (this.text.startsWith(word, this.i)) {
        this.i += word.length;
        return;
      }
    }
    throw new MalformedJson('unexpected token');
  }

  /** Index just after the closing quote of the string starting at `start`. */
  private stringEnd(start: number): number {
    const t = this.text;
    let j = start + 1;
    while (j < t.length) {
      const c = t.charCodeAt(j);
      if (c === 92) j += 2;
      else if (c === 34) return j + 1;
      else j++;
    }
    throw new MalformedJson('unterminated string');
  }

  private decode(start: number, end: number): string {
    const raw = this.text.slice(start + 1, end - 1);
    if (!raw.includes('\\')) return raw;
    try {
      return JSON.parse(this.text.slice(start, end)) as string;
    } catch {
      throw new MalformedJson('bad escape');
    }
  }

  private stringValue(hint: number): void {
    const start = this.i;
    const end = this.stringEnd(start);
    this.i = end;
    this.maskString(start, end, this.decode(start, end), hint, false);
  }

  private maskString(start: number, end: number, value: string, hint: number, isKey: boolean): void {
    if (value.length === 0) return;
    const profile = this.profile;
    let masked: string | null;
    if (this.wholeSlot >= 0 && !isKey) {
      const slot = ipSlotFor(this.wholeSlot, value);
      const operator = profile.operators[slot];
      if (operator === undefined) return;
      this.tally?.add(this.column, slot);
      masked = maskTextValue(value, slot, operator, profile);
    } else {
      this.context.hint = hint;
      if (profile.scanner.scan(value, this.context) === 0) return;
      masked = applySpans(value, profile.scanner.spans, profile, this.column, this.tally, !isKey);
    }
    const token = masked === null ? 'null' : needsEscape(masked) ? JSON.stringify(masked) : `"${masked}"`;
    this.splice(start, end, token);
  }

  private number(hint: number): void {
    NUMBER.lastIndex = this.i;
    const found = NUMBER.exec(this.text);
    if (found === null) throw new MalformedJson('bad number');
    const start = this.i;
    const token = found[0];
    this.i += token.length;
    let slot = this.wholeSlot;
    if (slot < 0) {
      const scanner = this.profile.scanner;
      this.context.hint = hint;
      const digitsOnly = DIGITS_ONLY.test(token);
      if (!digitsOnly && hint < 0) return;
      const n = hint >= 0 ? scanner.scan(token, this.context) : scanner.scanNumber(token, this.context);
      if (n === 0) return;
      slot = scanner.spans.slots[0]!;
    }
    const operator = this.profile.operators[slot];
    if (operator === undefined) return;
    this.tally?.add(this.column, slot);
    this.splice(start, this.i, maskJsonNumber(token, slot, operator, this.profile));
  }

  private splice(start: number, end: number, replacement: string): void {
    this.out += this.text.slice(this.last, start) + replacement;
    this.last = end;
  }
}
