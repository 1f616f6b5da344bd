/**
 * Why a command got its class. The policy engine and evidence match on these names; the list
 * order is the order flags are reported in.
 */
export const ShellRiskFlag = [
  /** The text is not valid shell syntax for this parser (unterminated quote, here-document, parenthesis). */
  'unparsable',
  /** The text is larger than the classifier's cap and was not parsed. */
  'too_large',
  /** Nesting (subshells, substitutions, `sh -c` inside `sh -c`) deeper than the classifier follows. */
  'too_complex',
  /** The command word is built at run time (`$CMD`, `$(echo rm)`, a glob), or `eval`/`sh -c` of expanded text. */
  'dynamic_command',
  /** An argument that decides the risk (a path, a flag) comes from an expansion or from stdin. */
  'dynamic_argument',
  /** A program the tables do not know: ranks `unknown`. */
  'unknown_program',
  /** Runs code in a language the classifier does not parse (`python -c`, `perl -e`, a script file, a shell reading stdin). */
  'interpreter',
  /** Runs a command on another machine or inside a container (`ssh host cmd`, `kubectl exec`, `docker exec`). */
  'remote_execution',
  /** Runs as another user: sudo, doas, su, runuser, pkexec; setuid bits; privileged containers. */
  'privilege_escalation',
  /** Downloaded content is executed by a shell or interpreter (`curl … | sh`, `bash <(wget -O- …)`). */
  'pipe_to_shell',
  /** Removes a directory tree or many files (`rm -r`, `find -delete`, `xargs rm`, `rsync --delete`). */
  'recursive_delete',
  /** Removes files (non-recursive `rm`, `unlink`, `rmdir`). */
  'delete',
  /** Writes, moves or removes under a system location (/etc, /usr, /boot, /var/lib, /dev, …) or on `/` itself. */
  'system_path',
  /** Touches block devices, partitions, filesystems or swap (dd, mkfs, fdisk, wipefs, `> /dev/sda`). */
  'disk',
  /** Shuts down, reboots or changes the runlevel. */
  'power',
  /** Sends signals to processes (kill, pkill, killall, `systemctl kill`). */
  'process_kill',
  /** Installs, removes or upgrades software (apt, dnf, rpm, apk, pip, npm -g, snap). */
  'package_manager',
  /** Creates, changes or removes user accounts, groups or passwords. */
  'account',
  /** Changes firewall rules (iptables, nft, ufw, firewall-cmd). */
  'firewall',
  /** Changes file modes, owners or ACLs (chmod, chown, chgrp, setfacl, chattr). */
  'permission_change',
  /** Starts, stops, enables or reloads services. */
  'service',
  /** Loads or unloads kernel modules or changes kernel parameters. */
  'kernel',
  /** Installs scheduled work (crontab, at, systemd-run --on-calendar). */
  'scheduled_task',
  /** Writes shell start-up files or SSH authorized keys: code or access that outlives the session. */
  'persistence',
  /** Clears or rewrites shell history. */
  'history_tamper',
  /** Sets a variable that changes how later programs are found or loaded (PATH, LD_PRELOAD, BASH_ENV, IFS, …). */
  'env_hijack',
  /** A function that calls itself (`:(){ :|:& };:`): unbounded process creation. */
  'fork_bomb',
  /** Talks to the network (curl, wget, ssh, scp, dig, ping, …). */
  'network',
  /** Output redirected to a file (`>`, `>>`, `&>`, `>|`, `<>`). */
  'redirect_write',
  /** Input comes from a here-document or here-string. */
  'here_doc',
  /** Runs in the background (`&`). */
  'background',
  /** Forced variant: `rm -f`, `git push --force`, `git reset --hard`, `docker rm -f`, `kill -9`. */
  'force',
  /** A database client (psql, mysql, redis-cli, …): the statements it runs are not visible here. */
  'database_client',
  /** Container or cluster control (docker, podman, kubectl, helm). */
  'container',
  /** Version control that changes a repository or its remote (git commit, push, reset, clean). */
  'vcs',
] as const;

/** One of {@link ShellRiskFlag}. */
export type ShellRiskFlag = (typeof ShellRiskFlag)[number];

const ORDER: ReadonlyMap<string, number> = new Map(ShellRiskFlag.map((flag, index) => [flag, index]));

/** True when `value` is one of the {@link ShellRiskFlag} names. */
export function isShellRiskFlag(value: unknown): value is ShellRiskFlag {
  return typeof value === 'string' && ORDER.has(value);
}

/** Deduplicates and sorts flags into {@link ShellRiskFlag} list order (stable, canonical output). */
export function sortShellRiskFlags(flags: Iterable<ShellRiskFlag>): ShellRiskFlag[] {
  return [...new Set(flags)].sort((a, b) => (ORDER.get(a) ?? 0) - (ORDER.get(b) ?? 0));
}
