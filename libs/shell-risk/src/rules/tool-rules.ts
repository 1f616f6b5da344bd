/** Version control, containers and clusters, database clients, and network clients. */
import { hasOption, optionValue, parseOptions, type ParsedArgs } from '../command-options.ts';
import {
  outcome,
  raise,
  verdict,
  writeTargets,
  type CommandOutcome,
  type CommandRule,
  type Verdict,
} from '../command-rule.ts';
import { assessPath, type WorkingDirectory } from '../path-assessment.ts';
import type { ShellRiskFlag } from '../shell-risk-flag.ts';
import type { ArgValue } from '../word-value.ts';
import { sshOptionsRunCommands } from './file-rules.ts';

function text(arg: ArgValue | undefined): string {
  return arg === undefined || arg.dynamic ? '' : arg.text;
}

// ---- git ------------------------------------------------------------------------------------

/** git config keys whose value is a command (or that redirect where commands come from). */
const GIT_COMMAND_CONFIG =
  /^(?:alias\.|core\.(?:pager|editor|sshcommand|fsmonitor|hookspath|askpass|gitproxy)|sequence\.editor|diff\.external|credential\.|uploadpack\.|receivepack\.|protocol\.|url\.|include\.|includeif\.|pager\.|gpg\.program|ssh\.variant)|\.(?:helper|command|cmd|textconv|program|external|driver|clean|smudge|process)$/i;

const GIT_READ = new Set([
  'status',
  'log',
  'diff',
  'show',
  'blame',
  'annotate',
  'shortlog',
  'describe',
  'rev-parse',
  'rev-list',
  'ls-files',
  'ls-tree',
  'cat-file',
  'grep',
  'whatchanged',
  'name-rev',
  'merge-base',
  'for-each-ref',
  'show-ref',
  'count-objects',
  'fsck',
  'verify-commit',
  'verify-tag',
  'verify-pack',
  'check-ignore',
  'check-attr',
  'check-ref-format',
  'var',
  'help',
  'version',
  'cherry',
  'range-diff',
  'show-branch',
  'diff-tree',
  'diff-index',
  'diff-files',
  'get-tar-commit-id',
  'column',
  'stripspace',
  'interpret-trailers',
]);
const GIT_NETWORK_READ = new Set(['ls-remote']);
const GIT_WRITE = new Set([
  'add',
  'commit',
  'pull',
  'fetch',
  'merge',
  'rebase',
  'checkout',
  'switch',
  'restore',
  'rm',
  'mv',
  'cherry-pick',
  'revert',
  'am',
  'apply',
  'init',
  'clone',
  'gc',
  'prune',
  'repack',
  'maintenance',
  'pack-refs',
  'update-ref',
  'update-index',
  'symbolic-ref',
  'replace',
  'commit-tree',
  'write-tree',
  'read-tree',
  'hash-object',
  'fast-import',
  'sparse-checkout',
  'mktag',
  'mktree',
  'merge-file',
  'checkout-index',
  'lfs',
  'rerere',
  'citool',
  'commit-graph',
  'multi-pack-index',
  'prune-packed',
  'index-pack',
  'unpack-objects',
  'fetch-pack',
  'send-pack',
  'remote-ext',
]);
const GIT_NETWORK = new Set(['push', 'pull', 'fetch', 'clone', 'ls-remote', 'send-pack', 'fetch-pack']);

/** Options of `git` itself before the subcommand; returns the index of the subcommand or a verdict. */
function gitGlobals(args: readonly ArgValue[]): number | CommandOutcome {
  let index = 0;
  for (; index < args.length; index++) {
    const arg = args[index] as ArgValue;
    if (arg.dynamic) return outcome('unknown', 'git', 'dynamic_argument');
    const value = arg.text;
    if (!value.startsWith('-')) return index;
    if (
      value === '-C' ||
      value === '--git-dir' ||
      value === '--work-tree' ||
      value === '--namespace' ||
      value === '--super-prefix'
    ) {
      index++;
    } else if (value === '-c') {
      const setting = args[++index];
      if (
        setting === undefined ||
        setting.dynamic ||
        GIT_COMMAND_CONFIG.test(setting.text.split('=')[0] ?? '')
      ) {
        return outcome('unknown', 'git', 'dynamic_command');
      }
    } else if (value.startsWith('--exec-path=') || value.startsWith('--config-env')) {
      return outcome('unknown', 'git', 'dynamic_command');
    } else if (
      value === '--version' ||
      value === '--help' ||
      value === '--exec-path' ||
      value === '--html-path' ||
      value === '--man-path'
    ) {
      return outcome('read', 'git');
    }
  }
  return index;
}

const git: CommandRule = ({ args, cwd }) => {
  const start = gitGlobals(args);
  if (typeof start !== 'number') return start;
  const sub = text(args[start]);
  if (start >= args.length) return outcome('read', 'git');
  if (sub === '') return outcome('unknown', 'git', 'dynamic_command');
  const rest = args.slice(start + 1);
  const kind = `git ${sub}`;
  const parsed = parseOptions(rest, {
    shortWithValue: 'mCcFSoxXe',
    longWithValue: [
      'message',
      'file',
      'exec',
      'output',
      'strategy',
      'onto',
      'upload-pack',
      'receive-pack',
      'template',
      'reference',
      'origin',
      'branch',
      'depth',
      'format',
    ],
  });
  const network: ShellRiskFlag[] = GIT_NETWORK.has(sub) ? ['network'] : [];
  if (hasOption(parsed, '', ['upload-pack', 'receive-pack', 'exec']) && sub !== 'rebase')
    return outcome('unknown', kind, 'dynamic_command');
  if (GIT_READ.has(sub)) return outcome('read', kind);
  if (GIT_NETWORK_READ.has(sub)) return outcome('read', kind, 'network');
  const first = text(parsed.operands[0]);
  switch (sub) {
    case 'push': {
      const forced =
        hasOption(parsed, 'fd', [
          'force',
          'force-with-lease',
          'force-if-includes',
          'mirror',
          'delete',
          'prune',
        ]) || parsed.operands.some((operand) => operand.text.startsWith('+') || operand.text.startsWith(':'));
      return outcome('write', kind, 'vcs', 'network', ...(forced ? (['force'] as const) : []));
    }
    case 'reset':
      return hasOption(parsed, '', ['hard'])
        ? outcome('destructive', 'git reset --hard', 'vcs', 'force')
        : outcome('write', kind, 'vcs');
    case 'clean':
      return hasOption(parsed, 'n', ['dry-run'])
        ? outcome('read', kind)
        : outcome('destructive', kind, 'vcs', 'recursive_delete', 'force');
    case 'checkout':
    case 'switch':
    case 'restore':
      return outcome(
        'write',
        kind,
        'vcs',
        ...(hasOption(parsed, 'f', ['force', 'discard-changes']) ? (['force'] as const) : []),
      );
    case 'branch':
      if (
        hasOption(parsed, 'dDmMcCu', [
          'delete',
          'move',
          'copy',
          'set-upstream-to',
          'unset-upstream',
          'edit-description',
          'force',
          'track',
        ])
      ) {
        return outcome(
          'write',
          kind,
          'vcs',
          ...(hasOption(parsed, 'DMC', ['force']) ? (['force'] as const) : []),
        );
      }
      return parsed.operands.length === 0 ||
        hasOption(parsed, 'lar', [
          'list',
          'all',
          'remotes',
          'show-current',
          'contains',
          'merged',
          'no-merged',
        ])
        ? outcome('read', kind)
        : outcome('write', kind, 'vcs');
    case 'tag':
      return parsed.operands.length === 0 ||
        hasOption(parsed, 'lv', ['list', 'verify', 'contains', 'points-at'])
        ? outcome('read', kind)
        : outcome('write', kind, 'vcs');
    case 'stash':
      return first === 'list' || first === 'show' ? outcome('read', kind) : outcome('write', kind, 'vcs');
    case 'remote':
      return first === '' || first === 'show' || first === 'get-url'
        ? outcome('read', kind)
        : outcome('write', kind, 'vcs', ...(first === 'update' ? (['network'] as const) : []));
    case 'config': {
      if (
        hasOption(parsed, 'le', [
          'list',
          'get',
          'get-all',
          'get-regexp',
          'get-urlmatch',
          'show-origin',
          'show-scope',
          'name-only',
          'edit',
        ])
      ) {
        return hasOption(parsed, 'e', ['edit']) ? outcome('write', kind, 'vcs') : outcome('read', kind);
      }
      if (first === 'get' || first === 'list') return outcome('read', kind);
      return parsed.operands.length <= 1 &&
        !hasOption(parsed, '', [
          'unset',
          'unset-all',
          'remove-section',
          'rename-section',
          'add',
          'replace-all',
        ])
        ? outcome('read', kind)
        : outcome('write', kind, 'vcs');
    }
    case 'worktree':
    case 'notes':
      return first === 'list' || first === 'show' ? outcome('read', kind) : outcome('write', kind, 'vcs');
    case 'submodule':
      if (first === 'foreach') {
        const command = parsed.operands.slice(1);
        return {
          scripts: [
            {
              text: {
                text: command.map((arg) => arg.text).join(' '),
                dynamic: command.some((arg) => arg.dynamic),
                glob: false,
              },
              wrapper: 'git submodule foreach',
            },
          ],
        };
      }
      return first === '' || first === 'status' || first === 'summary'
        ? outcome('read', kind)
        : outcome('write', kind, 'vcs', 'network');
    case 'bisect':
      if (first === 'run') return { then: { argv: parsed.operands.slice(1), wrapper: 'git bisect run' } };
      return first === 'log' || first === 'visualize' || first === 'view'
        ? outcome('read', kind)
        : outcome('write', kind, 'vcs');
    case 'rebase': {
      const exec = parsed.options.filter(
        (option) => option.name === 'x' || (option.long && 'exec'.startsWith(option.name)),
      );
      const base = outcome('write', kind, 'vcs');
      if (exec.length === 0) return base;
      return {
        ...base,
        scripts: exec.map((option) => ({
          text: option.value ?? { text: '', dynamic: true, glob: false },
          wrapper: 'git rebase --exec',
        })),
      };
    }
    case 'reflog':
      return first === 'expire' || first === 'delete'
        ? outcome('destructive', kind, 'vcs', 'history_tamper')
        : outcome('read', kind);
    case 'filter-branch':
    case 'filter-repo':
      return outcome('destructive', kind, 'vcs', 'force');
    case 'archive': {
      const output = optionValue(parsed, 'o', ['output']);
      return output === undefined || output === null
        ? outcome('read', kind)
        : { verdict: writeTargets(verdict('write', kind), [output], cwd) };
    }
    case 'format-patch':
      return hasOption(parsed, '', ['stdout']) ? outcome('read', kind) : outcome('write', kind);
    case 'bundle':
      return first === 'verify' || first === 'list-heads' ? outcome('read', kind) : outcome('write', kind);
  }
  if (GIT_WRITE.has(sub)) return outcome('write', kind, 'vcs', ...network);
  // Aliases, external `git-*` commands and tools that start programs (difftool, daemon, send-email): not visible.
  return outcome('unknown', kind, 'unknown_program');
};

// ---- containers -----------------------------------------------------------------------------

const DOCKER_MANAGEMENT = new Set([
  'container',
  'image',
  'volume',
  'network',
  'system',
  'builder',
  'buildx',
  'node',
  'service',
  'stack',
  'secret',
  'config',
  'plugin',
  'context',
  'trust',
  'manifest',
  'compose',
  'machine',
  'pod',
]);
const DOCKER_READ = new Set([
  'ps',
  'logs',
  'inspect',
  'images',
  'info',
  'version',
  'stats',
  'top',
  'port',
  'diff',
  'history',
  'events',
  'search',
  'ls',
  'list',
  'df',
  'show',
  'config',
  'help',
  'healthcheck',
  'wait',
]);
const DOCKER_EXEC = new Set(['exec', 'attach', 'debug', 'cp-into']);

/** Host paths whose bind mount hands the container the host (root filesystem, docker socket, system dirs). */
function hostMountIsPrivileged(source: string, cwd: WorkingDirectory): boolean {
  if (source.includes('docker.sock') || source.includes('containerd.sock')) return true;
  const path = assessPath({ text: source, dynamic: false, glob: false }, cwd);
  return path.absolute === '/' || path.system;
}

/** `docker run` options that give the container control of the host. */
function privilegedContainer(args: readonly ArgValue[], cwd: WorkingDirectory): boolean {
  for (let index = 0; index < args.length; index++) {
    const arg = text(args[index]);
    const next = text(args[index + 1]);
    if (arg === '--privileged' || arg === '--privileged=true') return true;
    if (
      /^--(?:pid|userns|uts|ipc|cgroupns)(?:=host|$)/.test(arg) &&
      (arg.endsWith('=host') || next === 'host')
    )
      return true;
    if (
      /^--cap-add(?:=|$)/.test(arg) &&
      /all|sys_admin|sys_module|sys_ptrace|dac_read_search/i.test(arg.includes('=') ? arg : next)
    )
      return true;
    if (/^--security-opt(?:=|$)/.test(arg) && /unconfined|disable/.test(arg.includes('=') ? arg : next))
      return true;
    if (/^--device(?:=|$)/.test(arg)) return true;
    let mount: string | null = null;
    if (arg === '-v' || arg === '--volume') mount = next.split(':')[0] ?? '';
    else if (arg.startsWith('--volume=')) mount = arg.slice(9).split(':')[0] ?? '';
    else if (/^-v./.test(arg)) mount = arg.slice(2).split(':')[0] ?? '';
    else if (arg === '--mount' || arg.startsWith('--mount='))
      mount = /(?:source|src)=([^,]+)/.exec(arg === '--mount' ? next : arg)?.[1] ?? null;
    if (mount !== null && mount.startsWith('/') && hostMountIsPrivileged(mount, cwd)) return true;
  }
  return false;
}

const docker: CommandRule = ({ program, args, cwd }) => {
  const parsed = parseOptions(args, {
    shortWithValue: 'Hcl',
    longWithValue: ['host', 'context', 'config', 'log-level', 'tlscacert', 'tlscert', 'tlskey'],
    stopAtOperand: true,
  });
  const operands = parsed.operands;
  if (hasOption(parsed, 'v', ['version', 'help']) || operands.length === 0) return outcome('read', program);
  let sub = text(operands[0]);
  let rest = operands.slice(1);
  if (sub === '') return outcome('unknown', program, 'dynamic_command');
  let kind = `${program} ${sub}`;
  if (DOCKER_MANAGEMENT.has(sub)) {
    const verbIndex = rest.findIndex((arg) => !arg.text.startsWith('-'));
    const verb = verbIndex === -1 ? '' : text(rest[verbIndex]);
    if (verb === '') return outcome('read', kind, 'container');
    kind = `${program} ${sub} ${verb}`;
    rest = rest.slice(verbIndex + 1);
    if (
      sub === 'compose' &&
      verb === 'down' &&
      rest.some((arg) => arg.text === '-v' || arg.text === '--volumes')
    ) {
      return outcome('destructive', kind, 'container', 'delete');
    }
    if (sub === 'volume' && (verb === 'rm' || verb === 'remove'))
      return outcome('destructive', kind, 'container', 'delete');
    if (sub === 'compose' && verb === 'run') return outcome('write', kind, 'container');
    sub = verb;
  }
  if (sub === 'prune') return outcome('destructive', kind, 'container', 'delete');
  if (DOCKER_READ.has(sub)) return outcome('read', kind, 'container');
  if (DOCKER_EXEC.has(sub)) return outcome('unknown', kind, 'container', 'remote_execution');
  if (sub === 'kill') return outcome('destructive', kind, 'container', 'process_kill');
  if (sub === 'run' || sub === 'create' || sub === 'up') {
    return privilegedContainer(rest, cwd)
      ? outcome('destructive', kind, 'container', 'privilege_escalation')
      : outcome('write', kind, 'container');
  }
  const forced = rest.some((arg) => arg.text === '-f' || arg.text === '--force');
  return outcome('write', kind, 'container', ...(forced ? (['force'] as const) : []));
};

const KUBECTL_VALUE_LONGS = [
  'namespace',
  'context',
  'cluster',
  'user',
  'kubeconfig',
  'server',
  'token',
  'as',
  'as-group',
  'output',
  'filename',
  'selector',
  'container',
  'field-selector',
  'template',
  'request-timeout',
  'cache-dir',
  'certificate-authority',
  'client-certificate',
  'client-key',
  'password',
  'username',
  'tls-server-name',
  'type',
  'patch',
  'image',
  'replicas',
  'grace-period',
  'timeout',
  'since',
  'tail',
  'sort-by',
  'label-columns',
];
const KUBECTL_READ = new Set([
  'get',
  'describe',
  'logs',
  'top',
  'explain',
  'version',
  'api-resources',
  'api-versions',
  'cluster-info',
  'diff',
  'events',
  'completion',
  'kustomize',
  'wait',
  'options',
  'help',
]);
const KUBECTL_EXEC = new Set(['exec', 'attach', 'debug', 'alpha']);

/** kubectl: get/describe/logs read; delete/drain destructive; exec/attach/debug run code in the cluster. */
const kubectl: CommandRule = ({ program, args }) => {
  const parsed = parseOptions(args, { shortWithValue: 'nsoflcL', longWithValue: KUBECTL_VALUE_LONGS });
  const sub = text(parsed.operands[0]);
  const verb = text(parsed.operands[1]);
  if (parsed.operands.length === 0) return outcome('read', program, 'container');
  if (sub === '') return outcome('unknown', program, 'dynamic_command');
  const kind = `${program} ${sub}`;
  if (KUBECTL_READ.has(sub)) return outcome('read', kind, 'container');
  if (KUBECTL_EXEC.has(sub)) return outcome('unknown', kind, 'container', 'remote_execution');
  if (sub === 'delete' || sub === 'drain')
    return outcome(
      'destructive',
      kind,
      'container',
      'delete',
      ...(hasOption(parsed, '', ['force']) ? (['force'] as const) : []),
    );
  if (
    sub === 'config' &&
    ['view', 'get-contexts', 'current-context', 'get-clusters', 'get-users'].includes(verb)
  )
    return outcome('read', `${kind} ${verb}`, 'container');
  if (sub === 'auth' && (verb === 'can-i' || verb === 'whoami'))
    return outcome('read', `${kind} ${verb}`, 'container');
  if (sub === 'rollout' && (verb === 'status' || verb === 'history'))
    return outcome('read', `${kind} ${verb}`, 'container');
  if (sub === 'plugin' && verb === 'list') return outcome('read', `${kind} ${verb}`, 'container');
  if (sub === 'port-forward' || sub === 'proxy') return outcome('write', kind, 'container', 'network');
  return outcome('write', kind, 'container');
};

const HELM_READ = new Set([
  'list',
  'ls',
  'status',
  'get',
  'history',
  'hist',
  'search',
  'show',
  'inspect',
  'template',
  'version',
  'env',
  'lint',
  'verify',
  'help',
  'completion',
]);
const HELM_DESTRUCTIVE = new Set(['uninstall', 'delete', 'del', 'un']);

const helm: CommandRule = ({ args }) => {
  const parsed = parseOptions(args, {
    shortWithValue: 'nf',
    longWithValue: ['namespace', 'kube-context', 'kubeconfig', 'values', 'set', 'version', 'repo'],
  });
  const sub = text(parsed.operands[0]);
  const verb = text(parsed.operands[1]);
  if (parsed.operands.length === 0) return outcome('read', 'helm', 'container');
  const kind = `helm ${sub}`;
  if (HELM_READ.has(sub) || ((sub === 'repo' || sub === 'dependency' || sub === 'plugin') && verb === 'list'))
    return outcome('read', kind, 'container');
  if (HELM_DESTRUCTIVE.has(sub)) return outcome('destructive', kind, 'container', 'delete');
  return outcome('write', kind, 'container');
};

// ---- database clients -----------------------------------------------------------------------

/** Interactive or `-c` database clients: the statements they run are not visible here (brief: write). */
const databaseClient: CommandRule = ({ program, args }) => {
  const texts = args.map((arg) => arg.text);
  if (texts.length === 1 && ['--version', '-V', '--help'].includes(texts[0] as string))
    return outcome('read', program, 'database_client');
  if (program === 'psql' && texts.some((value) => value === '-l' || value === '--list'))
    return outcome('read', program, 'database_client');
  if (program === 'redis-cli' && texts.some((value) => /^flush(?:all|db)$/i.test(value)))
    return outcome('destructive', program, 'database_client', 'delete');
  return outcome('write', program, 'database_client');
};

const databaseDump: CommandRule = ({ program, args, cwd }) => {
  const parsed = parseOptions(args, {
    shortWithValue: 'fdhpUnNtTZEjrS',
    longWithValue: ['file', 'dbname', 'host', 'port', 'username', 'schema', 'table', 'result-file', 'out'],
  });
  const file = optionValue(parsed, program === 'mysqldump' ? 'r' : 'f', ['file', 'result-file', 'out']);
  if (file === undefined || file === null) return outcome('read', program, 'database_client');
  return { verdict: writeTargets(verdict('write', program, 'database_client'), [file], cwd) };
};

// ---- network clients ------------------------------------------------------------------------

const CURL_VALUE_SHORTS = 'AbcCdDeEFHKmoPQrtTuUwxXyYz';
const CURL_VALUE_LONGS = [
  'output',
  'data',
  'data-raw',
  'data-binary',
  'data-urlencode',
  'data-ascii',
  'json',
  'form',
  'form-string',
  'upload-file',
  'request',
  'header',
  'user',
  'user-agent',
  'referer',
  'cookie',
  'cookie-jar',
  'dump-header',
  'config',
  'proxy',
  'write-out',
  'max-time',
  'range',
  'continue-at',
  'cert',
  'proxy-user',
  'output-dir',
  'trace',
  'trace-ascii',
  'stderr',
  'libcurl',
  'etag-save',
  'hsts',
  'alt-svc',
  'connect-timeout',
  'retry',
  'resolve',
  'url',
  'cacert',
  'key',
];

/**
 * curl prints to stdout (read, network) unless it saves files (`-o`, `-O`, `-D`, `-c`,
 * `--output-dir`, traces) or sends data or a modifying method (`-d`, `-F`, `-T`, `-X POST`).
 */
const curl: CommandRule = ({ args, cwd }) => {
  const parsed = parseOptions(args, { shortWithValue: CURL_VALUE_SHORTS, longWithValue: CURL_VALUE_LONGS });
  if (hasOption(parsed, 'K', ['config'])) return outcome('unknown', 'curl', 'network', 'dynamic_command');
  let result: Verdict = verdict('read', 'curl', 'network');
  const files: ArgValue[] = [];
  for (const option of parsed.options) {
    const fileOption = option.long
      ? [
          'output',
          'dump-header',
          'cookie-jar',
          'trace',
          'trace-ascii',
          'stderr',
          'libcurl',
          'etag-save',
          'hsts',
          'alt-svc',
          'output-dir',
        ].find((name) => name === option.name)
      : 'oDc'.includes(option.name)
        ? option.name
        : undefined;
    if (fileOption !== undefined && option.value !== null && option.value.text !== '-')
      files.push(option.value);
  }
  if (hasOption(parsed, 'OJ', ['remote-name', 'remote-name-all', 'remote-header-name']))
    result = raise(result, 'write');
  if (files.length > 0) result = writeTargets(raise(result, 'write'), files, cwd);
  const method = optionValue(parsed, 'X', ['request']);
  if (
    hasOption(parsed, 'dFT', [
      'data',
      'data-raw',
      'data-binary',
      'data-urlencode',
      'data-ascii',
      'json',
      'form',
      'form-string',
      'upload-file',
    ]) ||
    (method !== undefined &&
      (method === null || method.dynamic || !/^(?:GET|HEAD|OPTIONS)$/i.test(method.text)))
  ) {
    result = raise(result, 'write');
  }
  return { verdict: { ...result, kind: result.riskClass === 'read' ? 'curl' : 'curl -o' } };
};

/** wget saves to a file by default; `-O -` (stdout) and `--spider` read; POST and friends write. */
const wget: CommandRule = ({ args, cwd }) => {
  const parsed = parseOptions(args, {
    shortWithValue: 'oaiBeOPtTwQUDRAIXl',
    longWithValue: [
      'output-file',
      'append-output',
      'input-file',
      'base',
      'execute',
      'output-document',
      'directory-prefix',
      'tries',
      'timeout',
      'wait',
      'quota',
      'user-agent',
      'domains',
      'post-data',
      'post-file',
      'method',
      'body-data',
      'body-file',
      'header',
      'user',
      'password',
      'use-askpass',
    ],
  });
  if (hasOption(parsed, 'e', ['execute', 'use-askpass']))
    return outcome('unknown', 'wget', 'network', 'dynamic_command');
  let result: Verdict = verdict('read', 'wget', 'network');
  const document = optionValue(parsed, 'O', ['output-document']);
  const logs = parsed.options.filter(
    (option) =>
      option.name === 'o' ||
      option.name === 'a' ||
      (option.long && ('output-file'.startsWith(option.name) || 'append-output'.startsWith(option.name))),
  );
  for (const log of logs)
    if (log.value !== null) result = writeTargets(raise(result, 'write'), [log.value], cwd);
  if (hasOption(parsed, '', ['post-data', 'post-file', 'method', 'body-data', 'body-file']))
    result = raise(result, 'write');
  if (hasOption(parsed, '', ['spider'])) return { verdict: result };
  if (document === undefined) {
    const prefix = optionValue(parsed, 'P', ['directory-prefix']);
    result = writeTargets(
      raise(result, 'write'),
      [prefix ?? { text: '.', dynamic: false, glob: false }],
      cwd,
    );
  } else if (document === null || document.text !== '-') {
    result = writeTargets(raise(result, 'write'), document === null ? [] : [document], cwd);
  }
  return { verdict: { ...result, kind: result.riskClass === 'read' ? 'wget' : 'wget -O' } };
};

/**
 * openssl: inspecting, testing and converting to stdout read; `-out`/`-keyout` files are writes;
 * engines and providers load code.
 */
const openssl: CommandRule = ({ args, cwd }) => {
  const texts = args.map(text);
  if (texts[0] === 'engine' || texts.some((value) => /^-(?:engine|provider|provider-path)$/.test(value))) {
    return outcome('unknown', 'openssl', 'dynamic_command');
  }
  const sub = texts[0] ?? '';
  const outputs = args.filter((_, index) =>
    /^-(?:out|keyout|certout|sess_out|msgfile)$/.test(texts[index - 1] ?? ''),
  );
  const network: ShellRiskFlag[] =
    sub === 's_client' || sub === 's_server' || sub === 'ocsp' ? ['network'] : [];
  if (outputs.length === 0) return outcome('read', `openssl ${sub}`.trim(), ...network);
  return { verdict: writeTargets(verdict('write', `openssl ${sub}`, ...network), outputs, cwd) };
};

/** ssh HOST [CMD]: a remote shell or command; nothing about it is visible here. */
const ssh: CommandRule = ({ program, args }) => {
  if (args.length === 1 && (args[0]?.text === '-V' || args[0]?.text === '-G'))
    return outcome('read', program);
  const parsed: ParsedArgs = parseOptions(args, {
    shortWithValue: 'bcDEeFIiJLlmOopQRSWw',
    stopAtOperand: true,
  });
  if (sshOptionsRunCommands(parsed)) return outcome('unknown', program, 'dynamic_command', 'network');
  return outcome('unknown', program, 'remote_execution', 'network');
};

/** Rules for tools with subcommands and network clients. */
export const TOOL_RULES: ReadonlyMap<string, CommandRule> = new Map<string, CommandRule>([
  ['git', git],
  ['docker', docker],
  ['podman', docker],
  ['nerdctl', docker],
  [
    'docker-compose',
    (invocation) =>
      docker({ ...invocation, args: [{ text: 'compose', dynamic: false, glob: false }, ...invocation.args] }),
  ],
  ['kubectl', kubectl],
  ['oc', kubectl],
  ['helm', helm],
  ['psql', databaseClient],
  ['mysql', databaseClient],
  ['mariadb', databaseClient],
  ['mongo', databaseClient],
  ['mongosh', databaseClient],
  ['redis-cli', databaseClient],
  ['sqlite3', databaseClient],
  ['clickhouse-client', databaseClient],
  ['cqlsh', databaseClient],
  ['sqlcmd', databaseClient],
  ['pg_restore', (invocation) => outcome('write', invocation.program, 'database_client')],
  ['mongorestore', (invocation) => outcome('write', invocation.program, 'database_client')],
  ['createdb', (invocation) => outcome('write', invocation.program, 'database_client')],
  ['createuser', (invocation) => outcome('write', invocation.program, 'database_client', 'account')],
  ['dropdb', (invocation) => outcome('destructive', invocation.program, 'database_client', 'delete')],
  ['dropuser', (invocation) => outcome('destructive', invocation.program, 'database_client', 'account')],
  ['pg_dump', databaseDump],
  ['pg_dumpall', databaseDump],
  ['mysqldump', databaseDump],
  ['mongodump', databaseDump],
  ['curl', curl],
  ['wget', wget],
  ['ssh', ssh],
  ['openssl', openssl],
  ['sftp', (invocation) => outcome('unknown', invocation.program, 'remote_execution', 'network')],
]);
