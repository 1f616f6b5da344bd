import { decodeByteaText, encodeByteaHex, isHexBytea } from '../masking/bytea-text.ts';
import { maskNumber } from '../masking/typed-value.ts';
import { applySpans } from '../scan/apply-spans.ts';
import { maskJson } from '../scan/json-masker.ts';
import {
  ElementList,
  parseArrayText,
  parseRecordText,
  quoteArrayElement,
  quoteRecordField,
} from '../scan/pg-container-text.ts';
import { ColumnActionKind, type ColumnAction } from './column-action.ts';
import { fitLength } from './fit-length.ts';
import type { MaskTally } from './mask-tally.ts';
import { maskWholeValue } from './mask-whole-value.ts';
import { ValueKind } from './pg-type.ts';

/** Nesting limit (composite in array in composite ...); deeper text is only scanned, and a finding nulls the cell. */
const MAX_DEPTH = 16;
/** A composite field that reads as a number keeps a number's shape when masked (it may be an int field). */
const NUMBER_SHAPE = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();

/**
 * Masks personal data inside one text-format cell whose type has structure or no known shape:
 * built-in arrays, composites (`record`, table row types), unknown OIDs (enums, extension types),
 * computed `bytea`, and fixed-syntax built-ins. The rules, which keep every result parseable as
 * the column's type:
 *
 * - **composites of a known row type** (the action has `fields`, one per field of the relation):
 *   each field is masked by its own action, as a cell of that table's column would be (a field
 *   nullified is a NULL field); a value with another number of fields (the type changed since the
 *   catalog was read) is masked by shape as below; an array of such a composite, element by element;
 * - **arrays and composites**: the text is parsed into elements (PostgreSQL's array / composite
 *   output syntax); each element is decoded, masked as its element type (composite fields and the
 *   elements of unknown types recursively, by shape: `(...)`, `{...}`, JSON, hex bytea, else free
 *   text, a number-shaped field keeping a number's shape), and only changed elements are replaced,
 *   quoted and escaped exactly as `array_out` / `record_out` would print them;
 * - **`nullify`** found anywhere makes the whole cell NULL, as in free text;
 * - **no safe rewrite** (a built-in array whose text does not parse, nesting deeper than
 *   {@link MAX_DEPTH}, a fixed-syntax type such as `cidr` or `tsvector`): a finding makes the whole
 *   cell NULL;
 * - **bytea**: the bytes are decoded (hex or escape format) and scanned as UTF-8 when they are
 *   valid UTF-8, else byte by byte (Latin-1) so that text inside binary data is still found; a
 *   finding replaces the whole cell with the hex form of the masked bytes.
 *
 * One instance is reused for every cell (masking is synchronous); its element lists are kept per
 * nesting level, so a clean cell allocates little beyond the decoded element strings.
 */
export class StructuredCellMasker {
  private action: ColumnAction | undefined;
  private tally: MaskTally | undefined;
  private whole = false;
  private nullify = false;
  /** Nesting depth of the value `action` is for: its `fields` apply there, not to values nested in it. */
  private top = 0;
  private readonly lists: ElementList[] = [];

  /** Masks one cell for `action`; returns the same string when clean, null for SQL NULL. */
  mask(value: string, action: ColumnAction, tally: MaskTally | undefined): string | null {
    this.action = action;
    this.tally = tally;
    this.whole = action.kind === ColumnActionKind.Whole;
    this.nullify = false;
    this.top = 0;
    const masked = this.value(value, action.valueKind, 0);
    this.action = undefined;
    this.tally = undefined;
    return this.nullify ? null : masked;
  }

  private value(text: string, kind: ValueKind, depth: number): string {
    const action = this.action!;
    switch (kind) {
      case ValueKind.Array:
        return this.array(text, action.elementKind ?? ValueKind.Structured, action.delimiter, depth);
      case ValueKind.Structured:
        return this.structured(text, depth);
      case ValueKind.Bytea:
        return this.bytea(text);
      case ValueKind.Other:
        this.nullIfFound(text);
        return text;
      case ValueKind.Text:
        return this.text(text, true);
      case ValueKind.Json: {
        const masked = maskJson(text, action.profile, -1, action.column, this.tally);
        if (masked === undefined) return this.text(text, true);
        if (masked === null) this.nullify = true;
        return masked ?? text;
      }
      case ValueKind.Integer:
      case ValueKind.Decimal:
        return this.number(text);
      default:
        return text; // bool, dates, uuid, ...: the plan passes these unless a column hint says otherwise
    }
  }

  /** A built-in array (known element kind) or, from {@link structured}, an array of unknown elements. */
  private array(text: string, elementKind: ValueKind, delimiter: string, depth: number): string {
    const list = this.list(depth);
    if (depth >= MAX_DEPTH || !parseArrayText(text, delimiter, list)) {
      this.nullIfFound(text);
      return text;
    }
    return this.splice(text, list, elementKind, delimiter, depth);
  }

  /** A value of unknown type: composite, array, JSON, hex bytea or free text, by its shape. */
  private structured(text: string, depth: number): string {
    if (depth >= MAX_DEPTH) {
      this.nullIfFound(text);
      return text;
    }
    const list = this.list(depth);
    let start = 0;
    while (start < text.length && text.charCodeAt(start) <= 32) start++;
    const first = text.charCodeAt(start);
    if (first === 40 /* ( */ && parseRecordText(text, list)) {
      const action = this.action!;
      const fields = action.fields;
      // The fields are the value's own, or each element's in an array of the composite.
      const fieldsDepth = action.fieldsOfElements ? this.top + 1 : this.top;
      if (fields !== undefined && depth === fieldsDepth && list.length === fields.length) {
        return this.fields(text, list, fields, depth);
      }
      return this.splice(text, list, ValueKind.Structured, '', depth);
    }
    if (first === 123 /* { */ || first === 91 /* [ */) {
      if (parseArrayText(text, ',', list)) return this.splice(text, list, ValueKind.Structured, ',', depth);
      const action = this.action!;
      const masked = maskJson(text, action.profile, -1, action.column, this.tally);
      if (masked === null) this.nullify = true;
      if (masked !== undefined) return masked ?? text;
    }
    if (first === 92 /* \ */ && isHexBytea(text)) return this.bytea(text);
    return this.text(text, false);
  }

  /**
   * Masks each non-null element of `list` and rebuilds `text` with the changed ones re-quoted:
   * array syntax with `delimiter`, composite syntax when `delimiter` is empty.
   */
  private splice(text: string, list: ElementList, kind: ValueKind, delimiter: string, depth: number): string {
    let out = '';
    let last = 0;
    let changed = false;
    for (let i = 0; i < list.length; i++) {
      const value = list.values[i];
      if (value === null || value === undefined) continue;
      let masked: string;
      if (this.whole) {
        const whole = maskWholeValue(value, kind, this.action!, this.tally);
        if (whole === null) {
          this.nullify = true;
          continue;
        }
        masked = whole;
      } else {
        masked = this.value(value, kind, depth + 1);
      }
      if (masked === value) continue;
      const quoted = delimiter === '' ? quoteRecordField(masked) : quoteArrayElement(masked, delimiter);
      out += text.slice(last, list.starts[i]) + quoted;
      last = list.ends[i]!;
      changed = true;
    }
    return changed ? out + text.slice(last) : text;
  }

  /**
   * A composite whose fields the plan knows: each non-null field is masked with its own action
   * (the state switches to that action for the field and back), and changed fields are re-quoted
   * as `record_out` prints them. A field its action nullifies becomes a NULL field, as the
   * table's column would be a NULL cell.
   */
  private fields(text: string, list: ElementList, fields: readonly ColumnAction[], depth: number): string {
    const action = this.action;
    const whole = this.whole;
    const top = this.top;
    const nullify = this.nullify;
    let out = '';
    let last = 0;
    let changed = false;
    for (let i = 0; i < list.length; i++) {
      const value = list.values[i];
      const field = fields[i]!;
      if (value === null || value === undefined || field.kind === ColumnActionKind.Pass) continue;
      this.nullify = false;
      let masked: string | null;
      if (field.kind === ColumnActionKind.Whole && field.valueKind !== ValueKind.Array) {
        masked = maskWholeValue(value, field.valueKind, field, this.tally);
      } else {
        this.action = field;
        this.whole = field.kind === ColumnActionKind.Whole;
        this.top = depth + 1;
        masked = this.value(value, field.valueKind, depth + 1);
      }
      if (this.nullify) masked = null;
      if (masked === value) continue;
      out += text.slice(last, list.starts[i]) + (masked === null ? '' : quoteRecordField(masked));
      last = list.ends[i]!;
      changed = true;
    }
    this.action = action;
    this.whole = whole;
    this.top = top;
    this.nullify = nullify;
    return changed ? out + text.slice(last) : text;
  }

  /**
   * Free text: spans are masked in place. `typed` text (a text-type array element) respects the
   * column's length limit; an untyped value that reads as a number keeps a number's shape.
   */
  private text(value: string, typed: boolean): string {
    const action = this.action!;
    const profile = action.profile;
    const scanner = profile.scanner;
    if (scanner.scan(value, action.context) === 0) return value;
    if (!typed && NUMBER_SHAPE.test(value)) {
      const slot = scanner.spans.slots[0]!;
      this.tally?.add(action.column, slot);
      const masked = maskNumber(value, slot, profile.operators[slot]!, profile, Infinity);
      if (masked === null) this.nullify = true;
      return masked ?? value;
    }
    const masked = applySpans(value, scanner.spans, profile, action.column, this.tally, true);
    if (masked === null) {
      this.nullify = true;
      return value;
    }
    return typed ? (fitLength(masked, value, action) ?? value) : masked;
  }

  /** An element of a computed number array: card numbers and custom patterns, digits replaced. */
  private number(value: string): string {
    const action = this.action!;
    const profile = action.profile;
    if (profile.scanner.scanNumber(value, action.context) === 0) return value;
    const slot = profile.scanner.spans.slots[0]!;
    this.tally?.add(action.column, slot);
    const masked = maskNumber(value, slot, profile.operators[slot]!, profile, action.digitLimit);
    if (masked === null) this.nullify = true;
    return masked ?? value;
  }

  /** A bytea text value: decoded, scanned, re-encoded as hex when something was masked. */
  private bytea(text: string): string {
    const bytes = decodeByteaText(text);
    if (bytes === undefined) {
      this.nullIfFound(text);
      return text;
    }
    let decoded: string;
    let isUtf8 = true;
    try {
      decoded = utf8.decode(bytes);
    } catch {
      decoded = latin1String(bytes);
      isUtf8 = false;
    }
    const action = this.action!;
    const profile = action.profile;
    if (profile.scanner.scan(decoded, action.context) === 0) return text;
    const masked = applySpans(decoded, profile.scanner.spans, profile, action.column, this.tally, true);
    if (masked === null) {
      this.nullify = true;
      return text;
    }
    return encodeByteaHex(isUtf8 ? encoder.encode(masked) : latin1Bytes(masked));
  }

  /** A value with no safe rewrite: any finding (counted) makes the whole cell NULL. */
  private nullIfFound(text: string): void {
    const action = this.action!;
    const scanner = action.profile.scanner;
    const found = scanner.scan(text, action.context);
    for (let i = 0; i < found; i++) this.tally?.add(action.column, scanner.spans.slots[i]!);
    if (found > 0) this.nullify = true;
  }

  private list(depth: number): ElementList {
    let list = this.lists[depth];
    if (list === undefined) {
      list = new ElementList();
      this.lists[depth] = list;
    }
    return list;
  }
}

/**
 * One character per byte (ISO 8859-1, not the WHATWG `latin1` label, which is windows-1252), so
 * that span offsets are byte offsets.
 */
function latin1String(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return out;
}

/** Bytes of a string read as Latin-1, except masked replacements beyond U+00FF, which are UTF-8. */
function latin1Bytes(text: string): Uint8Array {
  let wide = false;
  for (let i = 0; i < text.length && !wide; i++) wide = text.charCodeAt(i) > 0xff;
  if (!wide) {
    const out = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
    return out;
  }
  const parts: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c <= 0xff) parts.push(c);
    else parts.push(...encoder.encode(ch));
  }
  return Uint8Array.from(parts);
}
