/** Programs and shell builtins that only read, print or change the shell's own state. */
import { hasOption, parseOptions } from '../command-options.ts';
import { fixed, hasSubscriptSubstitution, outcome, type CommandRule } from '../command-rule.ts';
import { assignmentFlags } from './wrapper-rules.ts';

/** Programs that read files or system state and print; they change nothing. */
const READ_ONLY = [
  // files and text
  'ls',
  'dir',
  'vdir',
  'cat',
  'tac',
  'nl',
  'head',
  'tail',
  'less',
  'more',
  'grep',
  'egrep',
  'fgrep',
  'zgrep',
  'zegrep',
  'zfgrep',
  'ag',
  'ack',
  'stat',
  'wc',
  'file',
  'cut',
  'tr',
  'paste',
  'join',
  'column',
  'fold',
  'fmt',
  'expand',
  'unexpand',
  'rev',
  'comm',
  'diff',
  'diff3',
  'sdiff',
  'cmp',
  'md5sum',
  'sha1sum',
  'sha224sum',
  'sha256sum',
  'sha384sum',
  'sha512sum',
  'b2sum',
  'cksum',
  'sum',
  'base32',
  'base64',
  'basenc',
  'od',
  'hexdump',
  'hd',
  'xxd',
  'strings',
  'jq',
  'yq',
  'tree',
  'realpath',
  'readlink',
  'basename',
  'dirname',
  'namei',
  'zcat',
  'bzcat',
  'xzcat',
  'zstdcat',
  'lz4cat',
  'zless',
  'zmore',
  'zdiff',
  'zcmp',
  'bzgrep',
  'xzgrep',
  'look',
  'numfmt',
  'seq',
  'shuf',
  'tsort',
  'pr',
  'iconv',
  'locate',
  'mlocate',
  'plocate',
  'whereis',
  'which',
  'lsattr',
  'getfacl',
  'du',
  'df',
  // processes and system state
  'ps',
  'pgrep',
  'pidof',
  'pstree',
  'top',
  'htop',
  'atop',
  'uptime',
  'w',
  'who',
  'whoami',
  'id',
  'groups',
  'users',
  'last',
  'lastb',
  'lastlog',
  'uname',
  'arch',
  'nproc',
  'free',
  'vmstat',
  'iostat',
  'mpstat',
  'pidstat',
  'sar',
  'lscpu',
  'lspci',
  'lsusb',
  'lsmod',
  'modinfo',
  'lsblk',
  'blkid',
  'findmnt',
  'lsof',
  'fuser',
  'getent',
  'getconf',
  'locale',
  'tty',
  'cal',
  'printenv',
  'pwd',
  'echo',
  'true',
  'false',
  ':',
  'sleep',
  'yes',
  'expr',
  'factor',
  'info',
  'apropos',
  'whatis',
  'help',
  'ulimit',
  'umask',
  'times',
  'type',
  'hash',
  'jobs',
  'wait',
  'fg',
  'bg',
  'disown',
  'cd',
  'pushd',
  'popd',
  'dirs',
  'shift',
  'return',
  'exit',
  'logout',
  'break',
  'continue',
  'getopts',
  'shopt',
  'unalias',
  'systemd-analyze',
  'systemd-detect-virt',
  'dmidecode',
  'lshw',
  'inxi',
  'sensors',
  'pvs',
  'vgs',
  'lvs',
  'pvdisplay',
  'vgdisplay',
  'lvdisplay',
  'iotop',
  'slabtop',
  'stty',
  'tput',
  'clear',
  'reset',
  'sync',
  // network inspection
  'ss',
  'netstat',
  'dig',
  'nslookup',
  'host',
  'ping',
  'ping6',
  'traceroute',
  'traceroute6',
  'tracepath',
  'mtr',
  'whois',
  'arping',
  'resolvectl',
  'ipcalc',
];

const NETWORK_READS = new Set([
  'dig',
  'nslookup',
  'host',
  'ping',
  'ping6',
  'traceroute',
  'traceroute6',
  'tracepath',
  'mtr',
  'whois',
  'arping',
]);

/** test/[/[[ and friends: reads, unless bash would evaluate a `$( … )` hidden in an array subscript. */
const arithmeticBuiltin: CommandRule = ({ program, args }) =>
  hasSubscriptSubstitution(args) ? outcome('unknown', program, 'dynamic_command') : outcome('read', program);

/** export/declare/typeset/local/readonly: a read, unless they set a variable that hijacks program lookup. */
const declaration: CommandRule = ({ program, args }) => {
  if (hasSubscriptSubstitution(args)) return outcome('unknown', program, 'dynamic_command');
  const flags = args.flatMap((arg) => {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)\+?=/.exec(arg.text);
    return match === null || arg.dynamic ? [] : assignmentFlags(match[1] as string);
  });
  if (flags.includes('env_hijack')) return outcome('unknown', program, ...flags);
  if (flags.includes('history_tamper')) return outcome('write', program, ...flags);
  return outcome('read', program);
};

/** `unset HISTFILE` hides the session from shell history. */
const unset: CommandRule = ({ args }) => {
  if (hasSubscriptSubstitution(args)) return outcome('unknown', 'unset', 'dynamic_command');
  return args.some((arg) => arg.text.startsWith('HIST'))
    ? outcome('write', 'unset', 'history_tamper')
    : outcome('read', 'unset');
};

/** `set +o history` stops recording; other `set` calls change only shell options. */
const set: CommandRule = ({ args }) => {
  const disablesHistory = args.some((arg, index) => arg.text === '+o' && args[index + 1]?.text === 'history');
  return disablesHistory ? outcome('write', 'set', 'history_tamper') : outcome('read', 'set');
};

/** `alias name=text` changes what later words run: the effect is not visible here. */
const alias: CommandRule = ({ args }) =>
  args.some((arg) => arg.dynamic || arg.text.includes('='))
    ? outcome('unknown', 'alias', 'dynamic_command')
    : outcome('read', 'alias');

/** history: `-c` clears it (destructive); `-d`/`-w`/`-r`/`-a`/`-n`/`-s` rewrite it; a plain listing reads. */
const history: CommandRule = ({ args }) => {
  const parsed = parseOptions(args, { shortWithValue: 'd' });
  if (hasOption(parsed, 'c')) return outcome('destructive', 'history -c', 'history_tamper');
  if (hasOption(parsed, 'dwranps')) return outcome('write', 'history', 'history_tamper');
  return outcome('read', 'history');
};

/** man runs a pager; `-P`/`--pager`, `-H`/`--html` (browser) and `--preprocessor` name the program. */
const man: CommandRule = ({ args }) => {
  const parsed = parseOptions(args, {
    shortWithValue: 'PHpMLmSsCe',
    longWithValue: ['pager', 'html', 'preprocessor', 'manpath', 'locale', 'config-file'],
  });
  return hasOption(parsed, 'PHp', ['pager', 'html', 'preprocessor'])
    ? outcome('unknown', 'man', 'dynamic_command')
    : outcome('read', 'man');
};

/** printf -v and read assign variables (bash evaluates subscripts there too). */
const assigningBuiltin: CommandRule = arithmeticBuiltin;

/** mapfile/readarray `-C CALLBACK` runs a command every N lines. */
const mapfile: CommandRule = ({ program, args }) => {
  const parsed = parseOptions(args, { shortWithValue: 'dnOsuCc' });
  return hasOption(parsed, 'C')
    ? outcome('unknown', program, 'dynamic_command')
    : assigningBuiltin({ program, args, cwd: 'home', bulk: false });
};

/** Rules for read-only programs and builtins. */
export const READ_RULES: ReadonlyMap<string, CommandRule> = new Map<string, CommandRule>([
  ...READ_ONLY.map(
    (name) => [name, NETWORK_READS.has(name) ? fixed('read', 'network') : fixed('read')] as const,
  ),
  ['test', arithmeticBuiltin],
  ['[', arithmeticBuiltin],
  ['[[', arithmeticBuiltin],
  ['let', arithmeticBuiltin],
  ['read', assigningBuiltin],
  ['printf', assigningBuiltin],
  ['mapfile', mapfile],
  ['readarray', mapfile],
  ['export', declaration],
  ['declare', declaration],
  ['typeset', declaration],
  ['local', declaration],
  ['readonly', declaration],
  ['unset', unset],
  ['set', set],
  ['alias', alias],
  ['history', history],
  ['man', man],
]);
