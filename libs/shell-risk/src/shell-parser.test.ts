import { describe, expect, it } from 'vitest';
import type {
  CommandNode,
  ListNode,
  RedirectNode,
  SimpleCommandNode,
  WordNode,
  WordPart,
} from './shell-ast.ts';
import { MAX_PARSE_DEPTH, parseShell } from './shell-parser.ts';
import { ShellSyntaxError } from './shell-syntax-error.ts';

/** Every simple command of a list, depth first, in source order (substitutions not included). */
function simpleCommands(list: ListNode): SimpleCommandNode[] {
  const out: SimpleCommandNode[] = [];
  const visitCommand = (node: CommandNode): void => {
    switch (node.type) {
      case 'simple_command':
        out.push(node);
        return;
      case 'subshell':
      case 'brace_group':
        visitList(node.body);
        return;
      case 'if':
        for (const clause of node.clauses) {
          visitList(clause.condition);
          visitList(clause.body);
        }
        if (node.elseBody !== null) visitList(node.elseBody);
        return;
      case 'loop':
        visitList(node.condition);
        visitList(node.body);
        return;
      case 'for':
        visitList(node.body);
        return;
      case 'case':
        for (const clause of node.clauses) visitList(clause.body);
        return;
      case 'function_definition':
        visitCommand(node.body);
        return;
    }
  };
  const visitList = (node: ListNode): void => {
    for (const item of node.items)
      for (const pipeline of item.command.pipelines)
        for (const command of pipeline.commands) visitCommand(command);
  };
  visitList(list);
  return out;
}

/** A word's value when all its parts are literal; `null` otherwise. */
function literal(word: WordNode | undefined): string | null {
  if (word === undefined) return null;
  let out = '';
  for (const part of word.parts) {
    if (part.type !== 'literal') return null;
    out += part.value;
  }
  return out;
}

function argv(commandLine: string, index = 0): (string | null)[] {
  const command = simpleCommands(parseShell(commandLine))[index];
  if (command === undefined) throw new Error(`no simple command ${index} in ${commandLine}`);
  return command.words.map(literal);
}

function firstPart(commandLine: string, wordIndex: number): WordPart {
  const part = simpleCommands(parseShell(commandLine))[0]?.words[wordIndex]?.parts[0];
  if (part === undefined) throw new Error('no such part');
  return part;
}

function redirects(commandLine: string, index = 0): readonly RedirectNode[] {
  return simpleCommands(parseShell(commandLine))[index]?.redirects ?? [];
}

function syntaxError(commandLine: string): ShellSyntaxError {
  try {
    parseShell(commandLine);
  } catch (error) {
    if (error instanceof ShellSyntaxError) return error;
    throw error;
  }
  throw new Error(`parsed: ${commandLine}`);
}

describe('parseShell - words and quoting', () => {
  it('parseShell - removes single quotes, double quotes and backslashes like the shell', () => {
    expect(argv(`r''m "a b" 'c"d' \\e "f\\"g\\$h\\\\i\\j"`)).toEqual([
      'rm',
      'a b',
      'c"d',
      'e',
      'f"g$h\\i\\j',
    ]);
  });

  it('parseShell - marks quoted and escaped text as quoted, bare text as not', () => {
    const word = simpleCommands(parseShell(`a'b'\\c`))[0]?.words[0];
    expect(word?.parts).toEqual([
      { type: 'literal', value: 'a', quoted: false },
      { type: 'literal', value: 'bc', quoted: true },
    ]);
  });

  it('parseShell - removes backslash-newline inside words and between them', () => {
    expect(argv('r\\\nm -\\\nrf \\\n /')).toEqual(['rm', '-rf', '/']);
  });

  it('parseShell - keeps backslash-newline literally inside single quotes', () => {
    expect(argv("echo 'a\\\nb'")).toEqual(['echo', 'a\\\nb']);
  });

  it('parseShell - decodes bash ANSI-C quoting including hex, octal, unicode and control escapes', () => {
    expect(argv("echo $'\\x72m' $'a\\tb' $'\\101' $'\\u00e9' $'\\cA' $'it\\'s'")).toEqual([
      'echo',
      'rm',
      'a\tb',
      'A',
      'é',
      '\x01',
      "it's",
    ]);
  });

  it('parseShell - truncates ANSI-C text at an escaped NUL as bash does', () => {
    expect(argv("$'rm\\0garbage' -rf")).toEqual(['rm', '-rf']);
  });

  it('parseShell - treats $"…" as a double-quoted string', () => {
    expect(argv('echo $"hello $USER"')[1]).toBeNull();
    expect(argv('echo $"hello"')).toEqual(['echo', 'hello']);
  });

  it('parseShell - starts a comment only at the beginning of a word', () => {
    expect(argv('echo a#b # c d')).toEqual(['echo', 'a#b']);
    expect(simpleCommands(parseShell('ls;#rm -rf /')).length).toBe(1);
  });

  it('parseShell - reads a lone $ and $ before a non-name as a literal dollar', () => {
    expect(argv('echo $ a$ $%')).toEqual(['echo', '$', 'a$', '$%']);
  });

  it('parseShell - parses $name, ${…} and special parameters as parameter parts', () => {
    expect(firstPart('echo $HOME', 1)).toMatchObject({
      type: 'parameter',
      text: '$HOME',
      name: 'HOME',
      quoted: false,
    });
    expect(firstPart('echo ${x:-a}b', 1)).toMatchObject({ type: 'parameter', text: '${x:-a}', name: 'x' });
    expect(firstPart('echo $@', 1)).toMatchObject({ type: 'parameter', text: '$@', name: '@' });
    expect(simpleCommands(parseShell('echo "$1x"'))[0]?.words[1]?.parts).toEqual([
      { type: 'literal', value: '', quoted: true },
      { type: 'parameter', text: '$1', name: '1', quoted: true, nested: [] },
      { type: 'literal', value: 'x', quoted: true },
    ]);
  });

  it('parseShell - ends ${…} at the first unquoted } and collects substitutions inside it', () => {
    const part = firstPart("echo ${x:-'}'$(reboot)}", 1);
    expect(part.type).toBe('parameter');
    if (part.type !== 'parameter') return;
    expect(part.text).toBe("${x:-'}'$(reboot)}");
    expect(part.nested.map((nested) => nested.type)).toEqual(['command_substitution']);
  });
});

describe('parseShell - substitutions', () => {
  it('parseShell - parses $( … ) recursively, including quotes and nested substitutions', () => {
    const word = simpleCommands(parseShell('echo "$(echo "$(id -u)")"'))[0]?.words[1];
    const substitution = word?.parts.find((p) => p.type === 'command_substitution');
    expect(substitution?.type).toBe('command_substitution');
    if (substitution?.type !== 'command_substitution') return;
    expect(substitution.quoted).toBe(true);
    const inner = simpleCommands(substitution.body)[0]?.words[1]?.parts.find(
      (p) => p.type === 'command_substitution',
    );
    expect(inner?.type).toBe('command_substitution');
  });

  it('parseShell - finds the ) of $( … ) past a case arm and a comment', () => {
    const part = firstPart('echo $(case x in x) echo a;; esac # )\n)', 1);
    expect(part.type).toBe('command_substitution');
    if (part.type !== 'command_substitution') return;
    expect(part.body.items[0]?.command.pipelines[0]?.commands[0]?.type).toBe('case');
  });

  it('parseShell - unescapes backquotes and parses nested backquotes', () => {
    const part = firstPart('echo `echo \\`id\\``', 1);
    expect(part).toMatchObject({ type: 'command_substitution', backquoted: true });
    if (part.type !== 'command_substitution') return;
    const inner = simpleCommands(part.body)[0]?.words[1]?.parts[0];
    expect(inner).toMatchObject({ type: 'command_substitution', backquoted: true });
  });

  it('parseShell - reads $(( … )) as arithmetic and $( ( … ) ) as a substitution holding a subshell', () => {
    expect(firstPart('echo $(( (1+2) * 3 ))', 1)).toMatchObject({ type: 'arithmetic', text: ' (1+2) * 3 ' });
    const part = firstPart('echo $((ls); (id))', 1);
    expect(part.type).toBe('command_substitution');
    if (part.type !== 'command_substitution') return;
    expect(part.body.items.map((item) => item.command.pipelines[0]?.commands[0]?.type)).toEqual([
      'subshell',
      'subshell',
    ]);
  });

  it('parseShell - collects substitutions inside arithmetic', () => {
    const part = firstPart('echo $(( x[$(id)] + 1 ))', 1);
    expect(part.type).toBe('arithmetic');
    if (part.type !== 'arithmetic') return;
    expect(part.nested.map((nested) => nested.type)).toEqual(['command_substitution']);
  });

  it('parseShell - parses process substitution as a word part', () => {
    const command = simpleCommands(parseShell('diff <(ls a) >(tee b)'))[0];
    expect(command?.words.map((word) => word.parts[0]?.type)).toEqual([
      'literal',
      'process_substitution',
      'process_substitution',
    ]);
    expect(command?.redirects).toEqual([]);
  });
});

describe('parseShell - lists, pipelines and compound commands', () => {
  it('parseShell - splits on ; & && || | |& and newlines', () => {
    const list = parseShell('a; b & c && d || e | f |& g\nh');
    expect(list.items.map((item) => item.background)).toEqual([false, true, false, false]);
    const andOr = list.items[2]?.command;
    expect(andOr?.operators).toEqual(['&&', '||']);
    expect(andOr?.pipelines[2]?.operators).toEqual(['|', '|&']);
    expect(simpleCommands(list).map((command) => literal(command.words[0]))).toEqual([
      'a',
      'b',
      'c',
      'd',
      'e',
      'f',
      'g',
      'h',
    ]);
  });

  it('parseShell - accepts a newline after && || and |', () => {
    expect(simpleCommands(parseShell('a &&\n b ||\n\n c |\n d')).length).toBe(4);
  });

  it('parseShell - parses negation, subshells and brace groups', () => {
    const list = parseShell('! ( a; b ) && { c; }');
    const pipelines = list.items[0]?.command.pipelines;
    expect(pipelines?.[0]?.negated).toBe(true);
    expect(pipelines?.[0]?.commands[0]?.type).toBe('subshell');
    expect(pipelines?.[1]?.commands[0]?.type).toBe('brace_group');
  });

  it('parseShell - recognises reserved words only at command position', () => {
    expect(argv('echo if then fi { }')).toEqual(['echo', 'if', 'then', 'fi', '{', '}']);
    expect(argv('{ls}')).toEqual(['{ls}']);
  });

  it('parseShell - parses if/elif/else, while, until, for and case', () => {
    const list = parseShell(
      'if a; then b; elif c; then d; else e; fi; while f; do g; done; until h; do i; done; for x in 1 2; do j; done; for y; do k; done; case $z in (l|m) n;; o) p;& *) q;; esac',
    );
    const types = list.items.map((item) => item.command.pipelines[0]?.commands[0]?.type);
    expect(types).toEqual(['if', 'loop', 'loop', 'for', 'for', 'case']);
    expect(simpleCommands(list).map((command) => literal(command.words[0]))).toEqual([
      'a',
      'b',
      'c',
      'd',
      'e',
      'f',
      'g',
      'h',
      'i',
      'j',
      'k',
      'n',
      'p',
      'q',
    ]);
    const forNode = list.items[4]?.command.pipelines[0]?.commands[0];
    expect(forNode?.type === 'for' ? forNode.items : 'not for').toBeNull();
  });

  it('parseShell - parses function definitions in both spellings', () => {
    const list = parseShell(':(){ :|:& };: ; function deploy { make; }');
    const first = list.items[0]?.command.pipelines[0]?.commands[0];
    expect(first).toMatchObject({ type: 'function_definition', name: ':' });
    const last = list.items[2]?.command.pipelines[0]?.commands[0];
    expect(last).toMatchObject({ type: 'function_definition', name: 'deploy' });
  });

  it('parseShell - keeps && < and ( inside [[ … ]] as test operands', () => {
    expect(argv('[[ -f a && ( $x < 3 ) ]] && b')).toEqual([
      '[[',
      '-f',
      'a',
      '&&',
      '(',
      null,
      '<',
      '3',
      ')',
      ']]',
    ]);
    expect(argv('[[ -f a && ( $x < 3 ) ]] && b', 1)).toEqual(['b']);
  });

  it('parseShell - reads leading NAME=value words as assignments, including +=', () => {
    const command = simpleCommands(parseShell('A=1 B+=x C= cmd D=2'))[0];
    expect(
      command?.assignments.map((assignment) => [
        assignment.name,
        assignment.append,
        literal(assignment.value),
      ]),
    ).toEqual([
      ['A', false, '1'],
      ['B', true, 'x'],
      ['C', false, ''],
    ]);
    expect(command?.words.map(literal)).toEqual(['cmd', 'D=2']);
  });

  it('parseShell - returns an empty list for blank input and comments', () => {
    expect(parseShell('')).toEqual({ type: 'list', items: [] });
    expect(parseShell('  \n # nothing\n\t')).toEqual({ type: 'list', items: [] });
  });
});

describe('parseShell - redirections and here-documents', () => {
  it('parseShell - parses file, descriptor and bash redirections with their fd', () => {
    expect(
      redirects('cmd > a >> b < c 2>&1 &> d &>> e >| f 3<> g 4<&- <<< h').map((r) => [
        r.fd,
        r.operator,
        literal(r.target),
      ]),
    ).toEqual([
      [null, '>', 'a'],
      [null, '>>', 'b'],
      [null, '<', 'c'],
      [2, '>&', '1'],
      [null, '&>', 'd'],
      [null, '&>>', 'e'],
      [null, '>|', 'f'],
      [3, '<>', 'g'],
      [4, '<&', '-'],
      [null, '<<<', 'h'],
    ]);
  });

  it('parseShell - accepts descriptor digits as the target of a duplication followed by another redirection', () => {
    expect(redirects('echo x 2>&1>/dev/null').map((r) => [r.fd, r.operator, literal(r.target)])).toEqual([
      [2, '>&', '1'],
      [null, '>', '/dev/null'],
    ]);
  });

  it('parseShell - treats digits as a descriptor only right before the operator', () => {
    expect(argv('echo a2>f 2 >g')).toEqual(['echo', 'a2', '2']);
    expect(redirects('echo a2>f 2 >g').map((r) => r.fd)).toEqual([null, null]);
  });

  it('parseShell - reads a here-document body after the newline and keeps it as data', () => {
    const list = parseShell('cat <<EOF; echo after\nrm -rf /\n$HOME\nEOF\necho next');
    const doc = simpleCommands(list)[0]?.redirects[0]?.hereDoc;
    expect(doc).toMatchObject({ delimiter: 'EOF', quoted: false, body: 'rm -rf /\n$HOME\n' });
    expect(doc?.expansions.map((part) => part.type)).toEqual(['parameter']);
    expect(simpleCommands(list).map((command) => literal(command.words[0]))).toEqual(['cat', 'echo', 'echo']);
  });

  it('parseShell - takes a quoted delimiter body literally', () => {
    for (const delimiter of ["'EOF'", '"EOF"', '\\EOF', 'E"OF"']) {
      const doc = redirects(`cat <<${delimiter}\n$(id)\nEOF`)[0]?.hereDoc;
      expect(doc).toMatchObject({ delimiter: 'EOF', quoted: true, body: '$(id)\n', expansions: [] });
    }
  });

  it('parseShell - strips leading tabs for <<- and reads two here-documents in order', () => {
    const list = parseShell('cat <<-A; cat <<B\n\tone\n\tA\ntwo\nB\n');
    expect(simpleCommands(list).map((command) => command.redirects[0]?.hereDoc?.body)).toEqual([
      'one\n',
      'two\n',
    ]);
  });

  it('parseShell - accepts a delimiter on the last line without a newline', () => {
    expect(redirects('cat <<EOF\nx\nEOF')[0]?.hereDoc?.body).toBe('x\n');
  });

  it('parseShell - reads here-documents inside $( … ) within the substitution', () => {
    const word = simpleCommands(parseShell('echo "$(cat <<EOF\nhi\nEOF\n)" done'))[0]?.words[1];
    const substitution = word?.parts.find((part) => part.type === 'command_substitution');
    if (substitution?.type !== 'command_substitution') throw new Error('no substitution');
    expect(simpleCommands(substitution.body)[0]?.redirects[0]?.hereDoc?.body).toBe('hi\n');
    expect(argv('echo "$(cat <<EOF\nhi\nEOF\n)" done')[2]).toBe('done');
  });
});

describe('parseShell - rejects what it cannot read safely', () => {
  it.each([
    ['unterminated double quote', 'echo "abc'],
    ['unterminated single quote', "echo 'abc"],
    ['unterminated $( … )', 'echo $(ls'],
    ['unterminated backquote', 'echo `ls'],
    ['unterminated ${', 'echo ${x'],
    ["unterminated $'", "echo $'abc"],
    ['unterminated here-document', 'cat <<EOF\nabc\n'],
    ['here-document never reached', 'cat <<EOF'],
    ['unbalanced (', '( ls'],
    ['unbalanced )', 'ls )'],
    ['missing fi', 'if a; then b'],
    ['misplaced fi', 'fi'],
    ['misplaced done', 'ls; done'],
    ['empty subshell', '( )'],
    ['empty brace group', '{ }'],
    ['missing } separator', '{ ls }'],
    ['dangling &&', 'ls &&'],
    ['dangling |', 'ls |'],
    ['leading ;', '; ls'],
    [';; outside case', 'ls;;'],
    ['redirection without target', 'ls >'],
    ['bash array', 'a=(1 2)'],
    ['C-style for', 'for ((i=0;i<2;i++)); do :; done'],
    ['expansion in a here-document delimiter', 'cat <<$x\nabc\n$x'],
    ['misplaced ]]', ']] x'],
    ['descriptor digits as a file target', 'echo x >2>f'],
    ['unterminated quote inside $(( ))', 'echo $(("a ))'],
  ])('parseShell - rejects %s', (_, commandLine) => {
    const error = syntaxError(commandLine);
    expect(error).toBeInstanceOf(ShellSyntaxError);
    expect(error.tooComplex).toBe(false);
    expect(error.code).toBe('unclassifiable_statement');
  });

  it('parseShell - refuses a here-document that bash and dash end at different lines', () => {
    // bash joins "EO\" and "F" into the delimiter and would run the next line; dash reads it as data.
    expect(syntaxError('cat <<EOF\nEO\\\nF\necho ran\nEOF\n').message).toContain(
      'differently in bash and dash',
    );
  });

  it('parseShell - joins backslash-newline in an unquoted body when both shells agree on the end', () => {
    expect(redirects('cat <<EOF\na\\\nb\nEOF')[0]?.hereDoc?.body).toBe('ab\n');
    expect(redirects("cat <<'EOF'\na\\\nb\nEOF")[0]?.hereDoc?.body).toBe('a\\\nb\n');
  });

  it('parseShell - refuses a newline inside $( … ) while an outer here-document is pending', () => {
    expect(syntaxError('cat <<EOF $(\necho\n)\nbody\nEOF').message).toContain('here-document is pending');
  });

  it('parseShell - reports nesting beyond the limit as too complex', () => {
    const deep = `${'$('.repeat(MAX_PARSE_DEPTH + 1)}ls${')'.repeat(MAX_PARSE_DEPTH + 1)}`;
    expect(syntaxError(deep).tooComplex).toBe(true);
    const shallow = `${'('.repeat(10)}ls${')'.repeat(10)}`;
    expect(simpleCommands(parseShell(shallow)).length).toBe(1);
  });

  it('parseShell - gives the offset of the problem', () => {
    expect(syntaxError('echo ok; echo "abc').offset).toBe(14);
  });
});
