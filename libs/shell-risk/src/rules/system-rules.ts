/** Services, power, processes, disks, firewall, accounts, scheduling, kernel and host settings. */
import { hasOption, parseOptions } from '../command-options.ts';
import { fixed, outcome, type CommandRule } from '../command-rule.ts';
import type { ShellRiskFlag } from '../shell-risk-flag.ts';
import type { ArgValue } from '../word-value.ts';

/** First operand that is not an option, lower-cased; `''` when there is none. */
function subcommand(operands: readonly ArgValue[], index = 0): string {
  return text(operands[index]);
}

const SYSTEMCTL_READ = new Set([
  'status',
  'is-active',
  'is-enabled',
  'is-failed',
  'is-system-running',
  'list-units',
  'list-unit-files',
  'list-timers',
  'list-sockets',
  'list-dependencies',
  'list-jobs',
  'list-machines',
  'list-automounts',
  'list-paths',
  'show',
  'cat',
  'help',
  'get-default',
  'show-environment',
  'whoami',
]);
const SYSTEMCTL_POWER = new Set([
  'poweroff',
  'reboot',
  'halt',
  'kexec',
  'suspend',
  'hibernate',
  'hybrid-sleep',
  'suspend-then-hibernate',
  'rescue',
  'emergency',
  'isolate',
  'default',
  'soft-reboot',
  'exit',
  'switch-root',
]);

/** systemctl: status and listings read; power states destructive; `kill` destructive; the rest change services. */
const systemctl: CommandRule = ({ args }) => {
  const parsed = parseOptions(args, {
    shortWithValue: 'tpsHMno',
    longWithValue: [
      'type',
      'property',
      'signal',
      'host',
      'machine',
      'lines',
      'output',
      'state',
      'kill-whom',
      'root',
      'job-mode',
    ],
  });
  const sub = subcommand(parsed.operands);
  if (sub === '' && parsed.operands.length === 0) return outcome('read', 'systemctl');
  if (sub === '') return outcome('unknown', 'systemctl', 'dynamic_argument');
  const kind = `systemctl ${sub}`;
  if (SYSTEMCTL_READ.has(sub)) return outcome('read', kind);
  if (SYSTEMCTL_POWER.has(sub)) return outcome('destructive', kind, 'power');
  if (sub === 'kill') return outcome('destructive', kind, 'process_kill');
  return outcome('write', kind, 'service');
};

/** service NAME ACTION (SysV): status reads; start/stop/restart/reload write. */
const service: CommandRule = ({ args }) => {
  if (args.some((arg) => arg.text === '--status-all')) return outcome('read', 'service');
  const action = args[1];
  if (action === undefined) return outcome('read', 'service');
  if (action.dynamic) return outcome('write', 'service', 'service', 'dynamic_argument');
  return outcome(action.text === 'status' ? 'read' : 'write', `service ${action.text}`, 'service');
};

/** rc-service / rc-update / update-rc.d / invoke-rc.d / chkconfig. */
const serviceTool: CommandRule = ({ program, args }) => {
  const status = args.some(
    (arg) => arg.text === 'status' || arg.text === 'show' || arg.text === '--list' || arg.text === '-l',
  );
  return status || args.length === 0 ? outcome('read', program) : outcome('write', program, 'service');
};

/** journalctl reads logs; vacuuming deletes archived journals and rotation/flush rewrite them. */
const journalctl: CommandRule = ({ args }) => {
  const parsed = parseOptions(args, {
    shortWithValue: 'unpSUgtoDMbkIFc',
    longWithValue: [
      'unit',
      'lines',
      'priority',
      'since',
      'until',
      'grep',
      'identifier',
      'output',
      'directory',
      'machine',
      'boot',
      'field',
      'cursor',
      'file',
      'root',
      'namespace',
    ],
  });
  if (hasOption(parsed, '', ['vacuum-size', 'vacuum-time', 'vacuum-files']))
    return outcome('destructive', 'journalctl --vacuum', 'delete');
  if (
    hasOption(parsed, '', ['rotate', 'flush', 'sync', 'relinquish-var', 'smart-relinquish-var', 'setup-keys'])
  )
    return outcome('write', 'journalctl');
  return outcome('read', 'journalctl');
};

/** init/telinit N changes the runlevel (0 halts, 6 reboots). */
const init: CommandRule = ({ program, args }) =>
  args.length === 0 || args.some((arg) => arg.text === '--help' || arg.text === '--version')
    ? outcome('read', program)
    : outcome('destructive', `${program} ${args[0]?.text ?? ''}`.trim(), 'power');

/** kill/killall/pkill signal processes; `kill -l` lists signals and `kill -0` only probes. */
const kill: CommandRule = ({ program, args }) => {
  const texts = args.map((arg) => arg.text);
  if (
    program === 'kill' &&
    (texts.includes('-l') ||
      texts.includes('-L') ||
      texts.includes('--list') ||
      texts.includes('--table') ||
      texts[0] === '-0')
  ) {
    return outcome('read', 'kill');
  }
  const flags: ShellRiskFlag[] = ['process_kill'];
  if (
    texts.some((text) => /^-(?:9|KILL|SIGKILL|s(?:9|KILL|SIGKILL)?)$/.test(text) || text === '--signal=KILL')
  )
    flags.push('force');
  return outcome('destructive', program, ...flags);
};

/** Partitioning tools: listing reads; anything else rewrites a partition table. */
function partitioner(
  listShorts: string,
  listLongs: readonly string[],
  listWords: readonly string[] = [],
): CommandRule {
  return ({ program, args }) => {
    const parsed = parseOptions(args, { shortWithValue: program === 'sfdisk' ? 'NXYaO' : 'bBcCHS' });
    if (
      hasOption(parsed, listShorts, listLongs) ||
      parsed.operands.some((operand) => listWords.includes(operand.text))
    ) {
      return outcome('read', program, 'disk');
    }
    return outcome('destructive', program, 'disk');
  };
}

const mount: CommandRule = ({ program, args }) => {
  const parsed = parseOptions(args, {
    shortWithValue: 'tOoLUTN',
    longWithValue: [
      'types',
      'options',
      'test-opts',
      'label',
      'uuid',
      'fstab',
      'namespace',
      'source',
      'target',
    ],
  });
  if (
    program === 'mount' &&
    (args.length === 0 ||
      (parsed.operands.length === 0 && hasOption(parsed, 'lhV', ['list', 'help', 'version'])))
  ) {
    return outcome('read', 'mount');
  }
  return outcome('write', program, 'disk');
};

const swap: CommandRule = ({ program, args }) => {
  const parsed = parseOptions(args, { shortWithValue: 'po', longWithValue: ['priority', 'options'] });
  if (args.length === 0 || hasOption(parsed, 's', ['show', 'summary', 'help', 'version']))
    return outcome('read', program);
  return outcome('write', program, 'disk');
};

/** iptables family: listing reads; flushing, deleting chains or setting policies is destructive; other rule changes write. */
const iptables: CommandRule = ({ program, args }) => {
  const parsed = parseOptions(args, {
    shortWithValue: 'tjgiomspdAIDRNXFZPELSCW',
    longWithValue: [
      'table',
      'jump',
      'goto',
      'in-interface',
      'out-interface',
      'match',
      'source',
      'protocol',
      'destination',
      'wait',
    ],
  });
  if (hasOption(parsed, 'FXP', ['flush', 'delete-chain', 'policy']))
    return outcome('destructive', `${program} -F`, 'firewall');
  if (
    hasOption(parsed, 'ADIRNEZ', [
      'append',
      'delete',
      'insert',
      'replace',
      'new-chain',
      'rename-chain',
      'zero',
    ])
  )
    return outcome('write', program, 'firewall');
  return outcome('read', program, 'firewall');
};

/** nft: list/monitor read; flush/delete/destroy are destructive; add/insert/replace write; `-f FILE` loads a ruleset. */
const nft: CommandRule = ({ args }) => {
  const parsed = parseOptions(args, { shortWithValue: 'fIc', longWithValue: ['file', 'includepath'] });
  if (hasOption(parsed, 'f', ['file'])) return outcome('destructive', 'nft -f', 'firewall');
  const words = parsed.operands.map((operand) => operand.text);
  if (words.length === 0 || ['list', 'monitor', 'describe'].includes(words[0] ?? ''))
    return outcome('read', 'nft', 'firewall');
  if (['flush', 'delete', 'destroy'].includes(words[0] ?? ''))
    return outcome('destructive', `nft ${words[0]}`, 'firewall');
  return outcome('write', `nft ${words[0]}`, 'firewall');
};

const ufw: CommandRule = ({ args }) => {
  const parsed = parseOptions(args);
  const sub = subcommand(parsed.operands);
  if (
    sub === '' ||
    sub === 'status' ||
    sub === 'show' ||
    sub === 'version' ||
    sub === 'help' ||
    (sub === 'app' && subcommand(parsed.operands, 1) !== 'update')
  ) {
    return outcome('read', `ufw ${sub}`.trim(), 'firewall');
  }
  if (sub === 'disable' || sub === 'reset' || sub === 'delete')
    return outcome('destructive', `ufw ${sub}`, 'firewall');
  return outcome('write', `ufw ${sub}`, 'firewall');
};

const firewallCmd: CommandRule = ({ args }) => {
  const texts = args.map((arg) => arg.text);
  if (texts.some((text) => text === '--panic-on')) return outcome('destructive', 'firewall-cmd', 'firewall');
  if (
    texts.length === 0 ||
    texts.every((text) => /^--(?:list|get|query|state|check-config|info|zone=|permanent$)/.test(text))
  ) {
    return outcome('read', 'firewall-cmd', 'firewall');
  }
  return outcome('write', 'firewall-cmd', 'firewall');
};

/** Account tools: listings read (`passwd -S`, `chage -l`); removals are destructive. */
const account =
  (riskClass: 'write' | 'destructive', readShorts = ''): CommandRule =>
  ({ program, args }) => {
    const parsed = parseOptions(args, { shortWithValue: 'cdgGksuepEIK' });
    if (readShorts !== '' && hasOption(parsed, readShorts, ['status', 'list']))
      return outcome('read', program, 'account');
    // Membership of an administrative group is a grant of root (sudo, wheel) or its equivalent (docker).
    const grants = args.some(
      (arg) => !arg.dynamic && arg.text.split(',').some((group) => PRIVILEGED_GROUPS.has(group)),
    );
    return grants
      ? outcome(riskClass, program, 'account', 'privilege_escalation')
      : outcome(riskClass, program, 'account');
  };

const PRIVILEGED_GROUPS: ReadonlySet<string> = new Set([
  'sudo',
  'wheel',
  'root',
  'admin',
  'adm',
  'docker',
  'lxd',
  'disk',
  'shadow',
]);

/** crontab: `-l` lists; `-r` removes the whole table; editing or installing a table writes. */
const crontab: CommandRule = ({ args }) => {
  const parsed = parseOptions(args, { shortWithValue: 'uT' });
  if (hasOption(parsed, 'r')) return outcome('destructive', 'crontab -r', 'scheduled_task');
  if (hasOption(parsed, 'l') || hasOption(parsed, 'T')) return outcome('read', 'crontab -l');
  return outcome('write', 'crontab', 'scheduled_task');
};

/** sysctl: reading keys; `-w`, `key=value`, `-p`/`--system` change kernel parameters. */
const sysctl: CommandRule = ({ args }) => {
  const parsed = parseOptions(args, { shortWithValue: 'p', longWithValue: ['load', 'pattern'] });
  if (
    hasOption(parsed, 'wp', ['write', 'load', 'system']) ||
    parsed.operands.some((operand) => operand.text.includes('='))
  ) {
    return outcome('write', 'sysctl -w', 'kernel');
  }
  return outcome('read', 'sysctl');
};

/** modprobe/insmod/rmmod load or unload kernel code; `modprobe -n`/`-c`/`--show-depends` only print. */
const kernelModule: CommandRule = ({ program, args }) => {
  const parsed = parseOptions(args, {
    shortWithValue: 'CdSo',
    longWithValue: ['config', 'dirname', 'set-version', 'name'],
  });
  if (
    program === 'modprobe' &&
    hasOption(parsed, 'nc', [
      'dry-run',
      'show',
      'showconfig',
      'show-depends',
      'show-modversions',
      'resolve-alias',
    ])
  ) {
    return outcome('read', 'modprobe', 'kernel');
  }
  return outcome('destructive', program, 'kernel');
};

/** hostname NAME (or -F FILE, -b) sets the host name; without them it prints. */
const hostname: CommandRule = ({ args }) => {
  const parsed = parseOptions(args, { shortWithValue: 'F', longWithValue: ['file'] });
  return parsed.operands.length > 0 || hasOption(parsed, 'Fb', ['file', 'boot'])
    ? outcome('write', 'hostname')
    : outcome('read', 'hostname');
};

/** hostnamectl/timedatectl/localectl: `set-*` (and a few verbs) write; status and listings read. */
const settingsCtl: CommandRule = ({ program, args }) => {
  const parsed = parseOptions(args, { shortWithValue: 'HM', longWithValue: ['host', 'machine'] });
  const sub = subcommand(parsed.operands);
  if (
    sub === '' ||
    sub === 'status' ||
    sub === 'show' ||
    sub.startsWith('list-') ||
    sub === 'timesync-status' ||
    sub === 'show-timesync' ||
    sub === 'hostname'
  ) {
    return outcome('read', `${program} ${sub}`.trim());
  }
  return outcome('write', `${program} ${sub}`);
};

/** loginctl: listings read; terminating sessions or users kills their processes. */
const loginctl: CommandRule = ({ args }) => {
  const parsed = parseOptions(args, {
    shortWithValue: 'pHMsn',
    longWithValue: ['property', 'host', 'machine', 'signal', 'lines', 'output', 'kill-whom'],
  });
  const sub = subcommand(parsed.operands);
  if (sub === '' || sub.startsWith('list-') || sub.startsWith('show-') || sub.endsWith('-status'))
    return outcome('read', `loginctl ${sub}`.trim());
  if (sub.startsWith('terminate-') || sub.startsWith('kill-'))
    return outcome('destructive', `loginctl ${sub}`, 'process_kill');
  return outcome('write', `loginctl ${sub}`);
};

/** date -s / --set changes the clock. */
const date: CommandRule = ({ args }) => {
  const parsed = parseOptions(args, {
    shortWithValue: 'dfrsI',
    longWithValue: ['date', 'file', 'reference', 'set', 'iso-8601', 'rfc-3339'],
  });
  return hasOption(parsed, 's', ['set']) ? outcome('write', 'date -s') : outcome('read', 'date');
};

/** dmesg -c/-C clears the kernel ring buffer; -D/-E/-n change console logging. */
const dmesg: CommandRule = ({ args }) => {
  const parsed = parseOptions(args, {
    shortWithValue: 'fFlns',
    longWithValue: ['facility', 'file', 'level', 'console-level', 'buffer-size', 'since', 'until'],
  });
  return hasOption(parsed, 'cCDEn', ['clear', 'read-clear', 'console-off', 'console-on', 'console-level'])
    ? outcome('write', 'dmesg')
    : outcome('read', 'dmesg');
};

const IP_READ_VERBS = new Set([
  'show',
  'list',
  'ls',
  'lst',
  'sh',
  's',
  'l',
  'get',
  'help',
  'monitor',
  'save',
  'showdump',
  'identify',
  'pids',
]);

/** ip OBJECT [VERB]: show/list read (the default verb); `ip netns exec NS CMD` runs CMD; other verbs change the network. */
const ip: CommandRule = ({ args }) => {
  // iproute2 options are whole words matched by prefix (`-br` is -brief, `-b` is -batch), not getopt clusters.
  let index = 0;
  for (; index < args.length; index++) {
    const option = text(args[index]);
    if (!option.startsWith('-') || option === '-') break;
    const name = option.replace(/^--?/, '');
    if (name === 'b' || (name.length > 2 && 'batch'.startsWith(name)) || name === 'force') {
      return outcome('unknown', 'ip -batch', 'dynamic_command');
    }
    if (
      ['n', 'f', 'l', 'rc'].includes(name) ||
      ['netns', 'family', 'loops', 'rcvbuf'].some((long) => name.length > 1 && long.startsWith(name))
    ) {
      index++;
    }
  }
  const operands = args.slice(index);
  const object = subcommand(operands);
  if (object === '')
    return outcome(
      operands.length === 0 ? 'read' : 'unknown',
      'ip',
      ...(operands.length === 0 ? [] : (['dynamic_argument'] as const)),
    );
  const rest = operands.slice(1);
  const verbIndex = rest.findIndex((operand) => !operand.text.startsWith('-'));
  const verb = verbIndex === -1 ? '' : subcommand(rest, verbIndex);
  if (object.startsWith('netns') && verb === 'exec') {
    return { then: { argv: rest.slice(verbIndex + 2), wrapper: 'ip netns exec' } };
  }
  if (verb === '' || IP_READ_VERBS.has(verb)) return outcome('read', `ip ${object}`);
  return outcome('write', `ip ${object} ${verb}`, 'network');
};

function text(arg: ArgValue | undefined): string {
  return arg === undefined || arg.dynamic ? '' : arg.text;
}

/** nginx/apachectl: configuration tests, status and version read; `-s`/`-k` signals and starting change the service. */
const webServer: CommandRule = ({ program, args }) => {
  const texts = args.map(text);
  const signalAt = texts.findIndex((value) => value === '-s' || value === '-k');
  if (signalAt !== -1) {
    const signal = texts[signalAt + 1] ?? '';
    const kind = `${program} ${texts[signalAt]} ${signal}`;
    return signal === 'stop' || signal === 'quit'
      ? outcome('destructive', kind, 'service', 'process_kill')
      : outcome('write', kind, 'service');
  }
  const checks = ['-t', '-T', '-v', '-V', '-h', '-S', '-M', '-l', '-L', 'configtest', 'status', 'fullstatus'];
  return texts.some((value) => checks.includes(value))
    ? outcome('read', program)
    : outcome('write', program, 'service');
};

/** ifconfig/route without changes print; with addresses, up/down or add/del they change interfaces. */
const ifconfig: CommandRule = ({ program, args }) => {
  const operands = parseOptions(args).operands;
  const limit = program === 'ifconfig' ? 1 : 0;
  return operands.length <= limit ? outcome('read', program) : outcome('write', program, 'network');
};

const logTool: CommandRule = ({ program }) => outcome('write', program);

/** fsck/tune2fs/resize2fs/e2fsck change a filesystem in place; `-n` only checks. */
const filesystemTool: CommandRule = ({ program, args }) => {
  const parsed = parseOptions(args, { shortWithValue: 'bBcCjlLmoOrtTUeEIJ' });
  if ((program === 'fsck' || program === 'e2fsck') && hasOption(parsed, 'nN'))
    return outcome('read', program, 'disk');
  if (program === 'tune2fs' && hasOption(parsed, 'l') && parsed.options.length === 1)
    return outcome('read', program, 'disk');
  return outcome('write', program, 'disk');
};

/** Rules for system administration programs. */
export const SYSTEM_RULES: ReadonlyMap<string, CommandRule> = new Map<string, CommandRule>([
  ['systemctl', systemctl],
  ['service', service],
  ['rc-service', serviceTool],
  ['rc-update', serviceTool],
  ['update-rc.d', serviceTool],
  ['invoke-rc.d', serviceTool],
  ['chkconfig', serviceTool],
  ['journalctl', journalctl],
  ['shutdown', fixed('destructive', 'power')],
  ['reboot', fixed('destructive', 'power')],
  ['halt', fixed('destructive', 'power')],
  ['poweroff', fixed('destructive', 'power')],
  ['kexec', fixed('destructive', 'power')],
  ['init', init],
  ['telinit', init],
  ['kill', kill],
  ['killall', kill],
  ['killall5', kill],
  ['pkill', kill],
  ['skill', kill],
  ['xkill', kill],
  ['mkfs', fixed('destructive', 'disk')],
  ['mke2fs', fixed('destructive', 'disk')],
  ['mkswap', fixed('destructive', 'disk')],
  ['mkdosfs', fixed('destructive', 'disk')],
  ['mkntfs', fixed('destructive', 'disk')],
  ['wipefs', fixed('destructive', 'disk')],
  ['blkdiscard', fixed('destructive', 'disk')],
  ['fdisk', partitioner('l', ['list'])],
  ['sfdisk', partitioner('lds', ['list', 'dump', 'show-size', 'list-types', 'verify'])],
  ['cfdisk', fixed('destructive', 'disk')],
  ['parted', partitioner('l', ['list'], ['print'])],
  ['gdisk', partitioner('l', [])],
  ['sgdisk', partitioner('pivO', ['print', 'info', 'verify', 'print-mbr'])],
  ['pvcreate', fixed('destructive', 'disk')],
  ['pvremove', fixed('destructive', 'disk')],
  ['vgcreate', fixed('destructive', 'disk')],
  ['vgremove', fixed('destructive', 'disk')],
  ['lvcreate', fixed('write', 'disk')],
  ['lvremove', fixed('destructive', 'disk')],
  ['lvreduce', fixed('destructive', 'disk')],
  ['lvresize', fixed('destructive', 'disk')],
  ['lvextend', fixed('write', 'disk')],
  ['mount', mount],
  ['umount', mount],
  ['swapon', swap],
  ['swapoff', swap],
  ['fsck', filesystemTool],
  ['e2fsck', filesystemTool],
  ['tune2fs', filesystemTool],
  ['resize2fs', filesystemTool],
  ['iptables', iptables],
  ['ip6tables', iptables],
  ['iptables-legacy', iptables],
  ['iptables-nft', iptables],
  ['ebtables', iptables],
  ['arptables', iptables],
  ['iptables-save', fixed('read', 'firewall')],
  ['ip6tables-save', fixed('read', 'firewall')],
  ['iptables-restore', fixed('destructive', 'firewall')],
  ['ip6tables-restore', fixed('destructive', 'firewall')],
  ['nft', nft],
  ['ufw', ufw],
  ['firewall-cmd', firewallCmd],
  ['useradd', account('write')],
  ['adduser', account('write')],
  ['usermod', account('write')],
  ['groupadd', account('write')],
  ['addgroup', account('write')],
  ['groupmod', account('write')],
  ['gpasswd', account('write')],
  ['passwd', account('write', 'S')],
  ['chpasswd', account('write')],
  ['chage', account('write', 'l')],
  ['chsh', account('write')],
  ['chfn', account('write')],
  ['newusers', account('write')],
  ['userdel', account('destructive')],
  ['deluser', account('destructive')],
  ['groupdel', account('destructive')],
  ['delgroup', account('destructive')],
  ['crontab', crontab],
  ['atq', fixed('read')],
  ['atrm', fixed('write', 'scheduled_task')],
  ['sysctl', sysctl],
  ['modprobe', kernelModule],
  ['insmod', kernelModule],
  ['rmmod', kernelModule],
  ['hostname', hostname],
  ['hostnamectl', settingsCtl],
  ['timedatectl', settingsCtl],
  ['localectl', settingsCtl],
  ['loginctl', loginctl],
  ['date', date],
  ['dmesg', dmesg],
  ['ip', ip],
  ['ifconfig', ifconfig],
  ['route', ifconfig],
  ['logrotate', logTool],
  ['logger', logTool],
  ['wall', logTool],
  ['nginx', webServer],
  ['apachectl', webServer],
  ['apache2ctl', webServer],
]);
