/**
 * Scans a GNU sed script (https://www.gnu.org/software/sed/manual/sed.html#sed-scripts) for the
 * commands that reach outside the stream: `e` and the `s///e` flag run shell commands, `w`/`W` and
 * the `s///w` flag write files. Anything the scanner does not recognise is reported as
 * `unparsed`, which the classifier treats like a command it cannot see.
 */

/** What a sed script does besides editing the stream. */
export interface SedScriptEffects {
  /** Runs shell commands (`e`, `s///e`). */
  readonly executes: boolean;
  /** Files written by `w`, `W` or `s///w`. */
  readonly writes: readonly string[];
  /** The scanner met syntax it does not know. */
  readonly unparsed: boolean;
}

const SIMPLE_COMMANDS = new Set([
  '=',
  'd',
  'D',
  'F',
  'g',
  'G',
  'h',
  'H',
  'n',
  'N',
  'p',
  'P',
  'x',
  'z',
  'l',
  'q',
  'Q',
  'L',
]);

/** A position in a sed script; methods instead of closures keep the scan allocation-free. */
class SedCursor {
  pos = 0;

  constructor(readonly script: string) {}

  restOfLine(): string {
    const end = this.script.indexOf('\n', this.pos);
    const text = this.script.slice(this.pos, end === -1 ? this.script.length : end);
    this.pos = end === -1 ? this.script.length : end;
    return text.trim();
  }

  skipDelimited(delimiter: string): boolean {
    for (; this.pos < this.script.length; this.pos++) {
      const c = this.script[this.pos];
      if (c === '\\') {
        this.pos++;
      } else if (c === delimiter) {
        this.pos++;
        return true;
      } else if (c === '\n' && delimiter !== '\n') {
        return false;
      }
    }
    return false;
  }

  skipWhile(pattern: RegExp): void {
    while (this.pos < this.script.length && pattern.test(this.script[this.pos] as string)) this.pos++;
  }

  skipAddress(): boolean {
    const c = this.script[this.pos];
    if (c === undefined) return true;
    if (c >= '0' && c <= '9') {
      this.skipWhile(/[0-9~]/);
    } else if (c === '$') {
      this.pos++;
    } else if (c === '/' || c === '\\') {
      const delimiter = c === '/' ? '/' : this.script[this.pos + 1];
      if (delimiter === undefined) return false;
      this.pos += c === '/' ? 1 : 2;
      if (!this.skipDelimited(delimiter)) return false;
      this.skipWhile(/[IM]/);
    }
    return true;
  }
}

/** Scans one sed script (the concatenation of all `-e` texts, newline-separated). */
export function scanSedScript(script: string): SedScriptEffects {
  const writes: string[] = [];
  let executes = false;
  const at = new SedCursor(script);
  while (at.pos < script.length) {
    const c = script[at.pos] as string;
    if (/[\s;}]/.test(c)) {
      at.pos++;
      continue;
    }
    if (c === '#') {
      at.restOfLine();
      continue;
    }
    if (!at.skipAddress()) return { executes, writes, unparsed: true };
    if (script[at.pos] === ',') {
      at.pos++;
      if (script[at.pos] === '+' || script[at.pos] === '~') at.pos++;
      if (!at.skipAddress()) return { executes, writes, unparsed: true };
    }
    while (script[at.pos] === ' ' || script[at.pos] === '\t' || script[at.pos] === '!') at.pos++;
    const command = script[at.pos];
    if (command === undefined) return { executes, writes, unparsed: true };
    at.pos++;
    if (command === '{' || command === '}') continue;
    if (SIMPLE_COMMANDS.has(command)) {
      while (/[ \t0-9]/.test(script[at.pos] ?? '')) at.pos++;
      continue;
    }
    switch (command) {
      case ':':
      case 'b':
      case 't':
      case 'T':
      case 'v':
        while (at.pos < script.length && !/[;\n]/.test(script[at.pos] as string)) at.pos++;
        break;
      case 'a':
      case 'i':
      case 'c':
        // One-liner text, or `a\` followed by lines continued with a trailing backslash.
        for (;;) {
          const line = at.restOfLine();
          if (!line.endsWith('\\') || at.pos >= script.length) break;
          at.pos++;
        }
        break;
      case 'r':
      case 'R':
        at.restOfLine();
        break;
      case 'w':
      case 'W':
        writes.push(at.restOfLine());
        break;
      case 'e':
        executes = true;
        at.restOfLine();
        break;
      case 'y':
      case 's': {
        const delimiter = script[at.pos];
        if (delimiter === undefined || delimiter === '\n' || delimiter === '\\')
          return { executes, writes, unparsed: true };
        at.pos++;
        if (!at.skipDelimited(delimiter) || !at.skipDelimited(delimiter))
          return { executes, writes, unparsed: true };
        if (command === 'y') break;
        while (at.pos < script.length && /[gpiImMe0-9w]/.test(script[at.pos] as string)) {
          const flag = script[at.pos] as string;
          at.pos++;
          if (flag === 'e') executes = true;
          if (flag === 'w') {
            writes.push(at.restOfLine());
            break;
          }
        }
        break;
      }
      default:
        return { executes, writes, unparsed: true };
    }
  }
  return { executes, writes, unparsed: false };
}
