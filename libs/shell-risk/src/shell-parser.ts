/**
 * Hand-written parser for POSIX sh command lines
 * (https://pubs.opengroup.org/onlinepubs/9699919799/utilities/V3_chap02.html) plus the bash
 * extensions people type over SSH: `[[ ]]`, `function`, `$'…'`, `$"…"`, `<(…)`/`>(…)`, `&>`,
 * `&>>`, `|&`, `<<<` and `;&`/`;;&` in `case`.
 *
 * Why not an npm shell parser: shell-quote (the common one) returns a flat token list with
 * `{ op }` objects, substitutes unknown `$VARS` with the empty string (so `$CMD -rf /` would look
 * like `-rf /`), and has no notion of `$( … )` nesting, backquotes, subshells, compound commands
 * or here-documents; a security classifier must see every command that runs — including those
 * inside substitutions and `case` arms inside `$( … )` — and must refuse what it cannot parse.
 * Lexing and parsing are interleaved because shell tokens depend on context (reserved words only
 * at command position, here-document bodies start after the next newline token, `$((` is
 * arithmetic only if it closes with `))`).
 *
 * Where bash and dash read a construct differently in a way that would hide commands (a
 * here-document delimiter joined by a backslash-newline), the parser refuses rather than
 * picking one.
 */
import type {
  AndOrNode,
  AssignmentNode,
  CaseNode,
  CommandNode,
  CommandSubstitutionPart,
  ForNode,
  HereDocNode,
  IfNode,
  ListItem,
  ListNode,
  LoopNode,
  ParameterPart,
  PipelineNode,
  RedirectNode,
  RedirectOperator,
  SimpleCommandNode,
  WordNode,
  WordPart,
} from './shell-ast.ts';
import { ShellSyntaxError } from './shell-syntax-error.ts';

/** Deepest nesting of lists, substitutions and compound commands the parser follows. */
export const MAX_PARSE_DEPTH = 64;

// Longest first: the first match wins.
const OPERATORS = [
  '<<<',
  '<<-',
  '&>>',
  ';;&',
  '&&',
  '||',
  ';;',
  ';&',
  '|&',
  '<<',
  '>>',
  '<&',
  '>&',
  '<>',
  '>|',
  '&>',
  '&',
  '|',
  ';',
  '<',
  '>',
  '(',
  ')',
  '\n',
] as const;

const REDIRECT_OPERATORS: ReadonlySet<string> = new Set<RedirectOperator>([
  '<<<',
  '<<-',
  '&>>',
  '<<',
  '>>',
  '<&',
  '>&',
  '<>',
  '>|',
  '&>',
  '<',
  '>',
]);

/** Reserved words that close a list: a list stops in front of them and its owner checks which one it got. */
const CLOSERS: ReadonlySet<string> = new Set(['then', 'else', 'elif', 'fi', 'do', 'done', 'esac', '}']);

// A reserved word is recognised only as a whole unquoted word at command position.
const RESERVED =
  /(?:if|then|else|elif|fi|do|done|case|esac|while|until|for|function|in|\{|\}|!|\[\[|\]\])(?=[ \t\n;&|()<>]|$)/y;
const ASSIGNMENT = /[A-Za-z_][A-Za-z0-9_]*\+?=/y;
const IO_NUMBER = /[0-9]+(?=[<>])/y;
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const VALID_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Characters that end an unquoted word. */
function isMeta(c: string): boolean {
  return (
    c === ' ' ||
    c === '\t' ||
    c === '\n' ||
    c === ';' ||
    c === '&' ||
    c === '|' ||
    c === '<' ||
    c === '>' ||
    c === '(' ||
    c === ')'
  );
}

interface PendingHereDoc {
  delimiter: string;
  quoted: boolean;
  stripTabs: boolean;
  node: { -readonly [K in keyof HereDocNode]: HereDocNode[K] };
}

/**
 * Parses a command line into its syntax tree. Throws {@link ShellSyntaxError} when the text is not
 * valid (unterminated quote, substitution or here-document, unbalanced parentheses, a misplaced
 * reserved word, an unsupported construct such as bash arrays or C-style `for ((;;))`).
 */
export function parseShell(commandLine: string): ListNode {
  return new Parser(commandLine, 0).parseProgram();
}

class Parser {
  private pos = 0;
  private pending: PendingHereDoc[] = [];
  /** Here-documents of enclosing lines held while a `$( … )` is parsed: a newline inside it is refused. */
  private heldOuter = 0;

  constructor(
    private readonly src: string,
    private depth: number,
  ) {
    if (depth > MAX_PARSE_DEPTH) throw new ShellSyntaxError('nesting too deep', 0, true);
  }

  parseProgram(): ListNode {
    const list = this.parseList();
    this.skipBlanks();
    if (this.pos < this.src.length) throw this.unexpected();
    if (this.pending.length > 0) throw this.unterminatedHereDoc();
    return list;
  }

  /** Everything after `$` in a here-document body or arithmetic text: collects the expansions that run. */
  collectExpansions(): WordPart[] {
    const parts: WordPart[] = [];
    while (this.pos < this.src.length) {
      const c = this.src[this.pos];
      if (c === '\\') {
        this.pos += 2;
      } else if (c === '$') {
        const part = this.parseDollar(true);
        if (part.type !== 'literal') parts.push(part);
      } else if (c === '`') {
        parts.push(this.parseBackquoted(false, true));
      } else {
        this.pos++;
      }
    }
    return parts;
  }

  // ---- characters -------------------------------------------------------------------------

  /** Line continuations (backslash-newline) vanish before tokenisation outside single quotes. */
  private skipContinuations(): void {
    while (this.src.charCodeAt(this.pos) === 92 && this.src.charCodeAt(this.pos + 1) === 10) this.pos += 2;
  }

  private lookahead(n: number): string {
    let out = '';
    let p = this.pos;
    while (out.length < n && p < this.src.length) {
      if (this.src.charCodeAt(p) === 92 && this.src.charCodeAt(p + 1) === 10) {
        p += 2;
        continue;
      }
      out += this.src[p];
      p++;
    }
    return out;
  }

  private advance(n: number): void {
    for (let i = 0; i < n; i++) {
      this.skipContinuations();
      this.pos++;
    }
  }

  private skipBlanks(): void {
    for (;;) {
      this.skipContinuations();
      const c = this.src[this.pos];
      if (c === ' ' || c === '\t') {
        this.pos++;
      } else if (c === '#') {
        // A comment runs to the end of the line; the newline itself is a token.
        const end = this.src.indexOf('\n', this.pos);
        this.pos = end === -1 ? this.src.length : end;
      } else {
        return;
      }
    }
  }

  private skipLinebreaks(): void {
    for (;;) {
      this.skipBlanks();
      if (this.src[this.pos] !== '\n') return;
      this.consumeNewline();
    }
  }

  private consumeNewline(): void {
    if (this.heldOuter > 0) {
      throw new ShellSyntaxError(
        'newline inside a command substitution while a here-document is pending',
        this.pos,
      );
    }
    this.pos++;
    if (this.pending.length > 0) this.readHereDocBodies();
  }

  private peekOperator(): string | null {
    const ahead = this.lookahead(3);
    for (const op of OPERATORS) if (ahead.startsWith(op)) return op;
    return null;
  }

  private reservedAt(): string | null {
    this.skipContinuations();
    RESERVED.lastIndex = this.pos;
    const match = RESERVED.exec(this.src);
    return match === null ? null : match[0];
  }

  private expectReserved(word: string): void {
    this.skipBlanks();
    if (this.reservedAt() !== word) throw this.unexpected(`expected '${word}'`);
    this.advance(word.length);
  }

  private expectOperator(op: string): void {
    this.skipBlanks();
    if (this.lookahead(op.length) !== op) throw this.unexpected(`expected '${op}'`);
    this.advance(op.length);
  }

  private unexpected(hint?: string): ShellSyntaxError {
    const near =
      this.pos >= this.src.length ? 'end of input' : JSON.stringify(this.src.slice(this.pos, this.pos + 10));
    return new ShellSyntaxError(
      `syntax error near ${near}${hint === undefined ? '' : ` (${hint})`}`,
      this.pos,
    );
  }

  private unterminatedHereDoc(): ShellSyntaxError {
    return new ShellSyntaxError(
      `here-document delimited by '${this.pending[0]?.delimiter ?? ''}' is not terminated`,
      this.pos,
    );
  }

  private enter(): void {
    if (++this.depth > MAX_PARSE_DEPTH) throw new ShellSyntaxError('nesting too deep', this.pos, true);
  }

  private leave(): void {
    this.depth--;
  }

  // ---- grammar ----------------------------------------------------------------------------

  private atListEnd(): boolean {
    const c = this.lookahead(1);
    if (c === '' || c === ')') return true;
    const two = this.lookahead(2);
    if (two === ';;' || two === ';&') return true;
    const word = this.reservedAt();
    return word !== null && CLOSERS.has(word);
  }

  private parseList(): ListNode {
    const items: ListItem[] = [];
    for (;;) {
      this.skipLinebreaks();
      if (this.atListEnd()) break;
      const command = this.parseAndOr();
      this.skipBlanks();
      const op = this.peekOperator();
      if (op === ';' || op === '&') {
        this.advance(1);
        items.push({ command, background: op === '&' });
      } else if (op === '\n') {
        items.push({ command, background: false });
      } else {
        items.push({ command, background: false });
        break;
      }
    }
    return { type: 'list', items };
  }

  private parseBody(): ListNode {
    this.enter();
    const body = this.parseList();
    this.leave();
    if (body.items.length === 0) throw this.unexpected('empty command list');
    return body;
  }

  private parseAndOr(): AndOrNode {
    const pipelines = [this.parsePipeline()];
    const operators: ('&&' | '||')[] = [];
    for (;;) {
      this.skipBlanks();
      const op = this.peekOperator();
      if (op !== '&&' && op !== '||') break;
      this.advance(2);
      this.skipLinebreaks();
      operators.push(op);
      pipelines.push(this.parsePipeline());
    }
    return { type: 'and_or', pipelines, operators };
  }

  private parsePipeline(): PipelineNode {
    this.skipBlanks();
    let negated = false;
    if (this.reservedAt() === '!') {
      this.advance(1);
      negated = true;
    }
    const commands = [this.parseCommand()];
    const operators: ('|' | '|&')[] = [];
    for (;;) {
      this.skipBlanks();
      const op = this.peekOperator();
      if (op !== '|' && op !== '|&') break;
      this.advance(op.length);
      this.skipLinebreaks();
      operators.push(op);
      commands.push(this.parseCommand());
    }
    return { type: 'pipeline', negated, commands, operators };
  }

  private parseCommand(): CommandNode {
    this.skipBlanks();
    const word = this.reservedAt();
    switch (word) {
      case '{': {
        this.advance(1);
        const body = this.parseBody();
        this.expectReserved('}');
        return { type: 'brace_group', body, redirects: this.parseRedirects() };
      }
      case 'if':
        return this.parseIf();
      case 'while':
      case 'until':
        return this.parseLoop(word);
      case 'for':
        return this.parseFor();
      case 'case':
        return this.parseCase();
      case 'function':
        return this.parseFunctionKeyword();
      case '[[':
        return this.parseTestCommand();
      case null:
      case '!':
        break;
      default:
        throw this.unexpected(`misplaced '${word}'`);
    }
    if (this.lookahead(1) === '(') {
      this.advance(1);
      const body = this.parseBody();
      this.expectOperator(')');
      return { type: 'subshell', body, redirects: this.parseRedirects() };
    }
    return this.parseSimpleCommand();
  }

  private parseIf(): IfNode {
    this.advance(2);
    const clauses: { condition: ListNode; body: ListNode }[] = [];
    let elseBody: ListNode | null = null;
    const condition = this.parseBody();
    this.expectReserved('then');
    clauses.push({ condition, body: this.parseBody() });
    for (;;) {
      this.skipBlanks();
      const word = this.reservedAt();
      if (word === 'elif') {
        this.advance(4);
        const elifCondition = this.parseBody();
        this.expectReserved('then');
        clauses.push({ condition: elifCondition, body: this.parseBody() });
      } else if (word === 'else') {
        this.advance(4);
        elseBody = this.parseBody();
        this.expectReserved('fi');
        break;
      } else if (word === 'fi') {
        this.advance(2);
        break;
      } else {
        throw this.unexpected("expected 'fi'");
      }
    }
    return { type: 'if', clauses, elseBody, redirects: this.parseRedirects() };
  }

  private parseLoop(kind: 'while' | 'until'): LoopNode {
    this.advance(kind.length);
    const condition = this.parseBody();
    this.expectReserved('do');
    const body = this.parseBody();
    this.expectReserved('done');
    return { type: 'loop', kind, condition, body, redirects: this.parseRedirects() };
  }

  private parseFor(): ForNode {
    this.advance(3);
    this.skipBlanks();
    const variable = this.literalName('for');
    let items: WordNode[] | null = null;
    this.skipBlanks();
    if (this.lookahead(1) === ';') {
      this.advance(1);
    } else {
      this.skipLinebreaks();
      if (this.reservedAt() === 'in') {
        this.advance(2);
        items = [];
        for (;;) {
          this.skipBlanks();
          const c = this.lookahead(1);
          if (c === ';') {
            this.advance(1);
            break;
          }
          if (c === '\n') break;
          if (c === '' || isMeta(c)) throw this.unexpected();
          items.push(this.parseWord());
        }
      }
    }
    this.skipLinebreaks();
    this.expectReserved('do');
    const body = this.parseBody();
    this.expectReserved('done');
    return { type: 'for', variable, items, body, redirects: this.parseRedirects() };
  }

  private parseCase(): CaseNode {
    this.advance(4);
    this.skipBlanks();
    const subject = this.parseNonEmptyWord();
    this.skipLinebreaks();
    this.expectReserved('in');
    const clauses: { patterns: WordNode[]; body: ListNode }[] = [];
    for (;;) {
      this.skipLinebreaks();
      if (this.reservedAt() === 'esac') {
        this.advance(4);
        break;
      }
      if (this.lookahead(1) === '(') this.advance(1);
      this.skipBlanks();
      const patterns = [this.parseNonEmptyWord()];
      for (;;) {
        this.skipBlanks();
        if (this.peekOperator() !== '|') break;
        this.advance(1);
        this.skipBlanks();
        patterns.push(this.parseNonEmptyWord());
      }
      this.expectOperator(')');
      this.enter();
      const body = this.parseList();
      this.leave();
      clauses.push({ patterns, body });
      this.skipBlanks();
      const op = this.peekOperator();
      if (op === ';;&' || op === ';;' || op === ';&') {
        this.advance(op.length);
      } else if (this.reservedAt() !== 'esac') {
        throw this.unexpected("expected ';;' or 'esac'");
      }
    }
    return { type: 'case', subject, clauses, redirects: this.parseRedirects() };
  }

  private parseFunctionKeyword(): CommandNode {
    this.advance(8);
    this.skipBlanks();
    const word = this.parseNonEmptyWord();
    const name = unquotedLiteral(word);
    if (name === null) throw this.unexpected('function name');
    this.skipBlanks();
    if (this.lookahead(1) === '(') {
      this.advance(1);
      this.expectOperator(')');
    }
    return this.parseFunctionBody(name);
  }

  private parseFunctionBody(name: string): CommandNode {
    this.skipLinebreaks();
    this.enter();
    const body = this.parseCommand();
    this.leave();
    if (body.type === 'simple_command' || body.type === 'function_definition')
      throw this.unexpected('function body');
    return { type: 'function_definition', name, body };
  }

  /** bash `[[ … ]]`: `&&`, `||`, `<`, `>` and parentheses are operands of the test, not shell operators. */
  private parseTestCommand(): SimpleCommandNode {
    this.advance(2);
    const words: WordNode[] = [literalWord('[[')];
    for (;;) {
      this.skipBlanks();
      const c = this.lookahead(1);
      if (c === '') throw this.unexpected("expected ']]'");
      if (c === '\n') {
        this.consumeNewline();
        continue;
      }
      const two = this.lookahead(2);
      if (two === ']]') {
        const after = this.lookahead(3)[2];
        if (after === undefined || isMeta(after)) {
          this.advance(2);
          words.push(literalWord(']]'));
          break;
        }
      }
      if (two === '&&' || two === '||') {
        this.advance(2);
        words.push(literalWord(two));
      } else if (c === '(' || c === ')' || c === '<' || c === '>' || c === '|' || c === '&' || c === ';') {
        this.advance(1);
        words.push(literalWord(c));
      } else {
        words.push(this.parseNonEmptyWord());
      }
    }
    return { type: 'simple_command', assignments: [], words, redirects: this.parseRedirects() };
  }

  private parseSimpleCommand(): CommandNode {
    const assignments: AssignmentNode[] = [];
    const words: WordNode[] = [];
    const redirects: RedirectNode[] = [];
    for (;;) {
      this.skipBlanks();
      if (this.atRedirect()) {
        redirects.push(this.parseRedirect());
        continue;
      }
      const c = this.lookahead(1);
      if (c === '') break;
      if (c === '(' && words.length === 1 && assignments.length === 0 && redirects.length === 0) {
        const name = unquotedLiteral(words[0] as WordNode);
        if (name === null || name.includes('=')) throw this.unexpected('function name');
        this.advance(1);
        this.expectOperator(')');
        return this.parseFunctionBody(name);
      }
      if (isMeta(c) && !((c === '<' || c === '>') && this.lookahead(2)[1] === '(')) break;
      if (words.length === 0) {
        this.skipContinuations();
        ASSIGNMENT.lastIndex = this.pos;
        const match = ASSIGNMENT.exec(this.src);
        if (match !== null) {
          this.pos += match[0].length;
          const append = match[0].endsWith('+=');
          const name = match[0].slice(0, append ? -2 : -1);
          assignments.push({ type: 'assignment', name, append, value: this.parseWord() });
          continue;
        }
      }
      words.push(this.parseWord());
    }
    if (assignments.length === 0 && words.length === 0 && redirects.length === 0) throw this.unexpected();
    return { type: 'simple_command', assignments, words, redirects };
  }

  private literalName(context: string): string {
    const word = this.parseNonEmptyWord();
    const name = unquotedLiteral(word);
    if (name === null || !VALID_NAME.test(name)) throw this.unexpected(`${context} variable name`);
    return name;
  }

  // ---- redirections -----------------------------------------------------------------------

  private atRedirect(): boolean {
    this.skipContinuations();
    // Fast reject: every redirection starts with a digit, `<`, `>` or `&`.
    const c = this.src.charCodeAt(this.pos);
    if (!(c === 60 || c === 62 || c === 38 || (c >= 48 && c <= 57))) return false;
    IO_NUMBER.lastIndex = this.pos;
    const fd = IO_NUMBER.exec(this.src);
    const saved = this.pos;
    if (fd !== null) this.pos += fd[0].length;
    const op = this.peekOperator();
    const two = this.lookahead(2);
    this.pos = saved;
    return op !== null && REDIRECT_OPERATORS.has(op) && two !== '<(' && two !== '>(';
  }

  private parseRedirects(): RedirectNode[] {
    const redirects: RedirectNode[] = [];
    for (;;) {
      this.skipBlanks();
      if (!this.atRedirect()) return redirects;
      redirects.push(this.parseRedirect());
    }
  }

  private parseRedirect(): RedirectNode {
    this.skipContinuations();
    IO_NUMBER.lastIndex = this.pos;
    const fdMatch = IO_NUMBER.exec(this.src);
    let fd: number | null = null;
    if (fdMatch !== null) {
      fd = Number(fdMatch[0]);
      this.pos += fdMatch[0].length;
    }
    const operator = this.peekOperator() as RedirectOperator;
    this.advance(operator.length);
    this.skipBlanks();
    // As in bash, digits right before another redirection operator are its descriptor, not this
    // target (`>2>f` is an error); only a `>&`/`<&` target may be such digits (`2>&1>f`).
    IO_NUMBER.lastIndex = this.pos;
    if (operator !== '>&' && operator !== '<&' && IO_NUMBER.test(this.src))
      throw this.unexpected('redirection without a target');
    const target = this.parseNonEmptyWord();
    if (operator !== '<<' && operator !== '<<-')
      return { type: 'redirect', fd, operator, target, hereDoc: null };
    let delimiter = '';
    let quoted = false;
    for (const part of target.parts) {
      if (part.type !== 'literal')
        throw new ShellSyntaxError('here-document delimiter with an expansion', this.pos);
      delimiter += part.value;
      quoted ||= part.quoted;
    }
    const node: PendingHereDoc['node'] = { type: 'here_doc', delimiter, quoted, body: '', expansions: [] };
    this.pending.push({ delimiter, quoted, stripTabs: operator === '<<-', node });
    return { type: 'redirect', fd, operator, target, hereDoc: node };
  }

  /**
   * Reads every pending here-document body after a newline token. bash joins backslash-newline
   * in an unquoted body before it compares a line with the delimiter; dash does not. When the two
   * would end the body at different lines, lines one shell runs as commands are data to the other,
   * so the text is refused.
   */
  private readHereDocBodies(): void {
    for (const doc of this.pending) {
      const bash = this.findHereDocEnd(doc, true);
      const dash = doc.quoted ? bash : this.findHereDocEnd(doc, false);
      if (bash === null || dash === null) throw this.unterminatedHereDoc();
      if (bash.end !== dash.end) {
        throw new ShellSyntaxError(
          `here-document '${doc.delimiter}' ends differently in bash and dash`,
          this.pos,
        );
      }
      doc.node.body = bash.body;
      if (!doc.quoted) doc.node.expansions = new Parser(bash.body, this.depth + 1).collectExpansions();
      this.pos = bash.end;
    }
    this.pending = [];
  }

  private findHereDocEnd(
    doc: PendingHereDoc,
    joinContinuations: boolean,
  ): { body: string; end: number } | null {
    let p = this.pos;
    let body = '';
    while (p < this.src.length) {
      let line = '';
      let first = true;
      for (;;) {
        const nl = this.src.indexOf('\n', p);
        let physical = this.src.slice(p, nl === -1 ? this.src.length : nl);
        p = nl === -1 ? this.src.length : nl + 1;
        if (first && doc.stripTabs) physical = physical.replace(/^\t+/, '');
        first = false;
        if (joinContinuations && !doc.quoted && endsWithContinuation(physical) && nl !== -1) {
          line += physical.slice(0, -1);
          continue;
        }
        line += physical;
        break;
      }
      if (line === doc.delimiter) return { body, end: p };
      body += `${line}\n`;
    }
    return null;
  }

  // ---- words ------------------------------------------------------------------------------

  private parseNonEmptyWord(): WordNode {
    const start = this.pos;
    const word = this.parseWord();
    if (this.pos === start) throw this.unexpected('expected a word');
    return word;
  }

  private parseWord(): WordNode {
    const parts: WordPart[] = [];
    const at = this.pos;
    for (;;) {
      this.skipContinuations();
      const c = this.src[this.pos];
      if (c === undefined) break;
      if (isMeta(c)) {
        if ((c === '<' || c === '>') && this.src[this.pos + 1] === '(' && this.pos === at) {
          this.pos += 2;
          parts.push({ type: 'process_substitution', direction: c, body: this.parseNestedList() });
          continue;
        }
        break;
      }
      switch (c) {
        case "'": {
          const end = this.src.indexOf("'", this.pos + 1);
          if (end === -1) throw new ShellSyntaxError('unterminated single quote', this.pos);
          pushLiteral(parts, this.src.slice(this.pos + 1, end), true);
          this.pos = end + 1;
          break;
        }
        case '"':
          this.parseDoubleQuoted(parts);
          break;
        case '\\':
          if (this.pos + 1 >= this.src.length) {
            pushLiteral(parts, '\\', false);
            this.pos++;
          } else {
            pushLiteral(parts, this.src[this.pos + 1] as string, true);
            this.pos += 2;
          }
          break;
        case '$':
          if (this.src[this.pos + 1] === '"') {
            // bash `$"…"` (locale translation) is quoted like "…".
            this.pos++;
            this.parseDoubleQuoted(parts);
          } else {
            pushPart(parts, this.parseDollar(false));
          }
          break;
        case '`':
          parts.push(this.parseBackquoted(false, false));
          break;
        default:
          pushLiteral(parts, c, false);
          this.pos++;
      }
    }
    return { type: 'word', parts };
  }

  /** `"…"`: only `$`, backquote and `\` keep a special meaning (POSIX 2.2.3). */
  private parseDoubleQuoted(parts: WordPart[]): void {
    const start = this.pos;
    this.pos++;
    pushLiteral(parts, '', true);
    for (;;) {
      this.skipContinuations();
      const c = this.src[this.pos];
      if (c === undefined) throw new ShellSyntaxError('unterminated double quote', start);
      if (c === '"') {
        this.pos++;
        return;
      }
      if (c === '\\') {
        const next = this.src[this.pos + 1];
        if (next === '$' || next === '`' || next === '"' || next === '\\') {
          pushLiteral(parts, next, true);
          this.pos += 2;
        } else {
          pushLiteral(parts, '\\', true);
          this.pos++;
        }
      } else if (c === '$') {
        pushPart(parts, this.parseDollar(true));
      } else if (c === '`') {
        parts.push(this.parseBackquoted(true, false));
      } else {
        pushLiteral(parts, c, true);
        this.pos++;
      }
    }
  }

  /** At `$`: parameter, command substitution, arithmetic, `$'…'`, or a literal dollar sign. */
  private parseDollar(quoted: boolean): WordPart {
    const start = this.pos;
    const next = this.src[this.pos + 1];
    if (next === "'" && !quoted) {
      this.pos += 2;
      return { type: 'literal', value: this.parseAnsiC(start), quoted: true };
    }
    if (next === '(') {
      if (this.src[this.pos + 2] === '(') {
        const end = this.arithmeticEnd(this.pos + 3);
        if (end !== -1) {
          const text = this.src.slice(this.pos + 3, end);
          this.pos = end + 2;
          this.enter();
          const nested = new Parser(text, this.depth).collectExpansions();
          this.leave();
          return { type: 'arithmetic', text, quoted, nested };
        }
      }
      this.pos += 2;
      const body = this.parseNestedList();
      const part: CommandSubstitutionPart = { type: 'command_substitution', body, quoted, backquoted: false };
      return part;
    }
    if (next === '{') return this.parseBracedParameter(quoted);
    NAME.lastIndex = this.pos + 1;
    const name = NAME.exec(this.src);
    if (name !== null) {
      this.pos += 1 + name[0].length;
      return { type: 'parameter', text: `$${name[0]}`, name: name[0], quoted, nested: [] };
    }
    if (next !== undefined && /[0-9@*#?$!-]/.test(next)) {
      this.pos += 2;
      return { type: 'parameter', text: `$${next}`, name: next, quoted, nested: [] };
    }
    this.pos++;
    return { type: 'literal', value: '$', quoted };
  }

  /** Finds the `))` closing `$((` at nesting depth 0, or -1 when the text is a `$( (subshell) )`. */
  private arithmeticEnd(from: number): number {
    let depth = 0;
    for (let p = from; p < this.src.length; p++) {
      const c = this.src[p];
      if (c === '\\') {
        p++;
      } else if (c === "'" || c === '"') {
        const end = this.src.indexOf(c, p + 1);
        if (end === -1) return -1;
        p = end;
      } else if (c === '(') {
        depth++;
      } else if (c === ')') {
        if (depth === 0) return this.src[p + 1] === ')' ? p : -1;
        depth--;
      }
    }
    return -1;
  }

  /** `${…}`: ends at the first unquoted `}` (as bash and dash do); expansions inside are collected. */
  private parseBracedParameter(quoted: boolean): ParameterPart {
    const start = this.pos;
    this.pos += 2;
    const nameMatch = /^[#!]?([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[@*#?$!-])/.exec(
      this.src.slice(this.pos, this.pos + 256),
    );
    const name = nameMatch?.[1] ?? '';
    const nested: WordPart[] = [];
    for (;;) {
      this.skipContinuations();
      const c = this.src[this.pos];
      if (c === undefined) throw new ShellSyntaxError('unterminated ${', start);
      if (c === '}') {
        this.pos++;
        break;
      }
      if (c === "'") {
        const end = this.src.indexOf("'", this.pos + 1);
        if (end === -1) throw new ShellSyntaxError('unterminated single quote', this.pos);
        this.pos = end + 1;
      } else if (c === '"') {
        const inner: WordPart[] = [];
        this.parseDoubleQuoted(inner);
        for (const part of inner) if (part.type !== 'literal') nested.push(part);
      } else if (c === '\\') {
        this.pos += 2;
      } else if (c === '$') {
        const part = this.parseDollar(true);
        if (part.type !== 'literal') nested.push(part);
      } else if (c === '`') {
        nested.push(this.parseBackquoted(true, false));
      } else {
        this.pos++;
      }
    }
    return { type: 'parameter', text: this.src.slice(start, this.pos), name, quoted, nested };
  }

  /** `$( … )` and `<( … )` bodies: parsed in place; `)` must close them. */
  private parseNestedList(): ListNode {
    const held = this.pending;
    this.pending = [];
    this.heldOuter += held.length;
    this.enter();
    const body = this.parseList();
    this.skipBlanks();
    if (this.lookahead(1) !== ')') throw this.unexpected("expected ')'");
    this.advance(1);
    if (this.pending.length > 0) throw this.unterminatedHereDoc();
    this.leave();
    this.heldOuter -= held.length;
    this.pending = held;
    return body;
  }

  /**
   * `` `…` ``: inside backquotes `\` keeps its literal meaning except before `$`, `` ` ``, `\`
   * (and `"` within double quotes) — POSIX 2.6.3; the unescaped text is parsed as its own script.
   */
  private parseBackquoted(inDoubleQuotes: boolean, inHereDoc: boolean): CommandSubstitutionPart {
    const start = this.pos;
    this.pos++;
    let inner = '';
    for (;;) {
      const c = this.src[this.pos];
      if (c === undefined) throw new ShellSyntaxError('unterminated backquote', start);
      if (c === '`') {
        this.pos++;
        break;
      }
      if (c === '\\') {
        const next = this.src[this.pos + 1];
        if (next === '\n') {
          this.pos += 2;
          continue;
        }
        if (next === '$' || next === '`' || next === '\\' || (next === '"' && inDoubleQuotes && !inHereDoc)) {
          inner += next;
          this.pos += 2;
          continue;
        }
        inner += '\\';
        this.pos++;
        continue;
      }
      inner += c;
      this.pos++;
    }
    this.enter();
    const body = new Parser(inner, this.depth).parseProgram();
    this.leave();
    return { type: 'command_substitution', body, quoted: inDoubleQuotes || inHereDoc, backquoted: true };
  }

  /** bash `$'…'` (ANSI-C quoting); like bash, the value stops at an escaped NUL. */
  private parseAnsiC(start: number): string {
    let out = '';
    let truncated = false;
    const emit = (s: string): void => {
      if (truncated) return;
      const nul = s.indexOf('\0');
      if (nul === -1) {
        out += s;
      } else {
        out += s.slice(0, nul);
        truncated = true;
      }
    };
    for (;;) {
      const c = this.src[this.pos];
      if (c === undefined) throw new ShellSyntaxError("unterminated $'", start);
      if (c === "'") {
        this.pos++;
        return out;
      }
      if (c !== '\\') {
        emit(c);
        this.pos++;
        continue;
      }
      const e = this.src[this.pos + 1];
      if (e === undefined) throw new ShellSyntaxError("unterminated $'", start);
      this.pos += 2;
      const simple: Record<string, string> = {
        a: '\x07',
        b: '\b',
        e: '\x1b',
        E: '\x1b',
        f: '\f',
        n: '\n',
        r: '\r',
        t: '\t',
        v: '\v',
        '\\': '\\',
        "'": "'",
        '"': '"',
        '?': '?',
      };
      const mapped = simple[e];
      if (mapped !== undefined) {
        emit(mapped);
      } else if (e >= '0' && e <= '7') {
        const digits = /^[0-7]{1,3}/.exec(this.src.slice(this.pos - 1, this.pos + 2))?.[0] ?? e;
        this.pos += digits.length - 1;
        emit(String.fromCharCode(parseInt(digits, 8) & 0xff));
      } else if (e === 'x' || e === 'u' || e === 'U') {
        const max = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const digits = new RegExp(`^[0-9A-Fa-f]{1,${max}}`).exec(
          this.src.slice(this.pos, this.pos + max),
        )?.[0];
        if (digits === undefined) {
          emit(`\\${e}`);
        } else {
          this.pos += digits.length;
          const code = parseInt(digits, 16);
          emit(code <= 0x10ffff ? String.fromCodePoint(code) : '');
        }
      } else if (e === 'c') {
        const ctl = this.src[this.pos];
        if (ctl === undefined) throw new ShellSyntaxError("unterminated $'", start);
        this.pos++;
        emit(String.fromCharCode(ctl.toUpperCase().charCodeAt(0) & 0x1f));
      } else {
        emit(`\\${e}`);
      }
    }
  }
}

function endsWithContinuation(line: string): boolean {
  let backslashes = 0;
  for (let i = line.length - 1; i >= 0 && line[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 1;
}

function pushLiteral(parts: WordPart[], value: string, quoted: boolean): void {
  const last = parts[parts.length - 1];
  if (last !== undefined && last.type === 'literal' && last.quoted === quoted) {
    // Parts are built here and frozen only by their readonly type: appending in place keeps
    // word parsing linear instead of allocating an object per character.
    (last as { value: string }).value += value;
  } else {
    parts.push({ type: 'literal', value, quoted });
  }
}

function pushPart(parts: WordPart[], part: WordPart): void {
  if (part.type === 'literal') pushLiteral(parts, part.value, part.quoted);
  else parts.push(part);
}

function literalWord(value: string): WordNode {
  return { type: 'word', parts: [{ type: 'literal', value, quoted: false }] };
}

/** The word's text when it is a single unquoted literal (names of functions and loop variables). */
function unquotedLiteral(word: WordNode): string | null {
  const only = word.parts[0];
  return word.parts.length === 1 && only !== undefined && only.type === 'literal' && !only.quoted
    ? only.value
    : null;
}
