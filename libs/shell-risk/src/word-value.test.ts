import { describe, expect, it } from 'vitest';
import { parseShell } from './shell-parser.ts';
import { expandWord, MAX_BRACE_EXPANSION, MAX_BRACE_GROUPS, type ArgValue } from './word-value.ts';

/** The expanded argument words of the first simple command (command word excluded). */
function args(commandLine: string): ArgValue[] {
  const command = parseShell(`printf ${commandLine}`).items[0]?.command.pipelines[0]?.commands[0];
  if (command?.type !== 'simple_command') throw new Error('not a simple command');
  return command.words.slice(1).flatMap(expandWord);
}

function texts(commandLine: string): string[] {
  return args(commandLine).map((arg) => arg.text);
}

describe('expandWord - brace expansion as bash does it', () => {
  it.each([
    ['{rm,-rf,/}', ['rm', '-rf', '/']],
    ['-{r,f}', ['-r', '-f']],
    ['a{b,c{d,e}}f', ['abf', 'acdf', 'acef']],
    ['{1..3}', ['1', '2', '3']],
    ['{3..1}', ['3', '2', '1']],
    ['{01..3}', ['01', '02', '03']],
    ['{1..7..3}', ['1', '4', '7']],
    ['{1..3..0}', ['1', '2', '3']],
    ['{-1..1}', ['-1', '0', '1']],
    ['{a..c}', ['a', 'b', 'c']],
    ['{a}\\{,-rf}', ['a}{', '-rf']],
    ['{x}{,y}', ['{x}', '{x}y']],
    ['{a,b}}', ['a}', 'b}']],
    ['{{a,b}', ['{a', '{b']],
    ['{a..c}x}', ['ax}', 'bx}', 'cx}']],
    ['{a}', ['{a}']],
    ['{}', ['{}']],
    ["'{a,b}'", ['{a,b}']],
    ['{a\\,b}', ['{a,b}']],
    ['{,}', []],
    ['{a,}', ['a']],
    ["''{,}", ['', '']],
    ["{'',x}", ['', 'x']],
  ])('expandWord - expands %s to %j', (word, expected) => {
    expect(texts(word)).toEqual(expected);
  });

  it('expandWord - treats a word with more brace groups than the cap as dynamic without expanding it', () => {
    const word = '{a}'.repeat(MAX_BRACE_GROUPS + 1);
    expect(args(word)).toEqual([{ text: word, dynamic: true, glob: false }]);
    expect(args('{a}'.repeat(MAX_BRACE_GROUPS))).toEqual([
      { text: '{a}'.repeat(MAX_BRACE_GROUPS), dynamic: false, glob: false },
    ]);
  });

  it('expandWord - treats a brace expansion beyond the cap as dynamic', () => {
    const [only, ...rest] = args('{1..9}{1..9}{1..9}');
    expect(rest).toEqual([]);
    expect(only).toMatchObject({ dynamic: true, text: '{1..9}{1..9}{1..9}' });
    expect(args(`{1..${MAX_BRACE_EXPANSION}}`).length).toBe(MAX_BRACE_EXPANSION);
  });
});

describe('expandWord - dynamic values and globs', () => {
  it('expandWord - returns the canonical source text of a word with expansions as dynamic', () => {
    expect(args('"$HOME"/x $(id -u) `pwd`')).toEqual([
      { text: '"${HOME}"/x', dynamic: true, glob: false },
      { text: '$(id -u)', dynamic: true, glob: false },
      { text: '$(pwd)', dynamic: true, glob: false },
    ]);
  });

  it('expandWord - flags unquoted * ? and closed [ ] as globs, quoted ones and a lone [ not', () => {
    expect(args('*.log a? [ab] \'*\' "?" [ ] [x\\]').map((arg) => [arg.text, arg.glob])).toEqual([
      ['*.log', true],
      ['a?', true],
      ['[ab]', true],
      ['*', false],
      ['?', false],
      ['[', false],
      [']', false],
      ['[x]', false],
    ]);
  });
});
