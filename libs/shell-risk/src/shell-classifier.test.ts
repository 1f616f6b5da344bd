import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyShell, DEFAULT_MAX_BYTES, MAX_SCRIPT_DEPTH } from './shell-classifier.ts';
import { compareShellRiskClass, maxShellRiskClass, ShellRiskClass } from './shell-risk-class.ts';
import { ShellRiskFlag, sortShellRiskFlags } from './shell-risk-flag.ts';

describe('classifyShell - result shape', () => {
  it('classifyShell - lists commands in execution order with wrappers unwrapped', () => {
    const result = classifyShell("sudo -u root sh -c 'ls $(id -u) | grep x' && echo done");
    expect(result.commands).toEqual([
      {
        program: 'id',
        args: ['-u'],
        kind: 'id',
        riskClass: 'read',
        flags: ['privilege_escalation'],
        wrappers: ['sudo', 'sh'],
      },
      {
        program: 'ls',
        args: ['$(id -u)'],
        kind: 'ls',
        riskClass: 'read',
        flags: ['privilege_escalation'],
        wrappers: ['sudo', 'sh'],
      },
      {
        program: 'grep',
        args: ['x'],
        kind: 'grep',
        riskClass: 'read',
        flags: ['privilege_escalation'],
        wrappers: ['sudo', 'sh'],
      },
      { program: 'echo', args: ['done'], kind: 'echo', riskClass: 'read', flags: [], wrappers: [] },
    ]);
    expect(result.programs).toEqual(['id', 'ls', 'grep', 'echo']);
    expect(result.statementCount).toBe(4);
    expect(result.riskClass).toBe('read');
    expect(result.riskFlags).toEqual(['privilege_escalation']);
  });

  it('classifyShell - deduplicates programs and kinds in order of appearance', () => {
    const result = classifyShell('git status; git push; git status; ls; ls');
    expect(result.programs).toEqual(['git', 'ls']);
    expect(result.kinds).toEqual(['git status', 'git push', 'ls']);
    expect(result.statementCount).toBe(5);
  });

  it('classifyShell - takes the maximum class over commands and the union of flags in list order', () => {
    const result = classifyShell('ls > out.txt; kill -9 1 &');
    expect(result.commands.map((command) => command.riskClass)).toEqual(['write', 'destructive']);
    expect(result.riskClass).toBe('destructive');
    expect(result.riskFlags).toEqual(
      sortShellRiskFlags(['background', 'force', 'process_kill', 'redirect_write']),
    );
  });

  it('classifyShell - classifies an empty line as read with no commands', () => {
    const result = classifyShell('');
    expect(result).toMatchObject({
      commands: [],
      programs: [],
      kinds: [],
      riskFlags: [],
      riskClass: 'read',
      normalized: '',
      statementCount: 0,
    });
    expect(result.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('classifyShell - runs a command found both as a find action and as find itself', () => {
    const result = classifyShell('find /srv -name "*.tmp" -exec rm -f {} +');
    expect(result.commands.map((command) => [command.program, command.riskClass, command.wrappers])).toEqual([
      ['find', 'read', []],
      ['rm', 'destructive', ['find']],
    ]);
  });

  it('classifyShell - names a dynamic command word by its canonical text and leaves it out of programs', () => {
    const result = classifyShell('$CMD -rf /');
    expect(result.commands).toEqual([
      {
        program: '${CMD}',
        args: ['-rf', '/'],
        kind: 'dynamic',
        riskClass: 'unknown',
        flags: ['dynamic_command'],
        wrappers: [],
      },
    ]);
    expect(result.programs).toEqual([]);
  });

  it('classifyShell - records bare assignments and redirections as commands without a program', () => {
    expect(classifyShell('X=1').commands).toEqual([
      { program: '', args: ['X='], kind: 'assignment', riskClass: 'read', flags: [], wrappers: [] },
    ]);
    expect(classifyShell('> /tmp/x').commands).toEqual([
      {
        program: '',
        args: [],
        kind: 'redirect',
        riskClass: 'write',
        flags: ['redirect_write'],
        wrappers: [],
      },
    ]);
    expect(classifyShell('HISTFILE=/dev/null').commands[0]).toMatchObject({
      riskClass: 'write',
      flags: ['history_tamper'],
    });
  });
});

describe('classifyShell - fingerprint and normalized text', () => {
  it('classifyShell - gives spellings of one command the same normalized text and fingerprint', () => {
    const spellings = [
      "r''m -rf /tmp/x",
      '"rm" -rf /tmp/x',
      '\\rm   -rf  /tmp/x  # cleanup',
      "rm -rf '/tmp/x'",
      '{rm,-rf,/tmp/x}',
    ];
    const results = spellings.map((spelling) => classifyShell(spelling));
    // The first four differ only in quoting, blanks and comments; brace expansion is kept as written.
    expect(new Set(results.slice(0, 4).map((result) => result.fingerprint)).size).toBe(1);
    expect(results.slice(0, 4).map((result) => result.normalized)).toEqual(Array(4).fill('rm -rf ?'));
    expect(results[4]?.fingerprint).not.toBe(results[0]?.fingerprint);
    expect(results[4]?.riskClass).toBe(results[0]?.riskClass);
  });

  it('classifyShell - fingerprints the shape: data does not change it, programs, options and risk do', () => {
    expect(classifyShell('rm -rf /tmp/a').fingerprint).toBe(classifyShell('rm -rf /tmp/b').fingerprint);
    expect(classifyShell('cat a.txt').fingerprint).toBe(
      classifyShell("cat 'notes of alice.txt'").fingerprint,
    );
    expect(classifyShell('rm -rf /tmp/a').fingerprint).not.toBe(classifyShell('rm -r /tmp/a').fingerprint);
    expect(classifyShell('cat a.txt').fingerprint).not.toBe(classifyShell('tac a.txt').fingerprint);
    // Same shape, different risk: the class and flags are part of the fingerprint.
    const [etc, tmp] = [classifyShell('echo x > /etc/passwd'), classifyShell('echo x > /tmp/y')];
    expect([etc.normalized, etc.riskClass, tmp.normalized, tmp.riskClass]).toEqual([
      'echo ? > ?',
      'destructive',
      'echo ? > ?',
      'write',
    ]);
    expect(etc.fingerprint).not.toBe(tmp.fingerprint);
    expect(classifyShell('rm -rf /').riskFlags).toContain('system_path');
    expect(classifyShell('rm -rf /').fingerprint).not.toBe(classifyShell('rm -rf /tmp/a').fingerprint);
  });

  it('classifyShell - normalized text carries no argument, value, file name or here-document data', () => {
    const shapes = {
      "grep -n 'alice@example.com' /home/alice/notes.txt | tail -n 20": 'grep -n ? ? | tail -n ?',
      'curl --user=alice:hunter2 https://api.example.com/v1/users/42': 'curl --user=? ?',
      'echo hi > /home/alice/out 2>&1': 'echo ? > ? 2>&1',
      'sudo rm -rf /home/bob': 'sudo rm -rf ?',
      'PGPASSWORD=hunter2 psql -h db -U alice': 'PGPASSWORD=? psql -h ? -U ?',
      'cat <<EOF > /tmp/x\nname: Alice Smith\nEOF': 'cat <<EOF > ?\n?\nEOF\n',
      'echo "$(cat /home/alice/secret)" "$HOME/x" ${NAME:-bob}': 'echo "$(cat ?)" "${HOME}"? ${NAME}',
      'for f in /home/a /home/b; do wc -l "$f"; done': 'for f in ? ?; do wc -l "${f}"; done',
      'case $1 in alice) echo hi;; esac': 'case ${1} in (?) echo ? ;; esac',
      '[[ -f /etc/passwd ]] && echo $((3 * 7))': '[[ -f ? ]] && echo $((?))',
      'find /home -name "*.txt" -exec rm {} \\;': "find ? -name ? -exec rm {} ';'",
      'xargs -0 grep alice': 'xargs -0 grep ?',
      'exec 3<&0 4>&-': 'exec 3<&0 4>&-',
    };
    for (const [line, shape] of Object.entries(shapes))
      expect(classifyShell(line).normalized, line).toBe(shape);
  });

  it('classifyShell - fingerprints unparsed text by its raw bytes', () => {
    const a = classifyShell('echo "a');
    const b = classifyShell('echo "b');
    expect(a.fingerprint).not.toBe(b.fingerprint);
    expect(a.normalized).toBe('');
  });
});

describe('classifyShell - limits and bad input', () => {
  it('classifyShell - refuses input above maxBytes as too_large without parsing it', () => {
    const long = `echo ${'a'.repeat(DEFAULT_MAX_BYTES)}`;
    expect(classifyShell(long)).toMatchObject({
      riskClass: 'unknown',
      riskFlags: ['too_large'],
      commands: [],
      statementCount: 0,
    });
    expect(classifyShell('ls -la', { maxBytes: 4 }).riskFlags).toEqual(['too_large']);
    expect(classifyShell('ls', { maxBytes: 2 }).riskClass).toBe('read');
  });

  it('classifyShell - counts UTF-8 bytes, not characters, against maxBytes', () => {
    expect(classifyShell('echo ééé', { maxBytes: 9 }).riskFlags).toEqual(['too_large']);
    expect(classifyShell('echo ééé', { maxBytes: 11 }).riskClass).toBe('read');
  });

  it('classifyShell - refuses a NUL byte and lone surrogates as unparsable', () => {
    expect(classifyShell('ls\0; rm -rf /').riskFlags).toEqual(['unparsable']);
    expect(classifyShell('echo \uD800').riskFlags).toEqual(['unparsable']);
  });

  it('classifyShell - reports nesting beyond the parser limit as too_complex', () => {
    const deep = `${'('.repeat(200)}ls${')'.repeat(200)}`;
    expect(classifyShell(deep)).toMatchObject({ riskClass: 'unknown', riskFlags: ['too_complex'] });
  });

  it('classifyShell - stops following eval and sh -c strings nested deeper than MAX_SCRIPT_DEPTH', () => {
    // eval joins its arguments into the next script, so each `eval` is one more level without quoting.
    const result = classifyShell(`${'eval '.repeat(MAX_SCRIPT_DEPTH + 1)}ls`);
    expect(classifyShell(`${'eval '.repeat(MAX_SCRIPT_DEPTH)}ls`).riskClass).toBe('read');
    expect(result.riskClass).toBe('unknown');
    expect(result.riskFlags).toContain('too_complex');
  });

  it('classifyShell - bounds the total text re-parsed for nested scripts', () => {
    // Each eval re-parses the rest of the line: 10 levels of 2000 words exceed 4 × maxBytes (here 4 × 12 KiB).
    const line = `${'eval '.repeat(2000)}ls`;
    expect(classifyShell(line, { maxBytes: 12 * 1024 }).riskFlags).toEqual(['too_complex']);
    expect(classifyShell(`${'eval '.repeat(10)}ls`, { maxBytes: 12 * 1024 }).riskFlags).toEqual([]);
  });

  it('classifyShell - marks an unparsable sh -c string without hiding the rest of the line', () => {
    const result = classifyShell(`sh -c 'echo "x'; reboot`);
    expect(result.commands.map((command) => [command.program, command.riskClass])).toEqual([
      ['sh', 'unknown'],
      ['reboot', 'destructive'],
    ]);
    expect(result.riskFlags).toEqual(expect.arrayContaining(['unparsable', 'power']));
  });

  it('classifyShell - never throws and keeps its invariants for arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 80 }), (text) => {
        const result = classifyShell(text);
        expect(ShellRiskClass).toContain(result.riskClass);
        expect(result.statementCount).toBe(result.commands.length);
        const max = result.commands.reduce<ShellRiskClass>(
          (acc, command) => maxShellRiskClass(acc, command.riskClass),
          'read',
        );
        if (result.commands.length > 0) expect(result.riskClass).toBe(max);
        for (const flag of result.riskFlags) expect(ShellRiskFlag).toContain(flag);
        expect(result.fingerprint).toMatch(/^[0-9a-f]{64}$/);
      }),
      { numRuns: 2000, seed: 7 },
    );
  });
});

describe('classifyShell - context the classifier tracks', () => {
  it('classifyShell - resolves relative paths after cd and forgets the directory after a conditional cd', () => {
    expect(classifyShell('cd /etc; rm hosts').riskClass).toBe('destructive');
    expect(classifyShell('cd /srv/app; rm hosts').riskClass).toBe('write');
    expect(classifyShell('(cd /etc); rm hosts').riskClass).toBe('write');
    expect(classifyShell('if x; then cd /etc; fi; rm hosts').commands.at(-1)?.flags).toContain(
      'dynamic_argument',
    );
  });

  it('classifyShell - classifies a call to a function defined on the line by its body', () => {
    const result = classifyShell('cleanup() { rm -rf /srv/cache; }; cleanup');
    expect(result.commands.map((command) => [command.program, command.kind, command.riskClass])).toEqual([
      ['rm', 'rm', 'destructive'],
      ['cleanup', 'function', 'destructive'],
    ]);
    expect(result.programs).toEqual(['rm']);
  });

  it('classifyShell - keeps the riskier reading when a function shadows a program', () => {
    expect(classifyShell('rm() { echo no; }; rm -rf /').riskClass).toBe('destructive');
  });

  it('classifyShell - applies a group redirection to every command in the group', () => {
    const result = classifyShell('{ echo a; echo b; } > /etc/motd');
    expect(result.commands.map((command) => command.riskClass)).toEqual(['destructive', 'destructive']);
    expect(result.riskFlags).toEqual(expect.arrayContaining(['system_path', 'redirect_write']));
  });

  it('classifyShell - ignores redirections to /dev/null and descriptor duplication', () => {
    expect(classifyShell('ls >/dev/null 2>&1 </dev/null').riskClass).toBe('read');
    expect(classifyShell('ls 2>&-').riskClass).toBe('read');
  });

  it('classifyShell - flags a redirection to a target known only at run time', () => {
    expect(classifyShell('echo x > "$OUT"').riskFlags).toEqual(['dynamic_argument', 'redirect_write']);
  });

  it('classifyShell - flags only the background item of a list', () => {
    const result = classifyShell('sleep 5 & ls');
    expect(result.commands.map((command) => command.flags)).toEqual([['background'], []]);
  });

  it('classifyShell - treats an expansion of the xargs or find placeholder inside a script as dynamic', () => {
    expect(classifyShell("ls | xargs -I% sh -c 'echo %'").riskClass).toBe('unknown');
    expect(classifyShell('find . -exec sh -c \'echo "$1"\' _ {} \\;').riskClass).toBe('read');
  });
});

describe('risk classes and flags', () => {
  it('compareShellRiskClass - orders read < write < destructive < unknown', () => {
    const sorted = [...ShellRiskClass].reverse().sort(compareShellRiskClass);
    expect(sorted).toEqual(['read', 'write', 'destructive', 'unknown']);
  });

  it('sortShellRiskFlags - deduplicates and orders flags by the list', () => {
    expect(sortShellRiskFlags(['vcs', 'unparsable', 'vcs', 'network'])).toEqual([
      'unparsable',
      'network',
      'vcs',
    ]);
  });
});
