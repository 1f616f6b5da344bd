import { createHash } from 'node:crypto';
import {
  verdict,
  writeTargets,
  type CodeSource,
  type Continuation,
  type NestedScript,
  type Verdict,
} from './command-rule.ts';
import { resolveProgram, ruleFor } from './command-table.ts';
import { assessPath, changeDirectory, type WorkingDirectory } from './path-assessment.ts';
import { assignmentFlags } from './rules/wrapper-rules.ts';
import type {
  AssignmentNode,
  CommandNode,
  FunctionDefinitionNode,
  ListNode,
  PipelineNode,
  RedirectNode,
  SimpleCommandNode,
  WordNode,
  WordPart,
} from './shell-ast.ts';
import type {
  ClassifyShellOptions,
  ShellClassification,
  SimpleCommandClassification,
} from './shell-classification.ts';
import { parseShell } from './shell-parser.ts';
import { renderShellShape } from './shell-render.ts';
import { compareShellRiskClass, maxShellRiskClass, type ShellRiskClass } from './shell-risk-class.ts';
import { sortShellRiskFlags, type ShellRiskFlag } from './shell-risk-flag.ts';
import { ShellSyntaxError } from './shell-syntax-error.ts';
import { expandWord, literalArg, type ArgValue } from './word-value.ts';

/** Default cap on the command line size: 64 KiB of UTF-8. */
export const DEFAULT_MAX_BYTES = 64 * 1024;

/** Deepest nesting of `sh -c` / `eval` / `watch` strings followed. */
export const MAX_SCRIPT_DEPTH = 16;

/**
 * Text parsed again for `sh -c`, `eval` and friends may total this many times `maxBytes`: each
 * `eval` re-parses the rest of the line, so a chain of them is quadratic without a budget.
 */
const SCRIPT_BUDGET_FACTOR = 4;

/** Most wrappers one command may be wrapped in (`nice nice nice … rm`). */
const MAX_UNWRAP = 32;

/** Programs whose output is downloaded content: feeding it to an interpreter runs remote code. */
const DOWNLOADERS: ReadonlySet<string> = new Set([
  'curl',
  'wget',
  'fetch',
  'aria2c',
  'http',
  'https',
  'lwp-request',
  'lwp-download',
  'GET',
  'xh',
]);

/** Paths that name the process's own stdin. */
const STDIN_PATHS: ReadonlySet<string> = new Set(['/dev/stdin', '/dev/fd/0', '/proc/self/fd/0']);

/** bash's network pseudo-files: `< /dev/tcp/host/port` reads from, `> /dev/tcp/…` sends to a socket. */
const NETWORK_PATH = /^\/dev\/(?:tcp|udp)\//;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Classifies an SSH command line: parses it as POSIX sh (plus common bash), unwraps wrappers
 * (sudo, env, nice, timeout, xargs, find -exec, sh -c, eval, …) and classifies every simple
 * command that would run. Never throws for bad input: text that does not parse is `unknown`
 * with `unparsable`, text above `maxBytes` is `unknown` with `too_large`. No shell is executed.
 */
export function classifyShell(commandLine: string, options: ClassifyShellOptions = {}): ShellClassification {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  // UTF-8 takes at most 3 bytes per UTF-16 unit: skip the byte count when it cannot matter.
  if (
    commandLine.length > maxBytes ||
    (commandLine.length * 3 > maxBytes && Buffer.byteLength(commandLine, 'utf8') > maxBytes)
  ) {
    return unclassified(commandLine, 'too_large');
  }
  // sshd hands the line to a shell as a C string: a NUL would cut it there, unseen by this parser.
  if (commandLine.includes('\0') || LONE_SURROGATE.test(commandLine))
    return unclassified(commandLine, 'unparsable');
  let ast: ListNode;
  try {
    ast = parseShell(commandLine);
  } catch (error) {
    if (error instanceof ShellSyntaxError)
      return unclassified(commandLine, error.tooComplex ? 'too_complex' : 'unparsable');
    throw error;
  }
  const run = new ClassificationRun(SCRIPT_BUDGET_FACTOR * maxBytes);
  run.list(ast, { cwd: 'home' }, ROOT_CHAIN, NO_STDIN);
  const commands = run.entries.map(toPublic);
  let riskClass: ShellRiskClass = 'read';
  const flags = new Set<ShellRiskFlag>();
  for (const command of commands) {
    riskClass = maxShellRiskClass(riskClass, command.riskClass);
    for (const flag of command.flags) flags.add(flag);
  }
  const riskFlags = sortShellRiskFlags(flags);
  const normalized = renderShellShape(ast, isProgramName);
  return {
    commands,
    programs: unique(run.entries.filter((entry) => entry.isProgram).map((entry) => entry.program)),
    kinds: unique(commands.map((command) => command.kind)),
    riskFlags,
    riskClass,
    fingerprint: sha256(`${riskClass}\n${riskFlags.join(',')}\n${normalized}`),
    normalized,
    statementCount: commands.length,
  };
}

function unclassified(
  commandLine: string,
  flag: 'too_large' | 'unparsable' | 'too_complex',
): ShellClassification {
  return {
    commands: [],
    programs: [],
    kinds: [],
    riskFlags: [flag],
    riskClass: 'unknown',
    fingerprint: sha256(`unknown\n${flag}\n${commandLine}`),
    normalized: '',
    statementCount: 0,
  };
}

/** Program names known to the command tables: vocabulary, kept in the shape (`sudo rm -rf ?`). */
function isProgramName(word: string): boolean {
  return ruleFor(word) !== undefined;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** A command found while walking, mutable until the walk ends. */
interface Entry {
  program: string;
  args: string[];
  kind: string;
  riskClass: ShellRiskClass;
  flags: Set<ShellRiskFlag>;
  wrappers: string[];
  /** A real program (not a function call, dynamic word or bare assignment/redirection). */
  isProgram: boolean;
}

function toPublic(entry: Entry): SimpleCommandClassification {
  return {
    program: entry.program,
    args: entry.args,
    kind: entry.kind,
    riskClass: entry.riskClass,
    flags: sortShellRiskFlags(entry.flags),
    wrappers: entry.wrappers,
  };
}

/** Shell state that subshells copy: where relative paths point. */
interface Scope {
  cwd: WorkingDirectory;
}

/** Wrappers a command runs under and what they pass down. */
interface Chain {
  readonly wrappers: readonly string[];
  readonly flags: readonly ShellRiskFlag[];
  readonly bulk: boolean;
  readonly placeholders: readonly string[];
}

/** What a command reads on stdin: a literal script (here-document, here-string) or downloaded content. */
interface Stdin {
  readonly script: string | null;
  readonly download: boolean;
}

const ROOT_CHAIN: Chain = { wrappers: [], flags: [], bulk: false, placeholders: [] };
const NO_STDIN: Stdin = { script: null, download: false };
const PIPE_STDIN: Stdin = NO_STDIN;
const DOWNLOAD_STDIN: Stdin = { script: null, download: true };

interface FunctionInfo {
  riskClass: ShellRiskClass;
  flags: ShellRiskFlag[];
  visiting: boolean;
}

class ClassificationRun {
  readonly entries: Entry[] = [];
  private readonly functions = new Map<string, FunctionInfo>();
  /** Words holding a process substitution that downloads (`<(curl …)`). */
  private readonly downloadWords = new Set<WordNode>();
  private scriptDepth = 0;

  constructor(
    /** UTF-16 units of nested script text still allowed (see SCRIPT_BUDGET_FACTOR). */
    private scriptBudget: number,
  ) {}

  list(list: ListNode, scope: Scope, chain: Chain, stdin: Stdin): void {
    for (const item of list.items) {
      const start = this.entries.length;
      for (const pipeline of item.command.pipelines) this.pipeline(pipeline, scope, chain, stdin);
      if (item.background) this.raiseFrom(start, 'read', ['background']);
    }
  }

  private pipeline(node: PipelineNode, scope: Scope, chain: Chain, stdin: Stdin): void {
    const alone = node.commands.length === 1;
    let downloaded = false;
    node.commands.forEach((command, index) => {
      const start = this.entries.length;
      // Every element of a multi-command pipeline runs in a subshell.
      const elementScope = alone ? scope : { ...scope };
      const elementStdin = index === 0 ? stdin : downloaded ? DOWNLOAD_STDIN : PIPE_STDIN;
      this.command(command, elementScope, chain, elementStdin);
      if (this.entries.slice(start).some((entry) => DOWNLOADERS.has(entry.program))) downloaded = true;
    });
  }

  private command(node: CommandNode, scope: Scope, chain: Chain, stdin: Stdin): void {
    const start = this.entries.length;
    switch (node.type) {
      case 'simple_command':
        this.simple(node, scope, chain, stdin);
        return;
      case 'function_definition':
        this.defineFunction(node, scope, chain);
        return;
      case 'subshell':
        this.list(node.body, { ...scope }, chain, stdin);
        break;
      case 'brace_group':
        this.list(node.body, scope, chain, stdin);
        break;
      case 'if':
        this.branches(
          [
            ...node.clauses.flatMap((clause) => [clause.condition, clause.body]),
            ...(node.elseBody === null ? [] : [node.elseBody]),
          ],
          scope,
          chain,
          stdin,
        );
        break;
      case 'loop':
        this.branches([node.condition, node.body], scope, chain, stdin);
        break;
      case 'for':
        for (const item of node.items ?? []) this.expansions(item, scope, chain);
        this.branches([node.body], scope, chain, stdin);
        break;
      case 'case':
        this.expansions(node.subject, scope, chain);
        for (const clause of node.clauses)
          for (const pattern of clause.patterns) this.expansions(pattern, scope, chain);
        this.branches(
          node.clauses.map((clause) => clause.body),
          scope,
          chain,
          stdin,
        );
        break;
    }
    for (const redirect of node.redirects) this.redirectExpansions(redirect, scope, chain);
    this.applyRedirects(node.redirects, start, scope);
  }

  /** Lists that may or may not run: a `cd` inside any of them leaves the directory unknown afterwards. */
  private branches(lists: readonly ListNode[], scope: Scope, chain: Chain, stdin: Stdin): void {
    const inner = { ...scope };
    for (const list of lists) this.list(list, inner, chain, stdin);
    if (inner.cwd !== scope.cwd) scope.cwd = 'dynamic';
  }

  private defineFunction(node: FunctionDefinitionNode, scope: Scope, chain: Chain): void {
    const info: FunctionInfo = { riskClass: 'read', flags: [], visiting: true };
    this.functions.set(node.name, info);
    const start = this.entries.length;
    this.command(node.body, { ...scope }, chain, NO_STDIN);
    info.visiting = false;
    for (const entry of this.entries.slice(start)) {
      info.riskClass = maxShellRiskClass(info.riskClass, entry.riskClass);
      info.flags.push(...entry.flags);
    }
  }

  private simple(node: SimpleCommandNode, scope: Scope, chain: Chain, stdin: Stdin): void {
    for (const assignment of node.assignments) this.expansions(assignment.value, scope, chain);
    for (const word of node.words) this.expansions(word, scope, chain);
    for (const redirect of node.redirects) this.redirectExpansions(redirect, scope, chain);
    const input = this.stdinOf(node.redirects) ?? stdin;
    const argv: ArgValue[] = [];
    const sources = new Map<ArgValue, WordNode>();
    for (const word of node.words) {
      for (const value of expandWord(word)) {
        argv.push(value);
        sources.set(value, word);
      }
    }
    const start = this.entries.length;
    if (argv.length === 0) {
      this.bareAssignments(node, chain);
    } else {
      this.run(argv, scope, chain, input, sources);
      const flags = node.assignments.flatMap((assignment) => assignmentFlags(assignment.name));
      if (flags.length > 0) this.raiseFrom(start, flags.includes('env_hijack') ? 'unknown' : 'read', flags);
      this.trackDirectory(argv, scope, chain);
    }
    this.applyRedirects(node.redirects, start, scope);
  }

  /** A command of only assignments and redirections (`X=1`, `> file`). */
  private bareAssignments(node: SimpleCommandNode, chain: Chain): void {
    const flags = node.assignments.flatMap((assignment: AssignmentNode) => assignmentFlags(assignment.name));
    const riskClass: ShellRiskClass = flags.includes('env_hijack')
      ? 'unknown'
      : flags.length > 0
        ? 'write'
        : 'read';
    this.emit(
      '',
      node.assignments.map((assignment) => `${assignment.name}=`),
      verdict(riskClass, node.assignments.length > 0 ? 'assignment' : 'redirect', ...flags),
      chain,
      false,
    );
  }

  private trackDirectory(argv: readonly ArgValue[], scope: Scope, chain: Chain): void {
    const head = argv[0];
    if (chain.wrappers.length > 0 || head === undefined || head.dynamic) return;
    if (head.text === 'cd' || head.text === 'pushd') {
      const target = argv
        .slice(1)
        .find((arg) => arg.dynamic || !arg.text.startsWith('-') || arg.text === '-');
      scope.cwd = changeDirectory(scope.cwd, target);
    } else if (head.text === 'popd') {
      scope.cwd = 'dynamic';
    }
  }

  /** Unwraps and classifies one argument vector. */
  private run(
    argv: readonly ArgValue[],
    scope: Scope,
    chain: Chain,
    stdin: Stdin,
    sources: ReadonlyMap<ArgValue, WordNode>,
  ): void {
    let current = argv;
    let links = chain;
    let cwd = scope.cwd;
    for (let step = 0; ; step++) {
      const head = current[0];
      if (head === undefined) return;
      const args = current.slice(1);
      if (step > MAX_UNWRAP) {
        this.emit(head.text, args.map(text), verdict('unknown', head.text, 'too_complex'), links, false);
        return;
      }
      if (head.dynamic || head.glob) {
        this.emit(head.text, args.map(text), verdict('unknown', 'dynamic', 'dynamic_command'), links, false);
        return;
      }
      const { program, trusted } = resolveProgram(head.text);
      const fn = head.text.includes('/') ? undefined : this.functions.get(program);
      const rule = trusted ? ruleFor(program) : undefined;
      if (fn !== undefined) {
        this.callFunction(
          program,
          args,
          fn,
          rule === undefined ? undefined : rule({ program, args, cwd, bulk: links.bulk }).verdict,
          links,
        );
        return;
      }
      if (rule === undefined) {
        this.emit(program, args.map(text), verdict('unknown', program, 'unknown_program'), links, true);
        return;
      }
      const outcome = rule({ program, args, cwd, bulk: links.bulk });
      if (outcome.verdict !== undefined) this.emit(program, args.map(text), outcome.verdict, links, true);
      for (const nested of outcome.nested ?? [])
        this.run(nested.argv, { cwd }, extend(links, nested), NO_STDIN, sources);
      for (const script of outcome.scripts ?? []) this.script(script, { cwd }, links);
      if (outcome.code !== undefined) this.code(outcome.code, program, args, { cwd }, links, stdin, sources);
      if (outcome.then === undefined) return;
      links = extend(links, outcome.then);
      current = outcome.then.argv;
      if (outcome.then.cwd !== undefined) cwd = outcome.then.cwd;
    }
  }

  private callFunction(
    name: string,
    args: readonly ArgValue[],
    fn: FunctionInfo,
    shadowed: Verdict | undefined,
    chain: Chain,
  ): void {
    if (fn.visiting) {
      // A function that calls itself: unbounded recursion, and with `|` or `&` a fork bomb.
      this.emit(name, args.map(text), verdict('destructive', 'function', 'fork_bomb'), chain, false);
      return;
    }
    // A function may shadow a program only on some paths (`if …; then rm() { …; }; fi`): keep the riskier reading.
    const riskClass = maxShellRiskClass(fn.riskClass, shadowed?.riskClass ?? 'read');
    this.emit(
      name,
      args.map(text),
      verdict(riskClass, 'function', ...fn.flags, ...(shadowed?.flags ?? [])),
      chain,
      false,
    );
  }

  /** Shell text run by `sh -c`, `eval`, `watch`, `su -c`, a here-document fed to a shell, … */
  private script(script: NestedScript, scope: Scope, chain: Chain): void {
    const program = script.wrapper.split(' ')[0] as string;
    const links = extend(chain, {
      argv: [],
      wrapper: script.wrapper,
      ...(script.flags === undefined ? {} : { flags: script.flags }),
    });
    const placeholder = chain.placeholders.find((value) => script.text.text.includes(value));
    if (script.text.dynamic || placeholder !== undefined) {
      // The shell re-parses expanded text: whatever the expansion holds becomes code.
      this.emit(
        program,
        [script.text.text],
        verdict('unknown', script.wrapper, 'dynamic_command', ...(script.flags ?? [])),
        chain,
        true,
      );
      return;
    }
    this.scriptBudget -= script.text.text.length;
    if (this.scriptDepth >= MAX_SCRIPT_DEPTH || this.scriptBudget < 0) {
      this.emit(program, [script.text.text], verdict('unknown', script.wrapper, 'too_complex'), chain, true);
      return;
    }
    let ast: ListNode;
    try {
      ast = parseShell(script.text.text);
    } catch (error) {
      if (!(error instanceof ShellSyntaxError)) throw error;
      const flag = error.tooComplex ? 'too_complex' : 'unparsable';
      this.emit(
        program,
        [script.text.text],
        verdict('unknown', script.wrapper, flag, ...(script.flags ?? [])),
        chain,
        true,
      );
      return;
    }
    this.scriptDepth++;
    this.list(ast, { ...scope }, links, NO_STDIN);
    this.scriptDepth--;
  }

  /** A program that runs code from stdin or a file the classifier cannot read. */
  private code(
    code: CodeSource,
    program: string,
    args: readonly ArgValue[],
    scope: Scope,
    chain: Chain,
    stdin: Stdin,
    sources: ReadonlyMap<ArgValue, WordNode>,
  ): void {
    const flags = code.flags ?? [];
    // `. /dev/stdin` and `bash /dev/fd/0` read the script from stdin like a bare `sh`.
    const fromStdin = code.from === 'stdin' || (!code.operand.dynamic && STDIN_PATHS.has(code.operand.text));
    const downloaded =
      code.from === 'stdin' || fromStdin
        ? stdin.download
        : this.downloadWords.has(sources.get(code.operand) as WordNode);
    if (downloaded) {
      this.emit(
        program,
        args.map(text),
        verdict('destructive', program, 'pipe_to_shell', 'network', ...flags),
        chain,
        true,
      );
      return;
    }
    if (fromStdin && stdin.script !== null && code.language === 'shell') {
      this.script({ text: literalArg(stdin.script), wrapper: program, flags }, scope, chain);
      return;
    }
    this.emit(program, args.map(text), verdict('unknown', program, 'interpreter', ...flags), chain, true);
  }

  /** stdin set by the command's own redirections; `null` when none redirects fd 0. */
  private stdinOf(redirects: readonly RedirectNode[]): Stdin | null {
    let stdin: Stdin | null = null;
    for (const redirect of redirects) {
      if (redirect.fd !== null && redirect.fd !== 0) continue;
      if (redirect.hereDoc !== null) {
        stdin = {
          script: redirect.hereDoc.expansions.length === 0 ? redirect.hereDoc.body : null,
          download: false,
        };
      } else if (redirect.operator === '<<<') {
        const values = expandWord(redirect.target);
        const only = values[0];
        stdin = {
          script: values.length === 1 && only !== undefined && !only.dynamic ? `${only.text}\n` : null,
          download: false,
        };
      } else if (redirect.operator === '<' || redirect.operator === '<>') {
        const target = expandWord(redirect.target)[0];
        const socket = target !== undefined && !target.dynamic && NETWORK_PATH.test(target.text);
        stdin = { script: null, download: socket || this.downloadWords.has(redirect.target) };
      }
    }
    return stdin;
  }

  /** Commands inside a word's substitutions run before the command that holds the word. */
  private expansions(word: WordNode, scope: Scope, chain: Chain): void {
    for (const part of word.parts) {
      if (part.type === 'process_substitution') {
        const start = this.entries.length;
        this.part(part, scope, chain);
        if (this.entries.slice(start).some((entry) => DOWNLOADERS.has(entry.program)))
          this.downloadWords.add(word);
      } else {
        this.part(part, scope, chain);
      }
    }
  }

  private part(part: WordPart, scope: Scope, chain: Chain): void {
    switch (part.type) {
      case 'literal':
        return;
      case 'parameter':
      case 'arithmetic':
        for (const nested of part.nested) this.part(nested, scope, chain);
        return;
      case 'command_substitution':
      case 'process_substitution':
        this.list(part.body, { ...scope }, chain, NO_STDIN);
        return;
    }
  }

  private redirectExpansions(redirect: RedirectNode, scope: Scope, chain: Chain): void {
    if (redirect.hereDoc !== null) {
      for (const part of redirect.hereDoc.expansions) this.part(part, scope, chain);
    } else {
      this.expansions(redirect.target, scope, chain);
    }
  }

  /** Output redirections make every command they apply to a writer of their target. */
  private applyRedirects(redirects: readonly RedirectNode[], start: number, scope: Scope): void {
    for (const redirect of redirects) {
      const op = redirect.operator;
      if (op === '<<' || op === '<<-' || op === '<<<') {
        this.raiseFrom(start, 'read', ['here_doc']);
        continue;
      }
      const duplicates = op === '>&' || op === '<&';
      if (duplicates && /^(?:\d+|-)$/.test(renderTarget(redirect.target))) continue;
      const values = expandWord(redirect.target);
      const only = values[0];
      if (values.length === 1 && only !== undefined && !only.dynamic && NETWORK_PATH.test(only.text)) {
        // Reading from or sending to a socket: data enters or leaves the host.
        this.raiseFrom(start, op === '<' || op === '<&' ? 'read' : 'write', ['network']);
        continue;
      }
      if (op === '<' || op === '<&') continue;
      // A redirection word that expands to several words is an error in bash; treat its target as unknown.
      const target: ArgValue =
        values.length === 1 && values[0] !== undefined
          ? values[0]
          : { text: renderTarget(redirect.target), dynamic: true, glob: false };
      if (assessPath(target, scope.cwd).harmless) continue;
      const effect = writeTargets(verdict('write', 'redirect', 'redirect_write'), [target], scope.cwd);
      this.raiseFrom(start, effect.riskClass, effect.flags);
    }
  }

  private raiseFrom(start: number, riskClass: ShellRiskClass, flags: readonly ShellRiskFlag[]): void {
    for (let index = start; index < this.entries.length; index++) {
      const entry = this.entries[index] as Entry;
      if (compareShellRiskClass(riskClass, entry.riskClass) > 0) entry.riskClass = riskClass;
      for (const flag of flags) entry.flags.add(flag);
    }
  }

  private emit(program: string, args: string[], result: Verdict, chain: Chain, isProgram: boolean): void {
    this.entries.push({
      program,
      args,
      kind: result.kind,
      riskClass: result.riskClass,
      flags: new Set([...result.flags, ...chain.flags]),
      wrappers: [...chain.wrappers],
      isProgram,
    });
  }
}

function extend(chain: Chain, link: Continuation): Chain {
  return {
    wrappers: [...chain.wrappers, link.wrapper],
    flags: [...chain.flags, ...(link.flags ?? [])],
    bulk: chain.bulk || link.bulk === true,
    placeholders:
      link.placeholder === undefined ? chain.placeholders : [...chain.placeholders, link.placeholder],
  };
}

function text(arg: ArgValue): string {
  return arg.text;
}

function renderTarget(word: WordNode): string {
  return expandWord(word)
    .map((value) => value.text)
    .join(' ');
}
