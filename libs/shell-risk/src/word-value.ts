import type { WordNode } from './shell-ast.ts';
import { renderWord } from './shell-render.ts';

/** What the classifier knows about one argument word after brace expansion and quote removal. */
export interface ArgValue {
  /** The value when it is known; otherwise the word's canonical source text (`$HOME/x`, `$(pwd)`). */
  readonly text: string;
  /** True when an expansion (parameter, substitution, arithmetic) decides the value at run time. */
  readonly dynamic: boolean;
  /** True when an unquoted `*`, `?` or `[` may replace the word with file names. */
  readonly glob: boolean;
}

/** Most words one brace expansion may produce before the word counts as dynamic. */
export const MAX_BRACE_EXPANSION = 256;

/** Most unquoted `{` one word may hold before it counts as dynamic without being expanded. */
export const MAX_BRACE_GROUPS = 32;

interface Char {
  readonly c: string;
  readonly quoted: boolean;
}

/** A known, unquoted-glob-free argument (for wrappers' own options and synthetic words). */
export function literalArg(text: string): ArgValue {
  return { text, dynamic: false, glob: false };
}

/**
 * The words `word` becomes after bash brace expansion (`{rm,-rf,/}` is three words, `-{r,f}` two,
 * `{,}` none). dash does not brace-expand; taking bash's reading is the riskier of the two for a
 * classifier. bash's handling of some malformed nestings (`{..{1,2}}`) is not reproduced: such
 * words keep braces or dots and name no program the tables know, so they still rank `unknown`.
 * Words with expansions are returned as one dynamic value.
 */
export function expandWord(word: WordNode): ArgValue[] {
  const only = word.parts[0];
  // Fast path: one literal with no unquoted brace cannot brace-expand.
  if (word.parts.length === 1 && only?.type === 'literal' && (only.quoted || !only.value.includes('{'))) {
    return [{ text: only.value, dynamic: false, glob: !only.quoted && hasGlobText(only.value) }];
  }
  const chars: Char[] = [];
  for (const part of word.parts) {
    if (part.type !== 'literal') return [{ text: renderWord(word), dynamic: true, glob: false }];
    // An empty quoted string leaves a zero-width mark: the word it is in is not empty (`''{,}` is two empty words).
    if (part.value === '' && part.quoted) chars.push({ c: '', quoted: true });
    for (const c of part.value) chars.push({ c, quoted: part.quoted });
  }
  // Each brace group is rescanned once per word it yields: a word with more groups than any real
  // command line has (an attack on the classifier's time) is treated as dynamic straight away.
  let groups = 0;
  for (const ch of chars) if (ch.c === '{' && !ch.quoted) groups++;
  const expanded = groups > MAX_BRACE_GROUPS ? null : braceExpand(chars, 0, { count: 0 });
  if (expanded === null) return [{ text: renderWord(word), dynamic: true, glob: false }];
  // A word that brace expansion left without any character or quote (`{,}`, `{a,}`) disappears, as in bash.
  return expanded
    .filter((result) => result.length > 0)
    .map((result) => ({ text: result.map((ch) => ch.c).join(''), dynamic: false, glob: hasGlob(result) }));
}

function hasGlobText(text: string): boolean {
  if (text.includes('*') || text.includes('?')) return true;
  const open = text.indexOf('[');
  return open !== -1 && text.indexOf(']', open + 2) !== -1;
}

/** Unquoted `*` or `?`, or a `[` closed by a later unquoted `]` (a lone `[`, as in `[ -f x ]`, matches itself). */
function hasGlob(chars: readonly Char[]): boolean {
  let open = -1;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as Char;
    if (ch.quoted) continue;
    if (ch.c === '*' || ch.c === '?') return true;
    if (ch.c === '[' && open === -1) open = i;
    else if (ch.c === ']' && open !== -1 && i > open + 1) return true;
  }
  return false;
}

function braceExpand(chars: readonly Char[], from: number, budget: { count: number }): Char[][] | null {
  // Groups before `from` were already found not to expand: bash moves left to right too.
  for (let open = from; open < chars.length; open++) {
    const ch = chars[open] as Char;
    if (ch.c !== '{' || ch.quoted) continue;
    const alternatives = braceAlternatives(chars, open);
    if (alternatives === null) continue;
    const prefix = chars.slice(0, open);
    const suffix = chars.slice(alternatives.close + 1);
    const out: Char[][] = [];
    for (const alternative of alternatives.items) {
      const expanded = braceExpand([...prefix, ...alternative, ...suffix], open, budget);
      if (expanded === null) return null;
      out.push(...expanded);
    }
    return out;
  }
  // Budget counts finished words only: past it, the word is treated as dynamic.
  budget.count++;
  return budget.count > MAX_BRACE_EXPANSION ? null : [chars.slice()];
}

/**
 * The alternatives of the brace group opening at `open`, or `null` when it is not a brace
 * expansion. As in bash's brace_gobbler, a `}` closes the group only after a top-level comma or
 * `..` (`{a}\\{,-rf}` is the group `a}{` / `-rf`); quoted characters never count.
 */
function braceAlternatives(chars: readonly Char[], open: number): { items: Char[][]; close: number } | null {
  let depth = 0;
  let separators = 0;
  const commas: number[] = [];
  for (let i = open + 1; i < chars.length; i++) {
    const ch = chars[i] as Char;
    if (ch.quoted) continue;
    const next = chars[i + 1];
    if (ch.c === '}' && depth === 0 && separators > 0) {
      if (commas.length > 0) {
        const items: Char[][] = [];
        let from = open + 1;
        for (const comma of [...commas, i]) {
          items.push(chars.slice(from, comma));
          from = comma + 1;
        }
        return { items, close: i };
      }
      const sequence = sequenceItems(chars.slice(open + 1, i));
      return sequence === null ? null : { items: sequence, close: i };
    }
    if (ch.c === '{') {
      depth++;
    } else if (ch.c === '}') {
      if (depth > 0) depth--;
    } else if (ch.c === ',' && depth === 0) {
      commas.push(i);
      separators++;
    } else if (
      ch.c === '.' &&
      depth === 0 &&
      next?.c === '.' &&
      next.quoted === false &&
      chars[i + 2]?.c !== '}'
    ) {
      separators++;
    }
  }
  return null;
}

/** `{1..5}`, `{a..e}`, `{10..1..3}`; `null` when the text is not a sequence or is too long. */
function sequenceItems(inner: readonly Char[]): Char[][] | null {
  if (inner.some((ch) => ch.quoted)) return null;
  const text = inner.map((ch) => ch.c).join('');
  const numeric = /^(-?\d+)\.\.(-?\d+)(?:\.\.(-?\d+))?$/.exec(text);
  const alpha = /^([A-Za-z])\.\.([A-Za-z])(?:\.\.(-?\d+))?$/.exec(text);
  const match = numeric ?? alpha;
  if (match === null) return null;
  const from = numeric === null ? (match[1] as string).charCodeAt(0) : Number(match[1]);
  const to = numeric === null ? (match[2] as string).charCodeAt(0) : Number(match[2]);
  const step = Math.abs(Number(match[3] ?? 1)) || 1;
  const count = Math.floor(Math.abs(to - from) / step) + 1;
  if (count > MAX_BRACE_EXPANSION) return null;
  const first = match[1] as string;
  const last = match[2] as string;
  const padded = numeric !== null && (/^-?0\d/.test(first) || /^-?0\d/.test(last));
  const width = padded ? Math.max(first.length, last.length) : 0;
  const items: Char[][] = [];
  for (let i = 0, value = from; i < count; i++, value += from <= to ? step : -step) {
    const item = numeric === null ? String.fromCharCode(value) : String(value).padStart(width, '0');
    items.push([...item].map((c) => ({ c, quoted: false })));
  }
  return items;
}
