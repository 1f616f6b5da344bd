import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyShell } from './shell-classifier.ts';
import { parseShell } from './shell-parser.ts';
import { quoteLiteral, renderShell, renderShellShape } from './shell-render.ts';
import { ShellSyntaxError } from './shell-syntax-error.ts';

function normalize(commandLine: string): string {
  return renderShell(parseShell(commandLine));
}

/** Fragments that combine into shell-like text: quotes, expansions, operators, here-documents. */
const FRAGMENTS = [
  'rm',
  'ls',
  'echo',
  'sudo',
  'sh -c',
  'cat',
  'x',
  'a=b',
  '-rf',
  '/',
  '/etc/passwd',
  '~',
  ' ',
  ' ',
  ' ',
  '\t',
  '\n',
  "'",
  "''",
  '"',
  '""',
  '\\',
  '$',
  '$x',
  '${x}',
  '$(',
  '`',
  '{',
  '}',
  ',',
  '*',
  '?',
  '[',
  ']',
  '(',
  ')',
  ';',
  '&',
  '&&',
  '||',
  '|',
  '>',
  '>>',
  '<',
  '2>&1',
  '<<E\n',
  'E\n',
  '#',
  '=',
  '!',
  'if ',
  'then ',
  'fi',
  '{ ',
  '; }',
] as const;

describe('renderShell - canonical spelling', () => {
  it.each([
    ["r''m  -rf   /   # note", 'rm -rf /'],
    ['"rm" -rf /', 'rm -rf /'],
    ['\\rm -rf /', 'rm -rf /'],
    ["$'\\x72m' -rf /", 'rm -rf /'],
    ['echo "a b" \'c\' "$HOME" $x$y', 'echo \'a b\' c "${HOME}" ${x}${y}'],
    ['echo `id -u`', 'echo $(id -u)'],
    ['echo "`id`"', 'echo "$(id)"'],
    ['ls>out   2>&1', 'ls > out 2>&1'],
    ['X=1 Y+=2 cmd', 'X=1 Y+=2 cmd'],
    ['>file', '> file'],
    ["'a=b' x", "'a=b' x"],
    ["'if' x", "'if' x"],
    ['""#x', "'#x'"],
    ['""~/x ~/y', "'~/x' ~/y"],
    ['echo ""', "echo ''"],
    ["echo '*' *", "echo '*' *"],
    ['echo it"\'"s', "echo 'it'\\''s'"],
    ['echo $ a$', "echo '$' 'a$'"],
    ['echo "*"* {a,"b"}', "echo '*'* {a,b}"],
    ['if a;then b;elif c;then d;else e;fi', 'if a; then b; elif c; then d; else e; fi'],
    ['while a;do b;done', 'while a; do b; done'],
    ['for i in 1 2;do echo $i;done', 'for i in 1 2; do echo ${i}; done'],
    ['case $x in a|b) c;; *) ;; esac', 'case ${x} in (a | b) c ;; (*) ;; esac'],
    ['f(){ ls;}', 'f() { ls; }'],
    ['echo $( (ls) )', 'echo $( ( ls ))'],
    ['a &b', 'a & b'],
    ['! a | b |& c', '! a | b |& c'],
    ['cat <<-END\n\tbody\n\tEND', 'cat <<EOF\nbody\nEOF\n'],
    ["cat <<'X'\n$y\nX", "cat <<'EOF'\n$y\nEOF\n"],
    ['cat <<X\nEOF\nX', 'cat <<EOF1\nEOF\nEOF1\n'],
    ['cat <<A; echo b\nbody\nA', 'cat <<EOF\nbody\nEOF\necho b'],
  ])('renderShell - writes %j as %j', (input, expected) => {
    expect(normalize(input)).toBe(expected);
  });

  it('renderShell - quotes a literal bare only when every character is inert', () => {
    expect(quoteLiteral('path/to-file_1.txt')).toBe('path/to-file_1.txt');
    expect(quoteLiteral('a b')).toBe("'a b'");
    expect(quoteLiteral("it's")).toBe("'it'\\''s'");
    expect(quoteLiteral('a,b')).toBe("'a,b'");
  });
});

describe('renderShell - round trip', () => {
  it('renderShell - output parses to the same canonical text and the same classification', () => {
    let parsed = 0;
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 14 }), (fragments) => {
        const input = fragments.join('');
        let once: string;
        try {
          once = normalize(input);
        } catch (error) {
          if (error instanceof ShellSyntaxError) return;
          throw error;
        }
        parsed++;
        expect(normalize(once)).toBe(once);
        expect(classifyShell(once).fingerprint).toBe(classifyShell(input).fingerprint);
      }),
      { numRuns: 3000, seed: 2822901 },
    );
    // The generator must reach valid command lines often enough for the property to mean something.
    expect(parsed).toBeGreaterThan(300);
  });
});

describe('renderShellShape - data taken out', () => {
  const shape = (line: string, isProgramName: (word: string) => boolean = () => false): string =>
    renderShellShape(parseShell(line), isProgramName);

  it('renderShellShape - keeps the words the predicate calls program names and replaces other arguments', () => {
    expect(shape('sudo rm -rf /x; sudo shred -u /x', (word) => word === 'rm')).toBe(
      'sudo rm -rf ?; sudo ? -u ?',
    );
    expect(shape('ls -la --color=always ./photos')).toBe('ls -la --color=? ?');
  });

  it('renderShellShape - a data word never reaches the shape, wherever it stands outside command position', () => {
    // Data is quoted where it stands as a word: `Alice Smith` bare would be two words, the second a command.
    const placements = [
      (data: string) => `cat '${data}'`,
      (data: string) => `grep -n "${data}" notes.txt`,
      (data: string) => `echo x > '${data}'`,
      (data: string) => `cat <<< '${data}'`,
      (data: string) => `V='${data}' env`,
      (data: string) => `cat <<EOF\n${data}\nEOF`,
      (data: string) => `curl --user='${data}' host`,
      (data: string) => `echo "$(cat '${data}')"`,
      (data: string) => `echo "\${X}${data}"`,
      (data: string) => `for f in '${data}'; do echo "$f"; done`,
      (data: string) => `case '${data}' in '${data}') ls;; esac`,
      (data: string) => `[[ '${data}' == x ]]`,
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...placements),
        fc.constantFrom(
          'alice.smith@example.com',
          '/home/alice/diary.txt',
          'Alice Smith',
          '4111111111111111',
        ),
        fc.constantFrom('', 'sudo ', 'nice -n 5 '),
        (place, data, prefix) => {
          let text: string;
          try {
            text = shape(`${prefix}${place(data)}`, (word) => ['sudo', 'nice', 'env'].includes(word));
          } catch (error) {
            // A wrapper before `for` or `case` is not shell syntax.
            if (error instanceof ShellSyntaxError && prefix !== '') return;
            throw error;
          }
          expect(text).not.toMatch(/alice|Alice|4111/);
        },
      ),
      { numRuns: 300, seed: 4096 },
    );
  });
});
