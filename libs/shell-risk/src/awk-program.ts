/**
 * Scans an awk program (https://pubs.opengroup.org/onlinepubs/9699919799/utilities/awk.html) for
 * what reaches outside the stream: `system()`, pipes to or from commands (`print | "cmd"`,
 * `"cmd" | getline`, gawk `|&`) and gawk `@load`/`@include` run code; `print > file` and
 * `print >> file` write files. String and regex literals and comments are skipped first so that
 * `/a|b/` or `"x > y"` do not count.
 */

/** What an awk program does besides printing to stdout. */
export interface AwkProgramEffects {
  /** Runs commands or loads code. */
  readonly executes: boolean;
  /** File targets of `print >`/`printf >>` redirections given as string literals. */
  readonly writes: readonly string[];
  /** A redirection whose target is an expression (known only at run time). */
  readonly dynamicWrite: boolean;
}

/** Characters after which a `/` starts a regex literal rather than a division. */
const REGEX_CONTEXT = new Set(['', '(', ',', '{', '}', ';', '!', '~', '&', '|', '=', '\n', '?', ':']);

/** Scans one awk program text. */
export function scanAwkProgram(program: string): AwkProgramEffects {
  // Skeleton: strings become `"<index>"`, regexes and comments disappear.
  const strings: string[] = [];
  let skeleton = '';
  let previous = '';
  for (let pos = 0; pos < program.length; pos++) {
    const c = program[pos] as string;
    if (c === '"') {
      let value = '';
      for (pos++; pos < program.length && program[pos] !== '"'; pos++) {
        if (program[pos] === '\\') pos++;
        value += program[pos] ?? '';
      }
      skeleton += `"${strings.length}"`;
      strings.push(value);
      previous = '"';
    } else if (c === '/' && REGEX_CONTEXT.has(previous)) {
      for (pos++; pos < program.length && program[pos] !== '/' && program[pos] !== '\n'; pos++) {
        if (program[pos] === '\\') pos++;
        else if (program[pos] === '[') {
          for (pos++; pos < program.length && program[pos] !== ']'; pos++) if (program[pos] === '\\') pos++;
        }
      }
      skeleton += ' 0 ';
      previous = '0';
    } else if (c === '#') {
      while (pos + 1 < program.length && program[pos + 1] !== '\n') pos++;
    } else {
      skeleton += c;
      if (c !== ' ' && c !== '\t') previous = c;
    }
  }
  const executes =
    /\bsystem\s*\(/.test(skeleton) ||
    /(?<!\|)\|(?!\|)/.test(skeleton) ||
    /@(?:load|include)\b/.test(skeleton);
  const writes: string[] = [];
  let dynamicWrite = false;
  const print = /\bprintf?\b/g;
  for (let match = print.exec(skeleton); match !== null; match = print.exec(skeleton)) {
    let depth = 0;
    for (let pos = match.index + match[0].length; pos < skeleton.length; pos++) {
      const c = skeleton[pos] as string;
      if (c === '(') depth++;
      else if (c === ')') depth--;
      else if (depth <= 0 && (c === ';' || c === '\n' || c === '}')) break;
      else if (depth <= 0 && c === '>') {
        const target = /^>?\s*"(\d+)"/.exec(skeleton.slice(pos + 1));
        if (target === null) dynamicWrite = true;
        else writes.push(strings[Number(target[1])] ?? '');
        break;
      }
    }
  }
  return { executes, writes, dynamicWrite };
}
