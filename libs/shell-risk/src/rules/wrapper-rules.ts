/**
 * Programs that run another command: the classifier records them in `wrappers` and classifies
 * the command they run (sudo, env, nice, timeout, xargs, sh -c, eval, watch, …).
 */
import { hasOption, optionValue, parseOptions } from '../command-options.ts';
import { outcome, verdict, writeTargets, type CommandOutcome, type CommandRule } from '../command-rule.ts';
import { changeDirectory } from '../path-assessment.ts';
import type { ShellRiskFlag } from '../shell-risk-flag.ts';
import { literalArg, type ArgValue } from '../word-value.ts';

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/**
 * Variables that change which program runs or what it loads: setting one makes the command's
 * effect unknowable from its text.
 */
export const SENSITIVE_VARIABLES: ReadonlySet<string> = new Set([
  'PATH',
  'LD_PRELOAD',
  'LD_LIBRARY_PATH',
  'LD_AUDIT',
  'GCONV_PATH',
  'BASH_ENV',
  'ENV',
  'IFS',
  'SHELLOPTS',
  'BASHOPTS',
  'PS4',
  'PROMPT_COMMAND',
  'PERL5OPT',
  'PERL5LIB',
  'PYTHONPATH',
  'PYTHONSTARTUP',
  'NODE_OPTIONS',
  'RUBYOPT',
  'GIT_SSH',
  'GIT_SSH_COMMAND',
  'GIT_EXTERNAL_DIFF',
  'GIT_PAGER',
  'GIT_EDITOR',
  'GIT_ASKPASS',
  'GIT_CONFIG_PARAMETERS',
  'GIT_EXEC_PATH',
  'PAGER',
  'MANPAGER',
  'SYSTEMD_PAGER',
  'EDITOR',
  'VISUAL',
  'LESSOPEN',
  'LESSCLOSE',
  'SUDO_ASKPASS',
  'SSH_ASKPASS',
  'BROWSER',
]);

/** Flags for a `NAME=value` given to a command (prefix assignment, `env NAME=value`, `export`). */
export function assignmentFlags(name: string): ShellRiskFlag[] {
  if (SENSITIVE_VARIABLES.has(name)) return ['env_hijack'];
  if (
    name === 'HISTFILE' ||
    name === 'HISTSIZE' ||
    name === 'HISTFILESIZE' ||
    name === 'HISTCONTROL' ||
    name === 'HISTIGNORE'
  ) {
    return ['history_tamper'];
  }
  return [];
}

/** Consumes leading `NAME=value` operands (env, sudo) and returns the flags they imply. */
function leadingAssignments(operands: readonly ArgValue[]): {
  rest: readonly ArgValue[];
  flags: ShellRiskFlag[];
} {
  const flags: ShellRiskFlag[] = [];
  let index = 0;
  for (; index < operands.length; index++) {
    const arg = operands[index] as ArgValue;
    if (arg.dynamic || !ASSIGNMENT.test(arg.text)) break;
    flags.push(...assignmentFlags(arg.text.slice(0, arg.text.indexOf('='))));
  }
  return { rest: operands.slice(index), flags };
}

/** When an environment assignment hijacks program lookup or loading, nothing about the command is known. */
function hijacked(
  flags: readonly ShellRiskFlag[],
  kind: string,
  wrapperFlags: readonly ShellRiskFlag[],
): CommandOutcome | null {
  return flags.includes('env_hijack') ? outcome('unknown', kind, 'env_hijack', ...wrapperFlags) : null;
}

const sudo: CommandRule = ({ program, args, cwd }) => {
  const parsed = parseOptions(args, {
    shortWithValue: 'CDgpRrtTUu',
    longWithValue: [
      'close-from',
      'chdir',
      'group',
      'host',
      'prompt',
      'chroot',
      'role',
      'type',
      'command-timeout',
      'other-user',
      'user',
    ],
    stopAtOperand: true,
  });
  const privileged: ShellRiskFlag[] = ['privilege_escalation'];
  if (program === 'sudoedit' || hasOption(parsed, 'e', ['edit'])) {
    return { verdict: writeTargets(verdict('write', 'sudoedit', ...privileged), parsed.operands, cwd) };
  }
  const { rest, flags } = leadingAssignments(parsed.operands);
  const hijack = hijacked(flags, program, privileged);
  if (hijack !== null) return hijack;
  const chdir = optionValue(parsed, 'D', ['chdir']);
  if (rest.length === 0) {
    if (hasOption(parsed, 'is', ['login', 'shell'])) {
      return { verdict: verdict('unknown', `${program} shell`, 'interpreter', ...privileged) };
    }
    return outcome('read', program);
  }
  return {
    then: {
      argv: rest,
      wrapper: program,
      flags: [...privileged, ...flags],
      ...(chdir === undefined || chdir === null ? {} : { cwd: changeDirectory(cwd, chdir) }),
    },
  };
};

const doas: CommandRule = ({ args }) => {
  const parsed = parseOptions(args, { shortWithValue: 'uC', stopAtOperand: true });
  if (parsed.operands.length === 0) {
    return hasOption(parsed, 's')
      ? outcome('unknown', 'doas shell', 'interpreter', 'privilege_escalation')
      : outcome('read', 'doas');
  }
  return { then: { argv: parsed.operands, wrapper: 'doas', flags: ['privilege_escalation'] } };
};

/** su/runuser: `-c TEXT` runs TEXT with the target user's shell; otherwise an interactive shell. */
const su: CommandRule = ({ program, args }) => {
  const parsed = parseOptions(args, {
    shortWithValue: 'cgGswu',
    longWithValue: [
      'command',
      'session-command',
      'group',
      'supp-group',
      'shell',
      'whitelist-environment',
      'user',
    ],
  });
  const privileged: ShellRiskFlag[] = ['privilege_escalation'];
  const command = optionValue(parsed, 'c', ['command', 'session-command']);
  if (command !== undefined && command !== null)
    return { scripts: [{ text: command, wrapper: program, flags: privileged }] };
  if (program === 'runuser' && hasOption(parsed, 'u', ['user'])) {
    const rest = parseOptions(args, {
      shortWithValue: 'cgGswu',
      longWithValue: ['user', 'group', 'supp-group'],
      stopAtOperand: true,
    });
    if (rest.operands.length > 0)
      return { then: { argv: rest.operands, wrapper: program, flags: privileged } };
  }
  return outcome('unknown', `${program} shell`, 'interpreter', ...privileged);
};

const pkexec: CommandRule = ({ args }) => {
  const parsed = parseOptions(args, { longWithValue: ['user'], stopAtOperand: true });
  if (parsed.operands.length === 0)
    return outcome('unknown', 'pkexec shell', 'interpreter', 'privilege_escalation');
  return { then: { argv: parsed.operands, wrapper: 'pkexec', flags: ['privilege_escalation'] } };
};

const env: CommandRule = ({ args, cwd }) => {
  const parsed = parseOptions(args, {
    shortWithValue: 'uCSPa',
    longWithValue: [
      'unset',
      'chdir',
      'split-string',
      'block-signal',
      'default-signal',
      'ignore-signal',
      'argv0',
    ],
    stopAtOperand: true,
  });
  // `env -S 'text'` splits its own string into words, and BSD `env -P dir` searches another PATH.
  if (hasOption(parsed, 'SP', ['split-string'])) return outcome('unknown', 'env', 'dynamic_command');
  const { rest, flags } = leadingAssignments(parsed.operands);
  const hijack = hijacked(flags, 'env', []);
  if (hijack !== null) return hijack;
  if (rest.length === 0) return outcome('read', 'env', ...flags);
  const chdir = optionValue(parsed, 'C', ['chdir']);
  return {
    then: {
      argv: rest,
      wrapper: 'env',
      flags,
      ...(chdir === undefined || chdir === null ? {} : { cwd: changeDirectory(cwd, chdir) }),
    },
  };
};

/** A wrapper with getopt options before the command it runs; with no command it is a read (it prints something). */
function simpleWrapper(
  shortWithValue: string,
  longWithValue: readonly string[] = [],
  skipOperands = 0,
): CommandRule {
  return ({ program, args }) => {
    const parsed = parseOptions(args, { shortWithValue, longWithValue, stopAtOperand: true });
    const command = parsed.operands.slice(skipOperands);
    if (command.length === 0) return outcome('read', program);
    return { then: { argv: command, wrapper: program } };
  };
}

/** chroot NEWROOT [CMD]: without a command it starts an interactive shell in the new root. */
const chroot: CommandRule = ({ args }) => {
  const parsed = parseOptions(args, { longWithValue: ['userspec', 'groups'], stopAtOperand: true });
  if (parsed.operands.length === 0) return outcome('read', 'chroot');
  if (parsed.operands.length === 1) return outcome('unknown', 'chroot', 'interpreter');
  return { then: { argv: parsed.operands.slice(1), wrapper: 'chroot' } };
};

const ionice: CommandRule = (invocation) => {
  const parsed = parseOptions(invocation.args, {
    shortWithValue: 'cnpPu',
    longWithValue: ['class', 'classdata', 'pid', 'pgid', 'uid'],
    stopAtOperand: true,
  });
  if (hasOption(parsed, 'pPu', ['pid', 'pgid', 'uid'])) return outcome('write', 'ionice');
  if (parsed.operands.length === 0) return outcome('read', 'ionice');
  return { then: { argv: parsed.operands, wrapper: 'ionice' } };
};

const time: CommandRule = ({ args, cwd }) => {
  const parsed = parseOptions(args, {
    shortWithValue: 'fo',
    longWithValue: ['format', 'output'],
    stopAtOperand: true,
  });
  const output = optionValue(parsed, 'o', ['output']);
  const own =
    output === undefined || output === null
      ? undefined
      : writeTargets(verdict('write', 'time', 'redirect_write'), [output], cwd);
  if (parsed.operands.length === 0) return { verdict: own ?? verdict('read', 'time') };
  return { ...(own === undefined ? {} : { verdict: own }), then: { argv: parsed.operands, wrapper: 'time' } };
};

const xargs: CommandRule = ({ args }) => {
  const parsed = parseOptions(args, {
    shortWithValue: 'adEILnPs',
    longWithValue: [
      'arg-file',
      'delimiter',
      'max-lines',
      'max-args',
      'max-procs',
      'max-chars',
      'process-slot-var',
      'replace',
      'eof',
    ],
    stopAtOperand: true,
  });
  let placeholder: string | undefined;
  for (const option of parsed.options) {
    if (option.name === 'I' && option.value !== null) placeholder = option.value.text;
    if (option.name === 'i' || (option.long && 'replace'.startsWith(option.name)))
      placeholder = option.value?.text ?? '{}';
  }
  const argv = parsed.operands.length === 0 ? [literalArg('echo')] : parsed.operands;
  return {
    then: {
      argv,
      wrapper: 'xargs',
      flags: ['dynamic_argument'],
      bulk: true,
      ...(placeholder === undefined ? {} : { placeholder }),
    },
  };
};

const exec: CommandRule = ({ args }) => {
  const parsed = parseOptions(args, { shortWithValue: 'a', stopAtOperand: true });
  if (parsed.operands.length === 0) return outcome('read', 'exec');
  return { then: { argv: parsed.operands, wrapper: 'exec' } };
};

const command: CommandRule = ({ args }) => {
  const parsed = parseOptions(args, { stopAtOperand: true });
  if (hasOption(parsed, 'vV') || parsed.operands.length === 0) return outcome('read', 'command');
  return { then: { argv: parsed.operands, wrapper: 'command' } };
};

const busybox: CommandRule = ({ program, args }) => {
  const first = args[0];
  if (first === undefined || (!first.dynamic && first.text.startsWith('-'))) return outcome('read', program);
  return { then: { argv: args, wrapper: program } };
};

const watch: CommandRule = ({ args }) => {
  const parsed = parseOptions(args, {
    shortWithValue: 'nq',
    longWithValue: ['interval', 'equexit'],
    stopAtOperand: true,
  });
  if (parsed.operands.length === 0) return outcome('read', 'watch');
  if (hasOption(parsed, 'x', ['exec'])) return { then: { argv: parsed.operands, wrapper: 'watch' } };
  // Without -x, watch joins its arguments and hands them to `sh -c`.
  return { scripts: [{ text: joinWords(parsed.operands), wrapper: 'watch' }] };
};

const evalRule: CommandRule = ({ args }) => {
  if (args.length === 0) return outcome('read', 'eval');
  return { scripts: [{ text: joinWords(args), wrapper: 'eval' }] };
};

const trap: CommandRule = ({ args }) => {
  const parsed = parseOptions(args, { stopAtOperand: true });
  const action = parsed.operands[0];
  if (action === undefined || parsed.operands.length === 1 || action.text === '' || action.text === '-')
    return outcome('read', 'trap');
  if (/^[0-9]+$/.test(action.text) && !action.dynamic) return outcome('read', 'trap');
  return { scripts: [{ text: action, wrapper: 'trap' }] };
};

/** Joins words with spaces, as eval and watch do; dynamic when any word is. */
function joinWords(words: readonly ArgValue[]): ArgValue {
  return {
    text: words.map((word) => word.text).join(' '),
    dynamic: words.some((word) => word.dynamic),
    glob: false,
  };
}

/**
 * POSIX shells: `-c TEXT` runs TEXT; an operand is a script file; `-s` or neither reads the script
 * from stdin (`curl … | sh`). Option letters cluster (`-lc`, `-ec`); `-o`/`-O` take a value.
 */
const shell: CommandRule = ({ program, args }) => {
  let commandMode = false;
  let stdinMode = false;
  let index = 0;
  for (; index < args.length; index++) {
    const arg = args[index] as ArgValue;
    const text = arg.text;
    if (arg.dynamic) break;
    if (text === '--' || text === '-') {
      index++;
      break;
    }
    if (text.startsWith('--')) {
      if (text === '--rcfile' || text === '--init-file') index++;
      continue;
    }
    if (!(text.startsWith('-') || text.startsWith('+')) || text.length < 2) break;
    const letters = text.slice(1);
    if (letters.includes('c')) commandMode = true;
    if (letters.includes('s')) stdinMode = true;
    if (letters.includes('o') || letters.includes('O')) index++;
  }
  const operand = args[index];
  if (commandMode) {
    if (operand === undefined) return outcome('unknown', program, 'unparsable');
    return { scripts: [{ text: operand, wrapper: program }] };
  }
  // `-s` reads the script from stdin even when operands follow (they become $1, $2, …).
  if (operand === undefined || stdinMode) return { code: { from: 'stdin', language: 'shell' } };
  return { code: { from: 'operand', operand, language: 'shell' } };
};

const source: CommandRule = ({ args }) => {
  const operand = args[0];
  if (operand === undefined) return outcome('unknown', 'source', 'unparsable');
  return { code: { from: 'operand', operand, language: 'shell' } };
};

/**
 * Interpreters of other languages: inline code (`-c`, `-e`) or a script file is not visible; no
 * script means the program is read from stdin. A lone version flag only prints.
 */
function interpreter(
  inlineShorts: string,
  inlineLongs: readonly string[],
  shortWithValue: string,
  versionFlags: readonly string[],
): CommandRule {
  return ({ program, args }) => {
    if (args.length === 1 && [...versionFlags, '--version', '--help'].includes(args[0]?.text ?? ''))
      return outcome('read', program);
    const parsed = parseOptions(args, {
      shortWithValue: inlineShorts + shortWithValue,
      longWithValue: inlineLongs,
      stopAtOperand: true,
    });
    if (hasOption(parsed, inlineShorts, inlineLongs)) return outcome('unknown', program, 'interpreter');
    const operand = parsed.operands[0];
    if (operand === undefined || (!operand.dynamic && operand.text === '-'))
      return { code: { from: 'stdin', language: 'other' } };
    return { code: { from: 'operand', operand, language: 'other' } };
  };
}

/** at/batch read a shell script from stdin (or `-f FILE`) and run it later. */
const at: CommandRule = ({ program, args }) => {
  const parsed = parseOptions(args, { shortWithValue: 'fqtM', longWithValue: [] });
  if (hasOption(parsed, 'lc')) return outcome('read', program);
  if (hasOption(parsed, 'rd')) return outcome('write', program, 'scheduled_task');
  const file = optionValue(parsed, 'f');
  if (file !== undefined && file !== null) {
    return { code: { from: 'operand', operand: file, language: 'shell', flags: ['scheduled_task'] } };
  }
  return { code: { from: 'stdin', language: 'shell', flags: ['scheduled_task'] } };
};

const SHELLS = [
  'sh',
  'bash',
  'dash',
  'zsh',
  'ksh',
  'mksh',
  'ash',
  'posh',
  'yash',
  'rbash',
  'lksh',
  'oksh',
  'pdksh',
];

/** Command-running programs by name. */
export const WRAPPER_RULES: ReadonlyMap<string, CommandRule> = new Map<string, CommandRule>([
  ['sudo', sudo],
  ['sudoedit', sudo],
  ['doas', doas],
  ['su', su],
  ['runuser', su],
  ['pkexec', pkexec],
  ['env', env],
  ['nice', simpleWrapper('n', ['adjustment'])],
  ['ionice', ionice],
  ['nohup', simpleWrapper('')],
  ['setsid', simpleWrapper('')],
  ['timeout', simpleWrapper('sk', ['signal', 'kill-after'], 1)],
  ['time', time],
  ['stdbuf', simpleWrapper('ioe', ['input', 'output', 'error'])],
  ['chroot', chroot],
  ['xargs', xargs],
  ['exec', exec],
  ['command', command],
  ['builtin', simpleWrapper('')],
  ['busybox', busybox],
  ['toybox', busybox],
  ['watch', watch],
  ['eval', evalRule],
  ['trap', trap],
  ['source', source],
  ['.', source],
  ...SHELLS.map((name) => [name, shell] as const),
  ['at', at],
  ['batch', at],
  ['python', interpreter('cm', [], 'WX', ['-V'])],
  ['python2', interpreter('cm', [], 'WX', ['-V'])],
  ['python3', interpreter('cm', [], 'WX', ['-V'])],
  ['perl', interpreter('eE', [], 'MmI', ['-v', '-V'])],
  ['ruby', interpreter('e', [], 'rI', [])],
  ['node', interpreter('ep', ['eval', 'print'], 'r', ['-v'])],
  ['nodejs', interpreter('ep', ['eval', 'print'], 'r', ['-v'])],
  ['php', interpreter('rB', [], 'dc', ['-v'])],
  ['lua', interpreter('e', [], 'l', ['-v'])],
]);
