import type { PgParser, PgScanToken } from './pg-parser.ts';

// Lexer token numbers as libpg-query 18 reports them (its names for some are "UNKNOWN").
const TOKEN = {
  FCONST: 260,
  SCONST: 261,
  USCONST: 262,
  BCONST: 263,
  XCONST: 264,
  ICONST: 266,
  PARAM: 267,
  SQL_COMMENT: 275,
  C_COMMENT: 276,
} as const;

const LITERALS: ReadonlySet<number> = new Set([
  TOKEN.FCONST,
  TOKEN.SCONST,
  TOKEN.USCONST,
  TOKEN.BCONST,
  TOKEN.XCONST,
  TOKEN.ICONST,
]);

// Anything that could still be a literal or comment after pg_query's normalization: a quote
// (strings of every prefix: E'', B'', X'', U&''), a dollar quote, a comment opener, or a number
// (a digit not inside an identifier or a `$n`). Texts without any of these skip the lexer.
const MAY_HOLD_LITERAL = /'|\$(?!\d)|--|\/\*|(?<![\w$])\d/u;

/**
 * `sql` with every literal replaced by `$n` (numbered after the highest `$n` present) and comments
 * removed. pg_query's normalize (pg_stat_statements' constant replacement) is fast, but it keeps
 * comments and the literals of most utility statements (CREATE VIEW ... 'x', COPY ... '/path'),
 * which the lexer then replaces, and it garbles SET statements whose values are keywords
 * (`SET TRANSACTION ISOLATION LEVEL $1 COMMITTED`), which are lexed from the original text instead.
 * Returns `''` when the text cannot be lexed.
 */
export function normalizedText(parser: PgParser, sql: string, hasSet: boolean): string {
  if (hasSet) return scrubLiterals(parser, sql);
  let text: string;
  try {
    text = parser.normalize(sql);
  } catch {
    return scrubLiterals(parser, sql);
  }
  return MAY_HOLD_LITERAL.test(text) ? scrubLiterals(parser, text) : text.trim();
}

/** Replaces literal tokens by `$n` and drops comments, using the PostgreSQL lexer; `''` if it fails. */
export function scrubLiterals(parser: PgParser, text: string): string {
  let tokens: readonly PgScanToken[];
  try {
    tokens = parser.scan(text);
  } catch {
    return '';
  }
  // Token offsets are UTF-8 byte offsets.
  const bytes = Buffer.from(text, 'utf8');
  let next = 1;
  for (const token of tokens) {
    if (token.tokenType === TOKEN.PARAM) {
      const number = Number.parseInt(bytes.subarray(token.start + 1, token.end).toString('latin1'), 10);
      if (Number.isSafeInteger(number) && number >= next) next = number + 1;
    }
  }
  let out = '';
  let position = 0;
  // Whitespace (and dropped comments) between two kept tokens; collapsed when a comment was
  // dropped so that `a /* x */ b` reads `a b` and `a/**/b` does not fuse into `ab`.
  let pending = '';
  let droppedComment = false;
  for (const token of tokens) {
    pending += bytes.subarray(position, token.start).toString('utf8');
    position = token.end;
    if (token.tokenType === TOKEN.SQL_COMMENT || token.tokenType === TOKEN.C_COMMENT) {
      droppedComment = true;
      continue;
    }
    out += droppedComment ? (pending.includes('\n') ? '\n' : ' ') : pending;
    out += LITERALS.has(token.tokenType)
      ? `$${next++}`
      : bytes.subarray(token.start, token.end).toString('utf8');
    pending = '';
    droppedComment = false;
  }
  return out.trim();
}
