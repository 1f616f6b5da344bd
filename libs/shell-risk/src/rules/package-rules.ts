/**
 * Package managers. System package managers that install, remove or upgrade packages are
 * destructive (they replace system files and run maintainer scripts as root); refreshing indexes
 * or caches writes; queries read. Language package managers (pip, npm, gem) write.
 */
import { hasOption, parseOptions, type ParsedArgs } from '../command-options.ts';
import { outcome, type CommandRule } from '../command-rule.ts';

function firstOperand(parsed: ParsedArgs): string {
  const operand = parsed.operands[0];
  return operand === undefined || operand.dynamic ? '' : operand.text;
}

/** A subcommand-driven package manager: each verb is read, write or destructive; unknown verbs are unknown. */
function verbTable(
  options: { shortWithValue?: string; longWithValue?: readonly string[] },
  read: readonly string[],
  write: readonly string[],
  destructive: readonly string[],
  defaultVerb = '',
): CommandRule {
  const readSet = new Set(read);
  const writeSet = new Set(write);
  const destructiveSet = new Set(destructive);
  return ({ program, args }) => {
    const parsed = parseOptions(args, options);
    const verb = firstOperand(parsed) || defaultVerb;
    const kind = verb === '' ? program : `${program} ${verb}`;
    if (verb === '' && parsed.operands.length === 0) return outcome('read', program, 'package_manager');
    if (readSet.has(verb)) return outcome('read', kind, 'package_manager');
    if (destructiveSet.has(verb)) return outcome('destructive', kind, 'package_manager');
    if (writeSet.has(verb)) return outcome('write', kind, 'package_manager');
    return outcome('unknown', kind, 'package_manager');
  };
}

/** apt-get `-o APT::Update::Pre-Invoke::=CMD` and friends run arbitrary commands. */
const APT_HOOK = /invoke|pre-install-pkgs|post-install|dpkg::tools|dpkg::pre|dpkg::post|::options/i;

const aptTable = verbTable(
  { shortWithValue: 'octa', longWithValue: ['option', 'config-file', 'target-release', 'host-architecture'] },
  [
    'list',
    'search',
    'show',
    'showsrc',
    'policy',
    'depends',
    'rdepends',
    'madison',
    'changelog',
    'help',
    'check',
    'moo',
    'stats',
    'dump',
    'pkgnames',
    'showpkg',
    'showauto',
    'showmanual',
    'showhold',
    'indextargets',
  ],
  [
    'update',
    'clean',
    'autoclean',
    'download',
    'source',
    'edit-sources',
    'markauto',
    'unmarkauto',
    'hold',
    'unhold',
    'auto',
    'manual',
    'minimize-manual',
  ],
  [
    'install',
    'reinstall',
    'remove',
    'purge',
    'autoremove',
    'autopurge',
    'upgrade',
    'full-upgrade',
    'dist-upgrade',
    'build-dep',
    'satisfy',
  ],
);

const apt: CommandRule = (invocation) => {
  const parsed = parseOptions(invocation.args, { shortWithValue: 'octa', longWithValue: ['option'] });
  const hook = parsed.options.some(
    (option) =>
      (option.name === 'o' || (option.long && 'option'.startsWith(option.name))) &&
      (option.value === null || option.value.dynamic || APT_HOOK.test(option.value.text)),
  );
  if (hook) return outcome('unknown', invocation.program, 'package_manager', 'dynamic_command');
  return aptTable(invocation);
};

/** dpkg: queries read; install/remove/purge/configure change the system. */
const dpkg: CommandRule = ({ args }) => {
  const parsed = parseOptions(args, { longWithValue: ['admindir', 'root', 'instdir', 'log', 'status-fd'] });
  if (
    hasOption(parsed, 'irPaA', [
      'install',
      'remove',
      'purge',
      'configure',
      'unpack',
      'record-avail',
      'triggers-only',
    ])
  ) {
    return outcome('destructive', 'dpkg -i', 'package_manager');
  }
  if (
    hasOption(parsed, '', [
      'set-selections',
      'clear-selections',
      'update-avail',
      'merge-avail',
      'clear-avail',
      'forget-old-unavail',
      'add-architecture',
      'remove-architecture',
    ])
  ) {
    return outcome('write', 'dpkg', 'package_manager');
  }
  return outcome('read', 'dpkg', 'package_manager');
};

/** rpm: `-q`/`-V`/`-K` read; install/upgrade/erase are destructive; `--eval` expands macros that can run shell code. */
const rpm: CommandRule = ({ args }) => {
  const parsed = parseOptions(args, {
    shortWithValue: 'fpgD',
    longWithValue: ['root', 'dbpath', 'define', 'eval', 'queryformat', 'qf'],
  });
  if (hasOption(parsed, 'E', ['eval'])) return outcome('unknown', 'rpm --eval', 'dynamic_command');
  if (
    hasOption(parsed, 'iUFe', [
      'install',
      'upgrade',
      'freshen',
      'erase',
      'reinstall',
      'rebuilddb',
      'initdb',
      'setperms',
      'setugids',
      'restore',
    ])
  ) {
    return outcome('destructive', 'rpm -i', 'package_manager');
  }
  if (hasOption(parsed, '', ['import'])) return outcome('write', 'rpm --import', 'package_manager');
  return outcome('read', 'rpm', 'package_manager');
};

const yum = verbTable(
  {
    shortWithValue: 'cRdex',
    longWithValue: [
      'config',
      'installroot',
      'enablerepo',
      'disablerepo',
      'exclude',
      'setopt',
      'releasever',
      'repo',
      'repoid',
    ],
  },
  [
    'list',
    'ls',
    'info',
    'if',
    'search',
    'se',
    'provides',
    'whatprovides',
    'wp',
    'repolist',
    'repoinfo',
    'lr',
    'repoquery',
    'rq',
    'check-update',
    'list-updates',
    'lu',
    'history',
    'deplist',
    'grouplist',
    'groupinfo',
    'updateinfo',
    'help',
    'version',
    'check',
    'packages',
    'pa',
    'patches',
    'repos',
    'alternatives',
    'summary',
  ],
  [
    'makecache',
    'clean',
    'refresh',
    'ref',
    'config-manager',
    'addrepo',
    'ar',
    'removerepo',
    'rr',
    'modifyrepo',
    'mr',
    'mark',
    'versionlock',
    'module',
    'copr',
    'download',
  ],
  [
    'install',
    'in',
    'reinstall',
    'remove',
    'rm',
    'erase',
    'autoremove',
    'upgrade',
    'update',
    'up',
    'distro-sync',
    'dist-upgrade',
    'dup',
    'downgrade',
    'groupinstall',
    'groupremove',
    'groupupdate',
    'group',
    'localinstall',
    'localupdate',
    'swap',
    'patch',
    'upgrade-minimal',
    'update-minimal',
  ],
);

const apk = verbTable(
  {
    shortWithValue: 'pX',
    longWithValue: ['root', 'repository', 'keys-dir', 'repositories-file', 'cache-dir', 'arch'],
  },
  ['info', 'search', 'list', 'policy', 'dot', 'stats', 'audit', 'verify', 'version', 'manifest', 'query'],
  ['update', 'cache', 'fetch', 'index'],
  ['add', 'del', 'upgrade', 'fix', 'mkpkg'],
);

/** pacman: the operation is the upper-case letter (`-S`, `-R`, `-U`, `-Q`). */
const pacman: CommandRule = ({ args }) => {
  const parsed = parseOptions(args, {
    shortWithValue: 'rbw',
    longWithValue: ['root', 'dbpath', 'config', 'cachedir'],
  });
  if (hasOption(parsed, 'RU', ['remove', 'upgrade']))
    return outcome('destructive', 'pacman', 'package_manager');
  if (hasOption(parsed, 'S', ['sync'])) {
    if (hasOption(parsed, 'silpg', ['search', 'info', 'list', 'print', 'groups']))
      return outcome('read', 'pacman -S', 'package_manager');
    if (parsed.operands.length === 0 && !hasOption(parsed, 'u', ['sysupgrade']))
      return outcome('write', 'pacman -Sy', 'package_manager');
    return outcome('destructive', 'pacman -S', 'package_manager');
  }
  if (hasOption(parsed, 'D', ['database'])) return outcome('write', 'pacman -D', 'package_manager');
  if (hasOption(parsed, 'F', ['files']) && hasOption(parsed, 'y', ['refresh']))
    return outcome('write', 'pacman -Fy', 'package_manager');
  return outcome('read', 'pacman', 'package_manager');
};

const snap = verbTable(
  {},
  [
    'list',
    'info',
    'find',
    'search',
    'version',
    'connections',
    'changes',
    'change',
    'services',
    'logs',
    'interfaces',
    'help',
    'known',
    'model',
    'warnings',
    'aliases',
  ],
  [
    'enable',
    'disable',
    'start',
    'stop',
    'restart',
    'connect',
    'disconnect',
    'set',
    'unset',
    'alias',
    'unalias',
    'prefer',
    'save',
    'forget',
    'login',
    'logout',
    'ack',
    'okay',
    'download',
  ],
  ['install', 'remove', 'refresh', 'revert', 'switch'],
);

const pip = verbTable(
  {
    longWithValue: [
      'python',
      'log',
      'proxy',
      'retries',
      'timeout',
      'exists-action',
      'trusted-host',
      'cert',
      'client-cert',
      'cache-dir',
    ],
  },
  [
    'list',
    'show',
    'freeze',
    'check',
    'search',
    'index',
    'inspect',
    'debug',
    'help',
    'hash',
    'config',
    'cache',
    'completion',
  ],
  ['install', 'uninstall', 'download', 'wheel'],
  [],
);

/** npm/pnpm: install-type verbs write (also with `-g`); run/exec/test run package scripts (unknown); queries read. */
const npm = verbTable(
  { shortWithValue: 'wC', longWithValue: ['workspace', 'prefix', 'registry', 'userconfig', 'cache'] },
  [
    'ls',
    'list',
    'll',
    'la',
    'view',
    'v',
    'info',
    'show',
    'search',
    's',
    'find',
    'outdated',
    'audit',
    'doctor',
    'help',
    'version',
    'whoami',
    'root',
    'prefix',
    'bin',
    'explain',
    'why',
    'query',
    'config',
    'get',
    'fund',
    'ping',
    'owner',
    'access',
    'team',
    'token',
    'sbom',
    'licenses',
  ],
  [
    'install',
    'i',
    'in',
    'ins',
    'inst',
    'insta',
    'instal',
    'isnt',
    'isnta',
    'isntal',
    'add',
    'ci',
    'clean-install',
    'uninstall',
    'remove',
    'rm',
    'r',
    'un',
    'unlink',
    'update',
    'up',
    'upgrade',
    'udpate',
    'link',
    'ln',
    'dedupe',
    'ddp',
    'prune',
    'rebuild',
    'rb',
    'publish',
    'unpublish',
    'deprecate',
    'dist-tag',
    'cache',
    'set',
    'pack',
    'init',
    'create',
    'shrinkwrap',
    'pkg',
    'login',
    'logout',
    'adduser',
    'star',
    'unstar',
    'import',
    'patch',
  ],
  [],
);

const yarn = verbTable(
  { longWithValue: ['cwd', 'registry', 'cache-folder', 'modules-folder'] },
  [
    'info',
    'list',
    'why',
    'outdated',
    'licenses',
    'audit',
    'config',
    'help',
    'version',
    'versions',
    'bin',
    'owner',
    'dir',
    'npm',
  ],
  [
    'install',
    'add',
    'remove',
    'upgrade',
    'up',
    'upgrade-interactive',
    'import',
    'link',
    'unlink',
    'cache',
    'global',
    'init',
    'pack',
    'publish',
    'dedupe',
  ],
  [],
  'install',
);

const gem = verbTable(
  { longWithValue: ['source', 'install-dir', 'bindir', 'config-file'] },
  [
    'list',
    'search',
    'query',
    'info',
    'specification',
    'spec',
    'environment',
    'contents',
    'dependency',
    'which',
    'help',
    'outdated',
    'sources',
  ],
  [
    'install',
    'uninstall',
    'update',
    'cleanup',
    'pristine',
    'fetch',
    'unpack',
    'build',
    'push',
    'yank',
    'cert',
  ],
  [],
);

/** Rules for package managers. */
export const PACKAGE_RULES: ReadonlyMap<string, CommandRule> = new Map<string, CommandRule>([
  ['apt', apt],
  ['apt-get', apt],
  ['aptitude', apt],
  [
    'apt-cache',
    verbTable(
      { shortWithValue: 'oc' },
      [
        'search',
        'show',
        'showsrc',
        'policy',
        'depends',
        'rdepends',
        'madison',
        'stats',
        'dump',
        'dumpavail',
        'pkgnames',
        'showpkg',
        'unmet',
        'xvcg',
        'dotty',
        'gencaches',
      ],
      [],
      [],
    ),
  ],
  [
    'apt-mark',
    verbTable(
      {},
      ['showauto', 'showmanual', 'showhold', 'showinstall', 'showremove', 'showpurge'],
      ['auto', 'manual', 'hold', 'unhold', 'install', 'remove', 'purge', 'minimize-manual'],
      [],
    ),
  ],
  ['dpkg', dpkg],
  ['dpkg-query', (invocation) => outcome('read', invocation.program, 'package_manager')],
  ['dpkg-reconfigure', (invocation) => outcome('write', invocation.program, 'package_manager')],
  ['rpm', rpm],
  ['yum', yum],
  ['dnf', yum],
  ['microdnf', yum],
  ['tdnf', yum],
  ['zypper', yum],
  ['apk', apk],
  ['pacman', pacman],
  ['snap', snap],
  ['pip', pip],
  ['pip3', pip],
  ['npm', npm],
  ['pnpm', npm],
  ['yarn', yarn],
  ['gem', gem],
]);
