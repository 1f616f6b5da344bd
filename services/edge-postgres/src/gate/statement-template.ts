/**
 * A decision-cache key under which statements that differ only in their numeric literals share
 * one decision, so `pgbench -M simple` (which inlines every value) asks authz once per statement
 * shape instead of once per value.
 *
 * Correctness first: two texts may share a key only when the classifier (libs/sql-risk) and the
 * policy cannot tell them apart. sql-risk judges statements without literal values, except where
 * a constant changes what a statement does: `EXPLAIN (ANALYZE 0|1)`, `BEGIN READ ONLY|WRITE`
 * (keywords, not literals), and code inside strings (DO bodies, function bodies, dynamic SQL).
 * So a template exists only when
 *
 * - every statement of the text starts with a plain data-manipulation or transaction keyword
 *   ({@link templateKeywords}); EXPLAIN, COPY, SET, DO, CALL, PREPARE, CREATE ... never qualify;
 * - only numeric literals outside strings, comments and quoted identifiers are replaced (strings
 *   are kept verbatim, so a changed string is a different key);
 * - the text lexes unambiguously: no backslash in a standard string (its meaning depends on
 *   standard_conforming_strings), no number glued to an identifier (`1abc` lexes differently
 *   across PostgreSQL versions), no unterminated string, comment or dollar quote.
 *
 * Anything else returns undefined and the exact text is the only key. The placeholder keeps the
 * literal's category (integer or decimal), so overload resolution cannot differ between texts.
 * Lexical rules: https://www.postgresql.org/docs/current/sql-syntax-lexical.html
 */
export function statementTemplate(text: string): string | undefined {
  if (text.length > MAX_TEMPLATE_TEXT) return undefined;
  let out = '';
  let copiedUpTo = 0;
  let replaced = false;
  let expectKeyword = true;
  const length = text.length;
  let i = 0;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    // -- comment to end of line
    if (c === 0x2d && text.charCodeAt(i + 1) === 0x2d) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? length : end + 1;
      continue;
    }
    // /* nested */ comment
    if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a) {
      const end = skipBlockComment(text, i);
      if (end < 0) return undefined;
      i = end;
      continue;
    }
    if (c === 0x3b /* ; */) {
      expectKeyword = true;
      i++;
      continue;
    }
    if (expectKeyword) {
      // The statement's first token must be an allowed keyword.
      if (!isIdentStart(c)) return undefined;
      const end = identifierEnd(text, i);
      if (!templateKeywords.has(text.slice(i, end).toLowerCase())) return undefined;
      expectKeyword = false;
      i = end;
      continue;
    }
    if (c === 0x27 /* ' */) {
      const end = skipStandardString(text, i);
      if (end < 0) return undefined;
      i = end;
      continue;
    }
    if (c === 0x22 /* " */) {
      const end = skipQuotedIdentifier(text, i);
      if (end < 0) return undefined;
      i = end;
      continue;
    }
    if (c === 0x24 /* $ */) {
      const next = text.charCodeAt(i + 1);
      if (isDigit(next)) {
        // $1: a parameter reference, kept as is.
        i += 2;
        while (isDigit(text.charCodeAt(i))) i++;
        if (isIdentContinue(text.charCodeAt(i))) return undefined;
        continue;
      }
      const end = skipDollarQuote(text, i);
      if (end < 0) return undefined;
      i = end;
      continue;
    }
    if (isIdentStart(c)) {
      const end = identifierEnd(text, i);
      // E'...' (backslash escapes), U&'...', B'...', X'...', N'...': string constants with a prefix.
      const quote = text.charCodeAt(end);
      if (quote === 0x27) {
        const prefix = text.slice(i, end).toLowerCase();
        if (prefix === 'e') {
          const stringEnd = skipEscapeString(text, end);
          if (stringEnd < 0) return undefined;
          i = stringEnd;
          continue;
        }
        if (prefix === 'b' || prefix === 'x' || prefix === 'n') {
          const stringEnd = skipStandardString(text, end);
          if (stringEnd < 0) return undefined;
          i = stringEnd;
          continue;
        }
        return undefined;
      }
      if (quote === 0x26 /* & */) return undefined; // U&'...' / U&"..." with UESCAPE: not worth the risk
      i = end;
      continue;
    }
    if (isDigit(c) || (c === 0x2e && isDigit(text.charCodeAt(i + 1)))) {
      const previous = text.charCodeAt(i - 1);
      if (isIdentContinue(previous) || previous === 0x2e || previous === 0x22) return undefined;
      const end = numberEnd(text, i);
      if (end < 0) return undefined;
      const literal = text.slice(i, end);
      out += text.slice(copiedUpTo, i);
      out += /[.eE]/.test(literal) ? '?n' : '?i';
      copiedUpTo = end;
      replaced = true;
      i = end;
      continue;
    }
    if (c === 0x5c /* \ */) return undefined;
    i++;
  }
  if (!replaced) return undefined;
  return out + text.slice(copiedUpTo);
}

/** Longer texts are keyed by their exact text only (bounded work per statement). */
const MAX_TEMPLATE_TEXT = 16 * 1024;

/**
 * First keywords of statements that may share a template: data manipulation and transaction
 * control. Their numeric literals are values (or LIMIT/OFFSET counts), never options that change
 * what runs.
 */
export const templateKeywords: ReadonlySet<string> = new Set([
  'select',
  'insert',
  'update',
  'delete',
  'with',
  'values',
  'table',
  'begin',
  'start',
  'commit',
  'end',
  'rollback',
  'abort',
  'savepoint',
  'release',
]);

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c || c === 0x0b;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isIdentStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c >= 0x80;
}

function isIdentContinue(c: number): boolean {
  return isIdentStart(c) || isDigit(c) || c === 0x24;
}

function identifierEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length && isIdentContinue(text.charCodeAt(i))) i++;
  return i;
}

/** 'abc''def' without backslashes; returns the index after the closing quote, or -1. */
function skipStandardString(text: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const quote = text.indexOf("'", i);
    if (quote < 0) return -1;
    if (text.slice(i, quote).includes('\\')) return -1;
    if (text.charCodeAt(quote + 1) === 0x27) {
      i = quote + 2;
      continue;
    }
    return quote + 1;
  }
}

/** E'...' where backslash escapes the next character; returns the index after it, or -1. */
function skipEscapeString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) {
      i += 2;
      continue;
    }
    if (c === 0x27) {
      if (text.charCodeAt(i + 1) === 0x27) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return -1;
}

function skipQuotedIdentifier(text: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const quote = text.indexOf('"', i);
    if (quote < 0) return -1;
    if (text.charCodeAt(quote + 1) === 0x22) {
      i = quote + 2;
      continue;
    }
    return quote + 1;
  }
}

/** $tag$ ... $tag$; returns the index after the closing delimiter, or -1 (also for a lone `$`). */
function skipDollarQuote(text: string, start: number): number {
  let i = start + 1;
  const first = text.charCodeAt(i);
  if (first !== 0x24) {
    if (!isIdentStart(first)) return -1;
    while (i < text.length && text.charCodeAt(i) !== 0x24) {
      const c = text.charCodeAt(i);
      if (!isIdentStart(c) && !isDigit(c)) return -1;
      i++;
    }
    if (i >= text.length) return -1;
  }
  const delimiter = text.slice(start, i + 1);
  const close = text.indexOf(delimiter, i + 1);
  return close < 0 ? -1 : close + delimiter.length;
}

function skipBlockComment(text: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < text.length) {
    if (text.charCodeAt(i) === 0x2f && text.charCodeAt(i + 1) === 0x2a) {
      depth++;
      i += 2;
    } else if (text.charCodeAt(i) === 0x2a && text.charCodeAt(i + 1) === 0x2f) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return -1;
}

/**
 * End of a decimal numeric literal: 42, 4.2, .42, 4., 4e2, 4.2E-1 and PostgreSQL 16's 1_000.
 * Hexadecimal, octal and binary integers, and anything glued to letters or a second dot, give -1.
 */
function numberEnd(text: string, start: number): number {
  let i = start;
  const digits = (): number => {
    const from = i;
    while (
      isDigit(text.charCodeAt(i)) ||
      (text.charCodeAt(i) === 0x5f && isDigit(text.charCodeAt(i + 1)) && i > from)
    )
      i++;
    return i - from;
  };
  const whole = digits();
  if (text.charCodeAt(i) === 0x2e) {
    // `1..2` is a range in PL/pgSQL; never a template.
    if (text.charCodeAt(i + 1) === 0x2e) return -1;
    i++;
    const fraction = digits();
    if (whole === 0 && fraction === 0) return -1;
  }
  const e = text.charCodeAt(i);
  if (e === 0x65 || e === 0x45) {
    i++;
    const sign = text.charCodeAt(i);
    if (sign === 0x2b || sign === 0x2d) i++;
    if (digits() === 0) return -1;
  }
  const after = text.charCodeAt(i);
  if (isIdentContinue(after) || after === 0x2e) return -1;
  return i;
}
