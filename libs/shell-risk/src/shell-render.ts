/**
 * Canonical text of a parsed command line: one spelling per meaning, so that `r''m -rf /`,
 * `"rm" -rf /`, `\rm  -rf /  # note` and `rm -rf /` normalize (and fingerprint) alike. The output
 * parses again to the same tree. Choices: comments and extra blanks dropped; literal text written
 * bare when it is made only of characters with no meaning to the shell, otherwise single-quoted;
 * `$name` written `${name}`; backquotes written `$( … )`; redirections after the words (their
 * relative order kept); here-documents re-delimited (`EOF`, or `EOF1`… when the body holds such
 * a line) with `<<-` tabs already removed. Arguments and file names are kept: for a shell command
 * they decide the risk.
 *
 * {@link renderShellShape} writes the same text with the data taken out, for evidence: what a
 * person types as arguments (file names, e-mail addresses, search terms, passwords) must not reach
 * evidence (DESIGN.md invariant 4).
 */
import type {
  AndOrNode,
  CommandNode,
  HereDocNode,
  ListNode,
  LiteralPart,
  PipelineNode,
  RedirectNode,
  SimpleCommandNode,
  WordNode,
  WordPart,
} from './shell-ast.ts';

const SAFE = /^[A-Za-z0-9_@%+=:./-]+$/;
/** Characters whose meaning depends on being unquoted: globs, bracket negation, brace expansion. */
const ACTIVE: ReadonlySet<string> = new Set(['*', '?', '[', ']', '!', '^', '{', '}', ',']);
const LOOKS_LIKE_ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*\+?=/;
/** Words the parser reserves at command position: written bare there, they would not be a command name. */
const RESERVED_WORDS: ReadonlySet<string> = new Set([
  'if',
  'then',
  'else',
  'elif',
  'fi',
  'do',
  'done',
  'case',
  'esac',
  'while',
  'until',
  'for',
  'function',
  'in',
  '{',
  '}',
  '!',
  '[[',
  ']]',
]);

/** Renders a parsed command line in canonical form (see the module comment). */
export function renderShell(list: ListNode): string {
  return new Renderer(undefined).list(list);
}

/** The placeholder that stands for data in {@link renderShellShape}'s output. */
export const SHAPE_PLACEHOLDER = '?';

/**
 * Renders the shape of a parsed command line: the canonical form of {@link renderShell} with every
 * piece of data replaced by `?`, so that command lines differing only in their data share one
 * text. Kept: command words, options (`-rf`, `--force`, and the name of `--user=?`), words for
 * which `isProgramName` holds (`sudo rm`, `xargs grep`: a program name is vocabulary, not data),
 * test and `find` syntax (`]`, `==`, `{}`, `;`), parameter names (`${HOME}`), descriptor
 * duplications (`2>&1`), and the shape of every command substitution. Replaced: every other argument, assignment value, redirection target,
 * `for` and `case` word, arithmetic expression and here-document body. Adjacent data in one word
 * is one `?`. The output is for reading and fingerprinting; it is not meant to run.
 */
export function renderShellShape(list: ListNode, isProgramName: (word: string) => boolean): string {
  return new Renderer(isProgramName).list(list);
}

/** Renders one word in canonical form; `commandPosition` quotes what would otherwise read as an assignment or reserved word. */
export function renderWord(word: WordNode, commandPosition = false): string {
  return new Renderer(undefined).word(word, commandPosition);
}

/** Writes `value` as one shell word with no expansion: bare when safe, else single-quoted. */
export function quoteLiteral(value: string): string {
  return SAFE.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}

/** An option word kept in a shape: `-r`, `-rf`, `--force`, `--dry-run`. */
const OPTION = /^--?[A-Za-z0-9][A-Za-z0-9_-]*$/;
/** `--name=value`: the name is kept in a shape, the value is data. */
const OPTION_WITH_VALUE = /^(--[A-Za-z0-9][A-Za-z0-9_-]*)=/;
/**
 * Arguments that are syntax of the command's own language, not data (test brackets and operators,
 * `find -exec … {} ;`), with their spelling in a shape: bare unless the shell would read them as
 * its own operators.
 */
const SHAPE_SYNTAX_WORDS: ReadonlyMap<string, string> = new Map([
  ...['-', '--', '[', ']', ']]', '!', '=', '==', '!=', '=~', '{}', '+'].map((word) => [word, word] as const),
  ...[';', '(', ')', '<', '>'].map((word) => [word, `'${word}'`] as const),
]);
/** Targets of `<&` / `>&` that name a descriptor (or close one), not a file. */
const DESCRIPTOR = /^(?:[0-9]+-?|-)$/;

class Renderer {
  private pending: HereDocNode[] = [];

  /** Set when rendering a shape: which literal words are program names (kept). */
  constructor(private readonly isProgramName: ((word: string) => boolean) | undefined) {}

  /** A word in argument position: itself, or in a shape its option or program text, else data. */
  private argument(word: WordNode): string {
    if (this.isProgramName === undefined) return this.word(word, false);
    const parts = word.parts;
    // Quoting splits one literal into parts (`\rm`, `"-"rf`): the shape depends on the value only.
    if (parts.every((part): part is LiteralPart => part.type === 'literal')) {
      const value = parts.map((part) => part.value).join('');
      const syntax = SHAPE_SYNTAX_WORDS.get(value);
      if (syntax !== undefined) return syntax;
      if (OPTION.test(value) || this.isProgramName(value)) return quoteLiteral(value);
      const option = OPTION_WITH_VALUE.exec(value);
      return option ? `${option[1]}=${SHAPE_PLACEHOLDER}` : SHAPE_PLACEHOLDER;
    }
    // Expansions keep their shape (a substitution runs commands); literal text between them is data.
    let out = '';
    for (const part of parts) {
      // `""` around an expansion leaves an empty literal: no data there.
      if (part.type === 'literal' && part.value === '') continue;
      const text = part.type === 'literal' ? SHAPE_PLACEHOLDER : this.expansion(part);
      if (text === SHAPE_PLACEHOLDER && out.endsWith(SHAPE_PLACEHOLDER)) continue;
      out += text;
    }
    return out === '' ? SHAPE_PLACEHOLDER : out;
  }

  list(list: ListNode): string {
    let out = '';
    list.items.forEach((item, index) => {
      out += this.andOr(item.command);
      if (item.background) out += ' &';
      if (this.pending.length > 0) {
        out += `\n${this.flushHereDocs()}`;
      } else if (index < list.items.length - 1) {
        out += item.background ? ' ' : '; ';
      }
    });
    return out;
  }

  /**
   * Literal text is rewritten from its characters, not its original quoting: characters whose
   * meaning depends on being unquoted (glob, brace and tilde characters written bare) stay bare,
   * every other run is written bare when inert and single-quoted otherwise.
   */
  word(word: WordNode, commandPosition: boolean): string {
    const parts = word.parts;
    if (parts.length === 0) return '';
    const only = parts[0];
    // Most words are one run of inert characters: written bare unless that changes what they mean.
    if (parts.length === 1 && only?.type === 'literal' && SAFE.test(only.value)) {
      const guarded =
        commandPosition &&
        (RESERVED_WORDS.has(only.value) || (only.quoted && LOOKS_LIKE_ASSIGNMENT.test(only.value)));
      if (!guarded) return only.value;
    }
    // Loops rather than closures: this runs for every word of every command line.
    const pieces: { text: string; run: readonly Char[] | null }[] = [];
    let run: Char[] = [];
    for (let index = 0; index < parts.length; index++) {
      const part = parts[index] as WordPart;
      if (part.type !== 'literal') {
        if (run.length > 0) pieces.push({ text: renderRun(run, false), run });
        run = [];
        pieces.push({ text: this.expansion(part), run: null });
        continue;
      }
      let position = 0;
      for (const c of part.value) {
        const tilde = c === '~' && index === 0 && position === 0;
        run.push({ c, active: !part.quoted && (ACTIVE.has(c) || tilde) });
        position++;
      }
    }
    if (run.length > 0) pieces.push({ text: renderRun(run, false), run });
    if (pieces.length === 0) return "''";
    const out = pieces.map((piece) => piece.text).join('');
    if (!commandPosition) return out;
    const first = parts[0];
    const plainWord = parts.length === 1 && first?.type === 'literal' && !first.quoted;
    // `[[` bare is the test keyword itself; any other reserved word here came from quotes or after a redirection.
    if (RESERVED_WORDS.has(out) && !(plainWord && out === '[[')) return `'${out}'`;
    const head = pieces[0];
    if (!plainWord && LOOKS_LIKE_ASSIGNMENT.test(out) && head?.run !== null && head !== undefined) {
      // Written bare this would read as an assignment: quote the leading text, keep active characters bare.
      head.text = renderRun(head.run, true);
      return pieces.map((piece) => piece.text).join('');
    }
    return out;
  }

  private expansion(part: Exclude<WordPart, { type: 'literal' }>): string {
    let text: string;
    switch (part.type) {
      case 'parameter':
        text = /^\$([A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])$/.test(part.text)
          ? `\${${part.text.slice(1)}}`
          : this.isProgramName === undefined
            ? part.text
            : // `${name:-default}`, `${name//from/to}`: the operator's words may be data.
              `\${${part.name}}`;
        return part.quoted ? `"${text}"` : text;
      case 'command_substitution':
        text = this.substitution('$(', part.body);
        return part.quoted ? `"${text}"` : text;
      case 'arithmetic':
        text = `$((${this.isProgramName === undefined ? part.text : SHAPE_PLACEHOLDER}))`;
        return part.quoted ? `"${text}"` : text;
      case 'process_substitution':
        return this.substitution(`${part.direction}(`, part.body);
    }
  }

  private substitution(open: string, body: ListNode): string {
    // A separate renderer: here-documents inside the substitution end inside it.
    const inner = new Renderer(this.isProgramName).list(body);
    return `${open}${inner.startsWith('(') ? ' ' : ''}${inner})`;
  }

  private andOr(node: AndOrNode): string {
    let out = this.pipeline(node.pipelines[0] as PipelineNode);
    node.operators.forEach((op, index) => {
      out += ` ${op} ${this.pipeline(node.pipelines[index + 1] as PipelineNode)}`;
    });
    return out;
  }

  private pipeline(node: PipelineNode): string {
    let out = (node.negated ? '! ' : '') + this.command(node.commands[0] as CommandNode);
    node.operators.forEach((op, index) => {
      out += ` ${op} ${this.command(node.commands[index + 1] as CommandNode)}`;
    });
    return out;
  }

  /** A list followed by what it needs before a closing reserved word. */
  private terminated(list: ListNode): string {
    const text = this.list(list);
    return text.endsWith('&') || text.endsWith('\n') ? text : `${text};`;
  }

  private command(node: CommandNode): string {
    switch (node.type) {
      case 'simple_command':
        return this.simple(node);
      case 'subshell':
        return `( ${this.list(node.body)} )${this.redirects(node.redirects)}`;
      case 'brace_group':
        return `{ ${this.terminated(node.body)} }${this.redirects(node.redirects)}`;
      case 'if': {
        let out = '';
        node.clauses.forEach((clause, index) => {
          out += `${index === 0 ? 'if' : ' elif'} ${this.terminated(clause.condition)} then ${this.terminated(clause.body)}`;
        });
        if (node.elseBody !== null) out += ` else ${this.terminated(node.elseBody)}`;
        return `${out} fi${this.redirects(node.redirects)}`;
      }
      case 'loop':
        return `${node.kind} ${this.terminated(node.condition)} do ${this.terminated(node.body)} done${this.redirects(node.redirects)}`;
      case 'for': {
        const items =
          node.items === null ? '' : ` in${node.items.map((item) => ` ${this.argument(item)}`).join('')}`;
        return `for ${node.variable}${items}; do ${this.terminated(node.body)} done${this.redirects(node.redirects)}`;
      }
      case 'case': {
        const clauses = node.clauses.map((clause) => {
          const body = this.list(clause.body);
          const patterns = clause.patterns.map((pattern) => this.argument(pattern)).join(' | ');
          return `(${patterns}) ${body}${body === '' || body.endsWith('\n') ? '' : ' '};;`;
        });
        return `case ${this.argument(node.subject)} in ${clauses.join(' ')}${clauses.length > 0 ? ' ' : ''}esac${this.redirects(node.redirects)}`;
      }
      case 'function_definition':
        return `${node.name}() ${this.command(node.body)}`;
    }
  }

  private simple(node: SimpleCommandNode): string {
    const pieces: string[] = [];
    for (const assignment of node.assignments) {
      pieces.push(`${assignment.name}${assignment.append ? '+=' : '='}${this.argument(assignment.value)}`);
    }
    node.words.forEach((word, index) =>
      pieces.push(index === 0 ? this.word(word, true) : this.argument(word)),
    );
    // A bare `[[` starts the test keyword, which needs its `]]`; as a plain command name (after a redirection) quote it.
    const last = node.words[node.words.length - 1];
    const commandIndex = node.assignments.length;
    if (pieces[commandIndex] === '[[' && (last === undefined || this.word(last, false) !== ']]'))
      pieces[commandIndex] = "'[['";
    const redirects = this.redirects(node.redirects);
    return pieces.join(' ') + (pieces.length === 0 ? redirects.trimStart() : redirects);
  }

  private redirects(redirects: readonly RedirectNode[]): string {
    let out = '';
    for (const redirect of redirects) out += ` ${this.redirect(redirect)}`;
    return out;
  }

  private redirect(node: RedirectNode): string {
    const fd = node.fd === null ? '' : String(node.fd);
    if (node.hereDoc !== null) {
      const doc =
        this.isProgramName === undefined ? node.hereDoc : { ...node.hereDoc, body: `${SHAPE_PLACEHOLDER}\n` };
      const delimiter = freeDelimiter(doc.body);
      this.pending.push({ ...doc, delimiter });
      return `${fd}<<${doc.quoted ? `'${delimiter}'` : delimiter}`;
    }
    const target =
      this.isProgramName !== undefined &&
      !((node.operator === '<&' || node.operator === '>&') && isDescriptorTarget(node.target))
        ? SHAPE_PLACEHOLDER
        : this.word(node.target, false);
    return node.operator === '<&' || node.operator === '>&'
      ? `${fd}${node.operator}${target}`
      : `${fd}${node.operator} ${target}`;
  }

  private flushHereDocs(): string {
    let out = '';
    for (const doc of this.pending) out += `${doc.body}${doc.delimiter}\n`;
    this.pending = [];
    return out;
  }
}

/** One character of literal text and whether it must stay unquoted to keep its meaning. */
interface Char {
  readonly c: string;
  readonly active: boolean;
}

/** Active characters bare; runs of the others bare when inert, else single-quoted (`forceFirst` always quotes the first run). */
function renderRun(run: readonly Char[], forceFirst: boolean): string {
  let out = '';
  let inert = '';
  let force = forceFirst;
  for (const ch of run) {
    if (!ch.active) {
      inert += ch.c;
      continue;
    }
    if (inert !== '') out += force ? forceQuote(inert) : quoteLiteral(inert);
    if (inert !== '') force = false;
    inert = '';
    out += ch.c;
  }
  if (inert !== '') out += force ? forceQuote(inert) : quoteLiteral(inert);
  return out;
}

function isDescriptorTarget(target: WordNode): boolean {
  const only = target.parts[0];
  return target.parts.length === 1 && only?.type === 'literal' && DESCRIPTOR.test(only.value);
}

function forceQuote(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}

function freeDelimiter(body: string): string {
  const lines = new Set(body.split('\n'));
  let delimiter = 'EOF';
  for (let n = 1; lines.has(delimiter); n++) delimiter = `EOF${n}`;
  return delimiter;
}
