/** Programs that create, change, move or remove files. */
import { hasOption, optionValue, parseOptions, type ParsedArgs } from '../command-options.ts';
import {
  allHarmless,
  outcome,
  raise,
  verdict,
  writeTargets,
  type CommandRule,
  type Continuation,
  type Verdict,
} from '../command-rule.ts';
import { assessPath, type WorkingDirectory } from '../path-assessment.ts';
import { literalArg, type ArgValue } from '../word-value.ts';

/** rm: `-r`/`-R`/`--recursive` in any spelling is destructive; removing one file is a write. */
const rm: CommandRule = ({ args, cwd, bulk }) => {
  const parsed = parseOptions(args);
  let result = verdict('write', 'rm', 'delete');
  if (hasOption(parsed, 'rR', ['recursive'])) result = raise(result, 'destructive', 'recursive_delete');
  if (hasOption(parsed, 'f', ['force'])) result = raise(result, 'write', 'force');
  if (bulk) result = raise(result, 'destructive', 'recursive_delete');
  return { verdict: removalTargets(result, parsed.operands, cwd) };
};

/** Removing a system path, a top-level directory or everything a glob like `/*` matches is destructive. */
function removalTargets(base: Verdict, operands: readonly ArgValue[], cwd: WorkingDirectory): Verdict {
  let out = writeTargets(base, operands, cwd);
  for (const operand of operands) {
    const path = assessPath(operand, cwd);
    if (path.topLevel) out = raise(out, 'destructive', 'system_path');
  }
  return out;
}

const removeOne: CommandRule = ({ program, args, cwd, bulk }) => {
  const parsed = parseOptions(args);
  let result = verdict('write', program, 'delete');
  if (bulk) result = raise(result, 'destructive', 'recursive_delete');
  return { verdict: removalTargets(result, parsed.operands, cwd) };
};

const shred: CommandRule = ({ args, cwd }) => {
  const parsed = parseOptions(args, {
    shortWithValue: 'ns',
    longWithValue: ['iterations', 'size', 'random-source', 'remove'],
  });
  return { verdict: writeTargets(verdict('destructive', 'shred', 'delete'), parsed.operands, cwd) };
};

/** cp/ln/install: the destination is `-t DIR` or the last operand. */
function copyLike(shortWithValue: string, longWithValue: readonly string[]): CommandRule {
  return ({ program, args, cwd }) => {
    const parsed = parseOptions(args, { shortWithValue, longWithValue });
    const targetDir = optionValue(parsed, 't', ['target-directory']);
    let targets: readonly ArgValue[];
    if (program === 'install' && hasOption(parsed, 'd', ['directory'])) targets = parsed.operands;
    else if (targetDir !== undefined && targetDir !== null) targets = [targetDir];
    else targets = parsed.operands.slice(-1);
    const result = writeTargets(verdict('write', program), targets, cwd);
    const mode = program === 'install' ? optionValue(parsed, 'm', ['mode']) : undefined;
    // `install -m 4755` sets the setuid bit like chmod does.
    if (mode !== undefined && mode !== null && (mode.dynamic || setsIdBits(mode.text))) {
      return { verdict: raise(result, 'destructive', 'privilege_escalation', 'permission_change') };
    }
    return { verdict: result };
  };
}

/** mv removes its sources: moving a system path or a top-level directory is destructive. */
const mv: CommandRule = ({ args, cwd }) => {
  const parsed = parseOptions(args, {
    shortWithValue: 'St',
    longWithValue: ['suffix', 'target-directory', 'backup'],
  });
  const targetDir = optionValue(parsed, 't', ['target-directory']);
  const all =
    targetDir === undefined || targetDir === null ? parsed.operands : [...parsed.operands, targetDir];
  return { verdict: removalTargets(verdict('write', 'mv'), all, cwd) };
};

/** Commands whose operands are all files they create or change. */
function writesOperands(
  shortWithValue: string,
  longWithValue: readonly string[] = [],
  ...extra: Verdict['flags']
): CommandRule {
  return ({ program, args, cwd }) => {
    const parsed = parseOptions(args, { shortWithValue, longWithValue });
    return { verdict: writeTargets(verdict('write', program, ...extra), parsed.operands, cwd) };
  };
}

const tee: CommandRule = ({ args, cwd }) => {
  const parsed = parseOptions(args, { longWithValue: ['output-error'] });
  if (parsed.operands.length === 0 || allHarmless(parsed.operands, cwd)) return outcome('read', 'tee');
  return { verdict: writeTargets(verdict('write', 'tee', 'redirect_write'), parsed.operands, cwd) };
};

/** truncate: to zero or shrinking (`-s 0`, `-s -10M`, `-s <1K`) loses data. */
const truncate: CommandRule = ({ args, cwd }) => {
  const parsed = parseOptions(args, {
    shortWithValue: 'sro',
    longWithValue: ['size', 'reference', 'io-blocks'],
  });
  const size = optionValue(parsed, 's', ['size']);
  let result = verdict('write', 'truncate');
  if (size !== undefined && (size === null || size.dynamic || /^(?:[-</%]|0+[A-Za-z]*$)/.test(size.text))) {
    result = raise(result, 'destructive', 'delete');
  }
  return { verdict: writeTargets(result, parsed.operands, cwd) };
};

/** dd: any `of=` is destructive (raw writes); a device target adds `disk`. */
const dd: CommandRule = ({ args, cwd }) => {
  const output = args.find((arg) => arg.dynamic || arg.text.startsWith('of='));
  if (output === undefined) return outcome('read', 'dd');
  const target = output.dynamic ? output : literalArg(output.text.slice(3));
  return { verdict: writeTargets(verdict('destructive', 'dd', 'disk'), [target], cwd) };
};

function worldWritable(mode: string): boolean {
  if (/^[0-7]+$/.test(mode)) return mode.length >= 3 && '2367'.includes(mode[mode.length - 1] as string);
  return mode.split(',').some((clause) => {
    const match = /^([ugoa]*)[+=]([rwxXst]*)$/.exec(clause);
    return match !== null && /[oa]/.test(match[1] as string) && (match[2] as string).includes('w');
  });
}

function setsIdBits(mode: string): boolean {
  if (/^[0-7]+$/.test(mode)) return mode.length >= 4 && '234567'.includes(mode[mode.length - 4] as string);
  return mode.split(',').some((clause) => /^[ugoa]*[+=][rwxXt]*s/.test(clause));
}

/**
 * chmod/chown/chgrp: recursive on `/` or a top-level directory is destructive, as is a recursive
 * world-writable mode anywhere (`chmod -R 777`) and setting setuid/setgid bits (privilege
 * escalation). Other changes are writes; under a system location they carry `system_path`.
 */
const permissions: CommandRule = ({ program, args, cwd }) => {
  const parsed = parseOptions(args, { longWithValue: ['reference', 'from'] });
  const recursive = hasOption(parsed, 'R', ['recursive']);
  const byReference = hasOption(parsed, '', ['reference']);
  const operands = [...parsed.operands];
  // chmod modes may start with '-' (`chmod -w file`): getopt sees them as options.
  const modeOption =
    program === 'chmod'
      ? parsed.options.find((option) => !option.long && /^[rwxXst]$/.test(option.name))
      : undefined;
  const setting = byReference || modeOption !== undefined ? undefined : operands.shift();
  const mode =
    program === 'chmod' ? (setting?.text ?? (modeOption === undefined ? '' : `-${modeOption.name}`)) : '';
  let result = verdict('write', program, 'permission_change');
  if (setting?.dynamic === true) result = raise(result, 'write', 'dynamic_argument');
  for (const operand of operands) {
    const path = assessPath(operand, cwd);
    if (path.dynamic) result = raise(result, 'write', 'dynamic_argument');
    if (path.system) result = raise(result, 'write', 'system_path');
    if (recursive && path.topLevel) result = raise(result, 'destructive', 'system_path');
    if (path.persistence && program === 'chmod' && worldWritable(mode))
      result = raise(result, 'destructive', 'persistence');
    if (path.system && program === 'chmod' && worldWritable(mode))
      result = raise(result, 'destructive', 'system_path');
  }
  if (program === 'chmod' && recursive && worldWritable(mode)) result = raise(result, 'destructive');
  if (program === 'chmod' && setsIdBits(mode)) result = raise(result, 'destructive', 'privilege_escalation');
  return { verdict: result };
};

const attributes: CommandRule = ({ program, args, cwd }) => {
  const parsed = parseOptions(args, { shortWithValue: program === 'setfacl' ? 'mMxX' : 'pv' });
  let result = verdict('write', program, 'permission_change');
  const recursive = hasOption(parsed, 'R', ['recursive']);
  for (const operand of parsed.operands) {
    const path = assessPath(operand, cwd);
    if (path.system) result = raise(result, 'write', 'system_path');
    if (recursive && path.topLevel) result = raise(result, 'destructive', 'system_path');
  }
  return { verdict: result };
};

const TAR_VALUE_SHORTS = 'fCbFgHIKLNTVX';
const TAR_VALUE_LONGS = [
  'file',
  'directory',
  'blocking-factor',
  'info-script',
  'new-volume-script',
  'listed-incremental',
  'format',
  'use-compress-program',
  'to-command',
  'checkpoint-action',
  'exclude',
  'exclude-from',
  'files-from',
  'label',
  'owner',
  'group',
  'mode',
  'mtime',
  'transform',
  'xform',
  'rmt-command',
  'rsh-command',
];

/**
 * tar: list and compare read; create/append write the archive; extract writes into `-C DIR` (or
 * the working directory). Options that run programs (`--to-command`, `-I`, `--checkpoint-action=exec`,
 * `-F`) make the effect unknown.
 */
const tar: CommandRule = ({ args, cwd }) => {
  // Old-style bundled first argument: `tar xzf file`.
  const first = args[0];
  const normalized =
    first !== undefined && !first.dynamic && /^[A-Za-z]+$/.test(first.text)
      ? [{ ...first, text: `-${first.text}` }, ...args.slice(1)]
      : args;
  const parsed = parseOptions(normalized, {
    shortWithValue: TAR_VALUE_SHORTS,
    longWithValue: TAR_VALUE_LONGS,
  });
  const runsPrograms =
    hasOption(parsed, 'IF', [
      'use-compress-program',
      'to-command',
      'info-script',
      'new-volume-script',
      'rmt-command',
      'rsh-command',
    ]) ||
    parsed.options.some(
      (option) =>
        option.long &&
        'checkpoint-action'.startsWith(option.name) &&
        option.value?.text.includes('exec') !== false,
    );
  if (runsPrograms) return outcome('unknown', 'tar', 'dynamic_command');
  const archive = optionValue(parsed, 'f', ['file']);
  if (hasOption(parsed, 'x', ['extract', 'get'])) {
    const directory = optionValue(parsed, 'C', ['directory']);
    const target = directory ?? literalArg('.');
    let result = writeTargets(verdict('write', 'tar -x'), [target], cwd);
    if (target !== null && assessPath(target, cwd).topLevel)
      result = raise(result, 'destructive', 'system_path');
    return { verdict: result };
  }
  if (hasOption(parsed, 'cruA', ['create', 'append', 'update', 'catenate', 'concatenate', 'delete'])) {
    if (archive === undefined || archive === null || archive.text === '-') return outcome('read', 'tar -c');
    return { verdict: writeTargets(verdict('write', 'tar -c'), [archive], cwd) };
  }
  return outcome('read', 'tar');
};

const unzip: CommandRule = ({ args, cwd }) => {
  const parsed = parseOptions(args, { shortWithValue: 'dP' });
  if (hasOption(parsed, 'lvtpzZ')) return outcome('read', 'unzip');
  const directory = optionValue(parsed, 'd');
  return { verdict: writeTargets(verdict('write', 'unzip'), [directory ?? literalArg('.')], cwd) };
};

const zip: CommandRule = ({ args, cwd }) => {
  // `zip -TT CMD` / `--unzip-command CMD` runs CMD to test the archive.
  if (args.some((arg) => arg.text === '-TT' || arg.text.startsWith('--unzip-command')))
    return outcome('unknown', 'zip', 'dynamic_command');
  const parsed = parseOptions(args, {
    shortWithValue: 'bnPtxiIO',
    longWithValue: ['temp-path', 'password', 'output-file'],
  });
  return { verdict: writeTargets(verdict('write', 'zip'), parsed.operands.slice(0, 1), cwd) };
};

/** gzip and friends replace files in place unless they write to stdout, test or list. */
const compressor: CommandRule = ({ program, args, cwd }) => {
  const parsed = parseOptions(args, {
    shortWithValue: 'bSTo',
    longWithValue: ['suffix', 'threads', 'output'],
  });
  if (hasOption(parsed, 'ctl', ['stdout', 'to-stdout', 'test', 'list']) || parsed.operands.length === 0)
    return outcome('read', program);
  return { verdict: writeTargets(verdict('write', program), parsed.operands, cwd) };
};

const RSYNC_LONGS = [
  'rsh',
  'rsync-path',
  'exclude',
  'include',
  'exclude-from',
  'include-from',
  'files-from',
  'filter',
  'chmod',
  'chown',
  'backup-dir',
  'suffix',
  'partial-dir',
  'temp-dir',
  'compare-dest',
  'copy-dest',
  'link-dest',
  'log-file',
  'password-file',
  'port',
  'timeout',
  'bwlimit',
  'max-size',
  'min-size',
];

/** rsync/scp: `--delete*` removes files at the destination; `-e`/`-S` name the transport program, which must be ssh. */
const rsync: CommandRule = ({ program, args, cwd }) => {
  const scp = program === 'scp';
  const parsed = parseOptions(
    args,
    scp ? { shortWithValue: 'cFiJloPSDX' } : { shortWithValue: 'eTfB', longWithValue: RSYNC_LONGS },
  );
  const transport = optionValue(parsed, scp ? 'S' : 'e', scp ? [] : ['rsh']);
  if (
    transport !== undefined &&
    (transport === null || transport.dynamic || !/^(?:\S*\/)?ssh(?:\s|$)/.test(transport.text))
  ) {
    return outcome('unknown', program, 'dynamic_command');
  }
  if (
    sshOptionsRunCommands(parsed) ||
    (transport !== undefined && transport !== null && /proxycommand|localcommand/i.test(transport.text))
  ) {
    return outcome('unknown', program, 'dynamic_command');
  }
  let result = verdict('write', program);
  const operands = parsed.operands;
  if (operands.some((operand) => /^[^/]*:|^rsync:\/\//.test(operand.text)))
    result = raise(result, 'write', 'network');
  if (
    parsed.options.some(
      (option) =>
        option.long && (option.name.startsWith('del') || 'remove-source-files'.startsWith(option.name)),
    )
  ) {
    result = raise(result, 'destructive', 'recursive_delete');
  }
  const destination = operands[operands.length - 1];
  if (destination !== undefined && !/^[^/]*:|^rsync:\/\//.test(destination.text))
    result = writeTargets(result, [destination], cwd);
  return { verdict: result };
};

/** ssh-family `-o` options that run local commands. */
export function sshOptionsRunCommands(parsed: ParsedArgs): boolean {
  return parsed.options.some(
    (option) =>
      (option.name === 'o' &&
        (option.value === null ||
          option.value.dynamic ||
          /proxycommand|localcommand|knownhostscommand|proxyusefdpass|match\s+exec/i.test(
            option.value.text,
          ))) ||
      option.name === 'F',
  );
}

const sort: CommandRule = ({ args, cwd }) => {
  const parsed = parseOptions(args, {
    shortWithValue: 'kotST',
    longWithValue: [
      'key',
      'output',
      'field-separator',
      'buffer-size',
      'temporary-directory',
      'compress-program',
      'files0-from',
      'parallel',
      'random-source',
      'batch-size',
      'sort',
    ],
  });
  if (hasOption(parsed, '', ['compress-program'])) return outcome('unknown', 'sort', 'dynamic_command');
  const output = optionValue(parsed, 'o', ['output']);
  if (output === undefined || output === null) return outcome('read', 'sort');
  return { verdict: writeTargets(verdict('write', 'sort', 'redirect_write'), [output], cwd) };
};

const uniq: CommandRule = ({ args, cwd }) => {
  const parsed = parseOptions(args, {
    shortWithValue: 'fsw',
    longWithValue: ['skip-fields', 'skip-chars', 'check-chars', 'group', 'all-repeated'],
  });
  const output = parsed.operands[1];
  if (output === undefined) return outcome('read', 'uniq');
  return { verdict: writeTargets(verdict('write', 'uniq', 'redirect_write'), [output], cwd) };
};

const FIND_VALUE_TESTS = new Set([
  '-name',
  '-iname',
  '-path',
  '-ipath',
  '-wholename',
  '-iwholename',
  '-regex',
  '-iregex',
  '-lname',
  '-ilname',
  '-type',
  '-xtype',
  '-user',
  '-group',
  '-uid',
  '-gid',
  '-perm',
  '-size',
  '-mtime',
  '-atime',
  '-ctime',
  '-mmin',
  '-amin',
  '-cmin',
  '-newer',
  '-anewer',
  '-cnewer',
  '-maxdepth',
  '-mindepth',
  '-samefile',
  '-inum',
  '-links',
  '-fstype',
  '-printf',
  '-used',
  '-context',
  '-regextype',
  '-files0-from',
  '-newermt',
  '-newerct',
  '-newerat',
  '-newermm',
  '-D',
  '-O',
]);

/**
 * find: reads by itself; `-delete` is destructive; `-exec`/`-execdir`/`-ok`/`-okdir` start one
 * more command per match (classified with `find` as wrapper, `{}` standing for the file);
 * `-fprint*`/`-fls` write a file.
 */
const find: CommandRule = ({ args, cwd }) => {
  let result = verdict('read', 'find');
  const nested: Continuation[] = [];
  const paths: ArgValue[] = [];
  let index = 0;
  // Leading -H/-L/-P/-D/-O options, then start paths until the expression begins.
  while (index < args.length && /^-(?:[HLP]|D|O\d*)$/.test(args[index]?.text ?? ''))
    index += args[index]?.text === '-D' ? 2 : 1;
  for (; index < args.length; index++) {
    const text = (args[index] as ArgValue).text;
    if ((text.startsWith('-') && text.length > 1) || text === '(' || text === '!' || text === ',') break;
    paths.push(args[index] as ArgValue);
  }
  for (; index < args.length; index++) {
    const arg = args[index] as ArgValue;
    const text = arg.dynamic ? '' : arg.text;
    if (FIND_VALUE_TESTS.has(text)) {
      index++;
    } else if (text === '-delete') {
      result = raise(result, 'destructive', 'recursive_delete', 'delete');
      result = { ...removalTargets(result, paths, cwd), kind: 'find -delete' };
    } else if (text === '-exec' || text === '-execdir' || text === '-ok' || text === '-okdir') {
      const argv: ArgValue[] = [];
      for (index++; index < args.length; index++) {
        const inner = args[index] as ArgValue;
        if (
          !inner.dynamic &&
          (inner.text === ';' || (inner.text === '+' && argv[argv.length - 1]?.text === '{}'))
        )
          break;
        argv.push(inner.text === '{}' && !inner.dynamic ? { text: '{}', dynamic: true, glob: false } : inner);
      }
      if (argv.length > 0) nested.push({ argv, wrapper: 'find', bulk: true, placeholder: '{}' });
    } else if (text === '-fprint' || text === '-fprint0' || text === '-fls' || text === '-fprintf') {
      const target = args[index + 1];
      if (target !== undefined)
        result = writeTargets(raise(result, 'write', 'redirect_write'), [target], cwd);
      index += text === '-fprintf' ? 2 : 1;
    }
  }
  return { verdict: result, nested };
};

const mktemp: CommandRule = ({ args }) => {
  const parsed = parseOptions(args, { shortWithValue: 'p', longWithValue: ['suffix', 'tmpdir'] });
  return hasOption(parsed, 'u', ['dry-run']) ? outcome('read', 'mktemp') : outcome('write', 'mktemp');
};

const splitLike: CommandRule = ({ program }) => outcome('write', program);

/** Rules for programs that write files. */
export const FILE_RULES: ReadonlyMap<string, CommandRule> = new Map<string, CommandRule>([
  ['rm', rm],
  ['rmdir', removeOne],
  ['unlink', removeOne],
  ['shred', shred],
  [
    'cp',
    copyLike('St', ['suffix', 'target-directory', 'backup', 'reflink', 'sparse', 'preserve', 'no-preserve']),
  ],
  ['ln', copyLike('St', ['suffix', 'target-directory', 'backup'])],
  [
    'install',
    copyLike('mogSt', ['mode', 'owner', 'group', 'suffix', 'target-directory', 'backup', 'strip-program']),
  ],
  ['mv', mv],
  ['touch', writesOperands('rdt', ['reference', 'date', 'time'])],
  ['mkdir', writesOperands('m', ['mode', 'context'])],
  ['mkfifo', writesOperands('m', ['mode', 'context'])],
  ['tee', tee],
  ['truncate', truncate],
  ['dd', dd],
  ['chmod', permissions],
  ['chown', permissions],
  ['chgrp', permissions],
  ['chattr', attributes],
  ['setfacl', attributes],
  ['tar', tar],
  ['unzip', unzip],
  ['zip', zip],
  ['gzip', compressor],
  ['gunzip', compressor],
  ['bzip2', compressor],
  ['bunzip2', compressor],
  ['xz', compressor],
  ['unxz', compressor],
  ['zstd', compressor],
  ['unzstd', compressor],
  ['lz4', compressor],
  ['pigz', compressor],
  ['compress', compressor],
  ['uncompress', compressor],
  ['rsync', rsync],
  ['scp', rsync],
  ['sort', sort],
  ['uniq', uniq],
  ['find', find],
  ['mktemp', mktemp],
  ['split', splitLike],
  ['csplit', splitLike],
  ['patch', splitLike],
]);
