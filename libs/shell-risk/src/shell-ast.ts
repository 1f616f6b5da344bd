/**
 * Syntax tree produced by `parseShell`, following the POSIX shell grammar
 * (https://pubs.opengroup.org/onlinepubs/9699919799/utilities/V3_chap02.html#tag_18_10) plus the
 * bash extensions the parser accepts (`[[ ]]`, `function`, `$'…'`, `<(…)`, `&>`, `|&`, `<<<`).
 * Nodes are plain readonly objects tagged by `type`; no node holds a reference to the source text.
 */

/** A sequence of and-or lists separated by `;`, `&` or newlines (POSIX "list" / "compound_list"). */
export interface ListNode {
  readonly type: 'list';
  readonly items: readonly ListItem[];
}

/** One entry of a {@link ListNode}: an and-or list and whether it was started with `&`. */
export interface ListItem {
  readonly command: AndOrNode;
  /** True when terminated by `&` (runs asynchronously). */
  readonly background: boolean;
}

/** Pipelines joined by `&&` and `||`; `operators[i]` joins `pipelines[i]` and `pipelines[i + 1]`. */
export interface AndOrNode {
  readonly type: 'and_or';
  readonly pipelines: readonly PipelineNode[];
  readonly operators: readonly ('&&' | '||')[];
}

/** Commands joined by `|` (or bash `|&`); `operators[i]` joins `commands[i]` and `commands[i + 1]`. */
export interface PipelineNode {
  readonly type: 'pipeline';
  /** True for `! pipeline`. */
  readonly negated: boolean;
  readonly commands: readonly CommandNode[];
  readonly operators: readonly ('|' | '|&')[];
}

/** Any command that can stand in a pipeline. */
export type CommandNode =
  | SimpleCommandNode
  | SubshellNode
  | BraceGroupNode
  | IfNode
  | LoopNode
  | ForNode
  | CaseNode
  | FunctionDefinitionNode;

/** `NAME=value … word word … redirections` (POSIX "simple_command"). */
export interface SimpleCommandNode {
  readonly type: 'simple_command';
  readonly assignments: readonly AssignmentNode[];
  /** Command word first, then arguments; empty for a command of only assignments and redirections. */
  readonly words: readonly WordNode[];
  readonly redirects: readonly RedirectNode[];
}

/** `NAME=value` before the command word. */
export interface AssignmentNode {
  readonly type: 'assignment';
  readonly name: string;
  /** True for bash `NAME+=value`. */
  readonly append: boolean;
  readonly value: WordNode;
}

/** `( list )`: runs in a subshell. */
export interface SubshellNode {
  readonly type: 'subshell';
  readonly body: ListNode;
  readonly redirects: readonly RedirectNode[];
}

/** `{ list; }`: runs in the current shell. */
export interface BraceGroupNode {
  readonly type: 'brace_group';
  readonly body: ListNode;
  readonly redirects: readonly RedirectNode[];
}

/** `if … then … elif … then … else … fi`. */
export interface IfNode {
  readonly type: 'if';
  /** The `if` clause first, then every `elif`. */
  readonly clauses: readonly { readonly condition: ListNode; readonly body: ListNode }[];
  readonly elseBody: ListNode | null;
  readonly redirects: readonly RedirectNode[];
}

/** `while … do … done` or `until … do … done`. */
export interface LoopNode {
  readonly type: 'loop';
  readonly kind: 'while' | 'until';
  readonly condition: ListNode;
  readonly body: ListNode;
  readonly redirects: readonly RedirectNode[];
}

/** `for NAME [in words] do … done`. */
export interface ForNode {
  readonly type: 'for';
  readonly variable: string;
  /** `null` when `in` was omitted (iterates over "$@"). */
  readonly items: readonly WordNode[] | null;
  readonly body: ListNode;
  readonly redirects: readonly RedirectNode[];
}

/** `case WORD in pattern) list ;; … esac`. */
export interface CaseNode {
  readonly type: 'case';
  readonly subject: WordNode;
  readonly clauses: readonly { readonly patterns: readonly WordNode[]; readonly body: ListNode }[];
  readonly redirects: readonly RedirectNode[];
}

/** `name() compound-command` or bash `function name compound-command`. */
export interface FunctionDefinitionNode {
  readonly type: 'function_definition';
  readonly name: string;
  readonly body: CommandNode;
}

/** Redirection operators (POSIX 2.7 plus bash `&>`, `&>>`, `<<<`). */
export const RedirectOperator = [
  '<',
  '>',
  '>>',
  '>|',
  '<>',
  '<&',
  '>&',
  '&>',
  '&>>',
  '<<',
  '<<-',
  '<<<',
] as const;

/** One of {@link RedirectOperator}. */
export type RedirectOperator = (typeof RedirectOperator)[number];

/** A redirection: `[fd]operator target`. */
export interface RedirectNode {
  readonly type: 'redirect';
  /** Explicit file descriptor (`2>`), or `null` for the operator's default. */
  readonly fd: number | null;
  readonly operator: RedirectOperator;
  /** File, descriptor, here-string or (for `<<`/`<<-`) the delimiter word as written. */
  readonly target: WordNode;
  /** Body of a here-document (`<<`, `<<-`); `null` for every other operator. */
  readonly hereDoc: HereDocNode | null;
}

/** A here-document body: data fed to the command's stdin, not commands. */
export interface HereDocNode {
  readonly type: 'here_doc';
  /** Delimiter after quote removal. */
  readonly delimiter: string;
  /** True when any part of the delimiter was quoted: the body is then taken literally. */
  readonly quoted: boolean;
  /** Body text, every line ending in a newline, leading tabs already removed for `<<-`. */
  readonly body: string;
  /** Expansions found in an unquoted body (`$x`, `$(…)`, backquotes run when the command starts); empty when quoted. */
  readonly expansions: readonly WordPart[];
}

/** A shell word: the concatenation of its parts after expansion and quote removal. */
export interface WordNode {
  readonly type: 'word';
  readonly parts: readonly WordPart[];
}

/** One piece of a word. */
export type WordPart =
  LiteralPart | ParameterPart | CommandSubstitutionPart | ArithmeticPart | ProcessSubstitutionPart;

/** Literal text; `quoted` when it came from quotes or a backslash escape (no globbing, splitting or tilde). */
export interface LiteralPart {
  readonly type: 'literal';
  readonly value: string;
  readonly quoted: boolean;
}

/** `$name`, `${name}`, `${name:-word}` and friends; `text` is the source text from `$`. */
export interface ParameterPart {
  readonly type: 'parameter';
  readonly text: string;
  /** The parameter's name (`HOME`, `1`, `@`) when it is a plain reference, otherwise the name before the operator. */
  readonly name: string;
  readonly quoted: boolean;
  /** Expansions inside the braces (`${x:-$(cmd)}`): they run too. */
  readonly nested: readonly WordPart[];
}

/** `$(list)` or `` `list` ``: runs `body` and substitutes its output. */
export interface CommandSubstitutionPart {
  readonly type: 'command_substitution';
  readonly body: ListNode;
  readonly quoted: boolean;
  readonly backquoted: boolean;
}

/** `$(( expression ))`; `text` is the expression as written. */
export interface ArithmeticPart {
  readonly type: 'arithmetic';
  readonly text: string;
  readonly quoted: boolean;
  /** Expansions inside the expression: they run too. */
  readonly nested: readonly WordPart[];
}

/** bash `<(list)` / `>(list)`: runs `body` with a pipe connected to a `/dev/fd` path. */
export interface ProcessSubstitutionPart {
  readonly type: 'process_substitution';
  readonly direction: '<' | '>';
  readonly body: ListNode;
}
