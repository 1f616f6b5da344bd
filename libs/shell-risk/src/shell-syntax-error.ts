import { UnclassifiableStatementError } from '@gatehouse/errors';

/**
 * The command line is not valid shell syntax as far as this parser is concerned (unterminated
 * quote or here-document, unbalanced parentheses, a construct outside POSIX sh and the supported
 * bash extensions, nesting deeper than the parser allows). `classifyShell` turns it into the
 * `unknown` class with the `unparsable` (or `too_complex`) flag; `parseShell` throws it.
 */
export class ShellSyntaxError extends UnclassifiableStatementError {
  constructor(
    message: string,
    /** UTF-16 offset in the parsed text where the problem was noticed. */
    readonly offset: number,
    /** True when the text was rejected for its nesting depth rather than its syntax. */
    readonly tooComplex = false,
  ) {
    super(message);
  }
}
