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

/** Scans one sed script (the concatenation of all `-e` texts, newline-separated). */
export function scanSedScript(script: string): SedScriptEffects {
  const writes: string[] = [];
  let executes = false;
  let pos = 0;
  const restOfLine = (): string => {
    const end = script.indexOf('\n', pos);
    const text = script.slice(pos, end === -1 ? script.length : end);
    pos = end === -1 ? script.length : end;
    return text.trim();
  };
  const skipDelimited = (delimiter: string): boolean => {
    for (; pos < script.length; pos++) {
      const c = script[pos];
      if (c === '\\') {
        pos++;
      } else if (c === delimiter) {
        pos++;
        return true;
      } else if (c === '\n' && delimiter !== '\n') {
        return false;
      }
    }
    return false;
  };
  const skipAddress = (): boolean => {
    const c = script[pos];
    if (c === undefined) return true;
    if (/[0-9]/.test(c)) {
      while (/[0-9~]/.test(script[pos] ?? '')) pos++;
    } else if (c === '$') {
      pos++;
    } else if (c === '/') {
      pos++;
      if (!skipDelimited('/')) return false;
      while (/[IM]/.test(script[pos] ?? '')) pos++;
    } else if (c === '\\') {
      const delimiter = script[pos + 1];
      if (delimiter === undefined) return false;
      pos += 2;
      if (!skipDelimited(delimiter)) return false;
      while (/[IM]/.test(script[pos] ?? '')) pos++;
    }
    return true;
  };
  while (pos < script.length) {
    const c = script[pos] as string;
    if (/[\s;}]/.test(c)) {
      pos++;
      continue;
    }
    if (c === '#') {
      restOfLine();
      continue;
    }
    if (!skipAddress()) return { executes, writes, unparsed: true };
    if (script[pos] === ',') {
      pos++;
      if (script[pos] === '+' || script[pos] === '~') pos++;
      if (!skipAddress()) return { executes, writes, unparsed: true };
    }
    while (script[pos] === ' ' || script[pos] === '\t' || script[pos] === '!') pos++;
    const command = script[pos];
    if (command === undefined) return { executes, writes, unparsed: true };
    pos++;
    if (command === '{' || command === '}') continue;
    if (SIMPLE_COMMANDS.has(command)) {
      while (/[ \t0-9]/.test(script[pos] ?? '')) pos++;
      continue;
    }
    switch (command) {
      case ':':
      case 'b':
      case 't':
      case 'T':
      case 'v':
        while (pos < script.length && !/[;\n]/.test(script[pos] as string)) pos++;
        break;
      case 'a':
      case 'i':
      case 'c':
        // One-liner text, or `a\` followed by lines continued with a trailing backslash.
        for (;;) {
          const line = restOfLine();
          if (!line.endsWith('\\') || pos >= script.length) break;
          pos++;
        }
        break;
      case 'r':
      case 'R':
        restOfLine();
        break;
      case 'w':
      case 'W':
        writes.push(restOfLine());
        break;
      case 'e':
        executes = true;
        restOfLine();
        break;
      case 'y':
      case 's': {
        const delimiter = script[pos];
        if (delimiter === undefined || delimiter === '\n' || delimiter === '\\')
          return { executes, writes, unparsed: true };
        pos++;
        if (!skipDelimited(delimiter) || !skipDelimited(delimiter))
          return { executes, writes, unparsed: true };
        if (command === 'y') break;
        while (pos < script.length && /[gpiImMe0-9w]/.test(script[pos] as string)) {
          const flag = script[pos] as string;
          pos++;
          if (flag === 'e') executes = true;
          if (flag === 'w') {
            writes.push(restOfLine());
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
