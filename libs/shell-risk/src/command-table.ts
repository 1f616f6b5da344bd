import type { CommandRule } from './command-rule.ts';
import { FILE_RULES } from './rules/file-rules.ts';
import { PACKAGE_RULES } from './rules/package-rules.ts';
import { READ_RULES } from './rules/read-rules.ts';
import { SYSTEM_RULES } from './rules/system-rules.ts';
import { TEXT_RULES } from './rules/text-rules.ts';
import { TOOL_RULES } from './rules/tool-rules.ts';
import { WRAPPER_RULES } from './rules/wrapper-rules.ts';

// Later tables win: wrappers (`time`, `exec`, `command`) override plain read entries.
const RULES: ReadonlyMap<string, CommandRule> = new Map([
  ...READ_RULES,
  ...FILE_RULES,
  ...TEXT_RULES,
  ...SYSTEM_RULES,
  ...PACKAGE_RULES,
  ...TOOL_RULES,
  ...WRAPPER_RULES,
]);

/** Dotted program families (`mkfs.ext4`, `fsck.xfs`, `mount.nfs`) share their base program's rule. */
const DOTTED_FAMILIES: ReadonlySet<string> = new Set(['mkfs', 'fsck', 'mount', 'umount']);

/**
 * Directories a command word may name explicitly and still be trusted to hold the program its
 * basename says. `/tmp/ls` or `./ls` could be anything: such words rank `unknown`.
 */
const TRUSTED_DIRECTORIES: ReadonlySet<string> = new Set([
  '/bin',
  '/sbin',
  '/usr/bin',
  '/usr/sbin',
  '/usr/local/bin',
  '/usr/local/sbin',
  '/snap/bin',
]);

/** The rule for a program name, or `undefined` when the tables do not know it. */
export function ruleFor(program: string): CommandRule | undefined {
  const rule = RULES.get(program);
  if (rule !== undefined) return rule;
  const dot = program.indexOf('.');
  return dot > 0 && DOTTED_FAMILIES.has(program.slice(0, dot)) ? RULES.get(program.slice(0, dot)) : undefined;
}

/** Splits a command word into its program name and whether the directory it names (if any) is trusted. */
export function resolveProgram(word: string): { readonly program: string; readonly trusted: boolean } {
  const slash = word.lastIndexOf('/');
  if (slash === -1) return { program: word, trusted: true };
  const directory = word
    .slice(0, slash)
    .replace(/\/+$/, '')
    .replace(/\/{2,}/g, '/');
  return { program: word.slice(slash + 1), trusted: TRUSTED_DIRECTORIES.has(directory) };
}
