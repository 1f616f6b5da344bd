import type { ArgValue } from './word-value.ts';

/**
 * Where relative paths point: an absolute directory after a literal `cd /dir`, `'home'` at the
 * start of the session (sshd starts commands in the user's home), `'dynamic'` after a `cd` whose
 * target is only known at run time.
 */
export type WorkingDirectory = string | 'home' | 'dynamic';

/** What a path argument may refer to. */
export interface PathAssessment {
  /** Absolute, lexically normalized path when known (`/tmp/../etc/x` → `/etc/x`); `null` otherwise. */
  readonly absolute: string | null;
  /** The path (or the directory it is relative to) is only known at run time. */
  readonly dynamic: boolean;
  /** `/` itself or under a system location; a glob counts when it can match one. */
  readonly system: boolean;
  /** `/` or a directory directly under it (`/etc`, `/home`, `/srv`), possibly by glob (`/*`). */
  readonly topLevel: boolean;
  /** A block device or raw memory device. */
  readonly device: boolean;
  /** A device or pseudo-file that discards or echoes data (`/dev/null`, `/dev/stderr`): writing it changes nothing. */
  readonly harmless: boolean;
  /** A shell start-up file or SSH access file of some user. */
  readonly persistence: boolean;
  /** A kernel parameter under /proc/sys (writing one is what `sysctl -w` does). */
  readonly kernel: boolean;
}

/**
 * Locations whose modification changes the system rather than a user's files. /var as a whole is
 * application data (/var/www, /var/tmp); only its system parts are listed.
 */
const SYSTEM_PREFIXES = [
  '/etc',
  '/usr',
  '/bin',
  '/sbin',
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
  '/boot',
  '/root',
  '/proc',
  '/sys',
  '/dev',
  '/var/lib',
  '/var/log',
  '/var/spool',
  '/var/db',
  '/var/mail',
] as const;

const HARMLESS =
  /^\/dev\/(?:null|zero|full|random|urandom|stdin|stdout|stderr|tty|fd\/\d+)$|^\/proc\/self\/fd\/\d+$/;
const DEVICE =
  /^\/dev\/(?:[shv]d[a-z]+\d*|xvd[a-z]+\d*|nvme\d+n\d+(?:p\d+)?|mmcblk\d+(?:p\d+)?|dm-\d+|md\d+|loop\d+|sr\d+|mapper\/.+|disk\/.+|mem|kmem|port)$/;
const PERSISTENCE =
  /(?:^|\/)\.(?:bashrc|bash_profile|bash_login|bash_logout|profile|zshrc|zprofile|zshenv|zlogin|kshrc|cshrc|tcshrc|mkshrc)$|(?:^|\/)\.ssh(?:\/(?:authorized_keys2?|rc|environment|config))?\/?$/;

/** Lexically normalizes an absolute path: collapses `//`, `.` and `..` (never above `/`). */
export function normalizeAbsolute(path: string): string {
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(segment);
  }
  return `/${out.join('/')}`;
}

/** Assesses one path argument relative to the working directory. */
export function assessPath(arg: ArgValue, cwd: WorkingDirectory): PathAssessment {
  const persistence = PERSISTENCE.test(arg.text);
  if (arg.dynamic) return unknownPath(persistence);
  let text = arg.text;
  if (text.startsWith('~')) {
    const slash = text.indexOf('/');
    const user = text.slice(1, slash === -1 ? undefined : slash);
    if (user === '') return { ...userPath(), persistence };
    text = (user === 'root' ? '/root' : `/home/${user}`) + (slash === -1 ? '' : text.slice(slash));
  } else if (!text.startsWith('/')) {
    if (cwd === 'dynamic') return unknownPath(persistence);
    if (cwd === 'home') return fromHome(arg, persistence);
    text = `${cwd}/${text}`;
  }
  if (arg.glob) return globPath(text, persistence);
  const absolute = normalizeAbsolute(text);
  const harmless = HARMLESS.test(absolute);
  const kernel = absolute.startsWith('/proc/sys/');
  return {
    absolute,
    dynamic: false,
    kernel,
    system: !harmless && !kernel && isSystem(absolute),
    topLevel: absolute.split('/').length <= 2,
    device: DEVICE.test(absolute),
    harmless,
    persistence: persistence || PERSISTENCE.test(absolute),
  };
}

/** Resolves a `cd` target against the current working directory. */
export function changeDirectory(cwd: WorkingDirectory, target: ArgValue | undefined): WorkingDirectory {
  if (target === undefined) return 'home';
  if (target.dynamic || target.glob || target.text === '-') return 'dynamic';
  const text = target.text;
  if (text === '~' || text.startsWith('~/')) return 'home';
  if (text.startsWith('/')) return normalizeAbsolute(text);
  if (cwd === 'home' || cwd === 'dynamic') return 'dynamic';
  return normalizeAbsolute(`${cwd}/${text}`);
}

/**
 * A relative path from the (unknown) home directory stays among the user's files unless `..`
 * climbs out of it; then both usual homes (`/root`, `/home/<user>`) are tried.
 */
function fromHome(arg: ArgValue, persistence: boolean): PathAssessment {
  if (!/(?:^|\/)\.\.(?:\/|$)/.test(arg.text)) return { ...userPath(), persistence };
  let merged: PathAssessment = { ...userPath(), persistence };
  for (const home of ['/root', '/home/user']) {
    const candidate = assessPath({ ...arg, text: `${home}/${arg.text}` }, '/');
    if (candidate.absolute !== null && candidate.absolute.startsWith(`${home}/`)) continue;
    merged = {
      absolute: null,
      dynamic: false,
      system: merged.system || candidate.system,
      topLevel: merged.topLevel || candidate.topLevel,
      device: merged.device || candidate.device,
      harmless: false,
      persistence: merged.persistence || candidate.persistence,
      kernel: merged.kernel || candidate.kernel,
    };
  }
  return merged;
}

function isSystem(absolute: string): boolean {
  if (absolute === '/') return true;
  return SYSTEM_PREFIXES.some((prefix) => absolute === prefix || absolute.startsWith(`${prefix}/`));
}

/** A glob may match a system path when its fixed prefix leads into one (`/e*` can be `/etc`). */
function globPath(text: string, persistence: boolean): PathAssessment {
  const fixed = normalizeFixedPrefix(text.slice(0, text.search(/[*?[]/)));
  const system =
    fixed === '/' ||
    SYSTEM_PREFIXES.some((prefix) => prefix.startsWith(fixed) || fixed.startsWith(`${prefix}/`));
  const depth = text.split('/').filter((segment) => segment !== '' && segment !== '.').length;
  return {
    absolute: null,
    dynamic: false,
    system,
    topLevel: depth <= 1,
    device: fixed.startsWith('/dev/'),
    harmless: false,
    persistence,
    kernel: false,
  };
}

function normalizeFixedPrefix(prefix: string): string {
  // Keep a trailing partial segment (`/e` of `/e*`) while collapsing `.`/`..` before it.
  const cut = prefix.lastIndexOf('/');
  const dir = normalizeAbsolute(prefix.slice(0, cut + 1));
  const partial = prefix.slice(cut + 1);
  return dir === '/' ? `/${partial}` : `${dir}/${partial}`;
}

function userPath(): Omit<PathAssessment, 'persistence'> {
  return {
    absolute: null,
    dynamic: false,
    system: false,
    topLevel: false,
    device: false,
    harmless: false,
    kernel: false,
  };
}

function unknownPath(persistence: boolean): PathAssessment {
  return {
    absolute: null,
    dynamic: true,
    system: false,
    topLevel: false,
    device: false,
    harmless: false,
    persistence,
    kernel: false,
  };
}
