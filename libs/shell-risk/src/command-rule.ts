import { assessPath, type WorkingDirectory } from './path-assessment.ts';
import { maxShellRiskClass, type ShellRiskClass } from './shell-risk-class.ts';
import type { ShellRiskFlag } from './shell-risk-flag.ts';
import type { ArgValue } from './word-value.ts';

/** The class, flags and kind one rule gives one command. */
export interface Verdict {
  readonly riskClass: ShellRiskClass;
  readonly flags: readonly ShellRiskFlag[];
  /** Program, or program and subcommand (`git push`, `systemctl restart`, `apt install`). */
  readonly kind: string;
}

/** One command as a rule sees it: after wrappers, brace expansion and quote removal. */
export interface Invocation {
  /** Basename of the command word. */
  readonly program: string;
  /** Arguments after the command word. */
  readonly args: readonly ArgValue[];
  /** Where relative paths point. */
  readonly cwd: WorkingDirectory;
  /** True when the command runs once per input item (find -exec, xargs): one `rm` becomes many. */
  readonly bulk: boolean;
}

/** Where a command takes code the classifier cannot read. */
export type CodeSource = (
  { readonly from: 'stdin' } | { readonly from: 'operand'; readonly operand: ArgValue }
) & {
  readonly language: 'shell' | 'other';
  /** Flags the code carries wherever it comes from (`scheduled_task` for at). */
  readonly flags?: readonly ShellRiskFlag[];
};

/** Continue classification with another argument vector (the command a wrapper runs). */
export interface Continuation {
  readonly argv: readonly ArgValue[];
  /** Name recorded in `wrappers` (`sudo`, `xargs`, `find`). */
  readonly wrapper: string;
  /** Flags every command run through this wrapper carries (`privilege_escalation`). */
  readonly flags?: readonly ShellRiskFlag[];
  /** The wrapped command runs once per input item. */
  readonly bulk?: boolean;
  /** Text the wrapper replaces with run-time data (`{}` for find and `xargs -I{}`): inside a script it makes the script dynamic. */
  readonly placeholder?: string;
  /** Working directory the wrapped command starts in (`env -C`, `sudo -D`). */
  readonly cwd?: WorkingDirectory;
}

/** Shell text a command runs (`sh -c TEXT`, `eval`, `watch`, `su -c`, `trap`). */
export interface NestedScript {
  readonly text: ArgValue;
  readonly wrapper: string;
  readonly flags?: readonly ShellRiskFlag[];
}

/** What a rule concluded about one command. */
export interface CommandOutcome {
  /** The command's own class; absent for pure wrappers, which are recorded only in `wrappers`. */
  readonly verdict?: Verdict;
  /** A wrapper's inner command, classified next. */
  readonly then?: Continuation;
  /** Further commands the program starts (`find -exec`), each classified on its own. */
  readonly nested?: readonly Continuation[];
  /** Shell text the program runs. */
  readonly scripts?: readonly NestedScript[];
  /** The program runs code from stdin or a file: `unknown` unless stdin is a literal script or a download. */
  readonly code?: CodeSource;
}

/** Classifies one program's invocations. */
export type CommandRule = (invocation: Invocation) => CommandOutcome;

/** A verdict. */
export function verdict(riskClass: ShellRiskClass, kind: string, ...flags: ShellRiskFlag[]): Verdict {
  return { riskClass, kind, flags };
}

/** An outcome holding only a verdict. */
export function outcome(riskClass: ShellRiskClass, kind: string, ...flags: ShellRiskFlag[]): CommandOutcome {
  return { verdict: verdict(riskClass, kind, ...flags) };
}

/** A rule that always gives the same class. */
export function fixed(riskClass: ShellRiskClass, ...flags: ShellRiskFlag[]): CommandRule {
  return (invocation) => outcome(riskClass, invocation.program, ...flags);
}

/** Raises `base` by the flags and class of another verdict. */
export function raise(base: Verdict, riskClass: ShellRiskClass, ...flags: ShellRiskFlag[]): Verdict {
  return {
    kind: base.kind,
    riskClass: maxShellRiskClass(base.riskClass, riskClass),
    flags: [...base.flags, ...flags],
  };
}

/**
 * Raises a writing command by where it writes: under a system location or onto a device it is
 * destructive (`system_path`, `disk`); into a start-up or SSH access file destructive
 * (`persistence`); a target only known at run time adds `dynamic_argument`. Harmless pseudo-files
 * (`/dev/null`) change nothing.
 */
export function writeTargets(base: Verdict, targets: readonly ArgValue[], cwd: WorkingDirectory): Verdict {
  let out = base;
  for (const target of targets) {
    const path = assessPath(target, cwd);
    if (path.harmless) continue;
    if (path.dynamic) out = raise(out, 'read', 'dynamic_argument');
    if (path.system) out = raise(out, 'destructive', 'system_path');
    if (path.device) out = raise(out, 'destructive', 'disk');
    if (path.persistence) out = raise(out, 'destructive', 'persistence');
    if (path.kernel) out = raise(out, 'write', 'kernel');
  }
  return out;
}

/** True when every target is a harmless pseudo-file (writing only to `/dev/null` changes nothing). */
export function allHarmless(targets: readonly ArgValue[], cwd: WorkingDirectory): boolean {
  return targets.every((target) => assessPath(target, cwd).harmless);
}

/**
 * bash evaluates array subscripts inside arithmetic contexts (`test`, `[[ -eq ]]`, `let`,
 * `declare`, `printf -v`, `read`, `unset`), and a subscript may hold a command substitution:
 * `[ "$x" -eq 'a[$(id)]' ]` runs `id` although the text was quoted. Such literal text is treated
 * as a dynamic command.
 */
export function hasSubscriptSubstitution(args: readonly ArgValue[]): boolean {
  return args.some((arg) => !arg.dynamic && (arg.text.includes('$(') || arg.text.includes('`')));
}
