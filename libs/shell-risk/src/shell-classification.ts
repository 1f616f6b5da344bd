import type { ShellRiskClass } from './shell-risk-class.ts';
import type { ShellRiskFlag } from './shell-risk-flag.ts';

/** One simple command as it will run: wrappers unwrapped, quotes removed, braces expanded. */
export interface SimpleCommandClassification {
  /**
   * Basename of the program that runs (`rm` for `sudo /bin/rm`); a function's name for a call to
   * a function defined on the same line; the command word's canonical text when it is dynamic
   * (`$CMD`, `$(echo rm)`); `''` for a command of only assignments or redirections.
   */
  program: string;
  /** Arguments after unwrapping: literal values, or the canonical source text of dynamic words. */
  args: string[];
  /**
   * Coarse kind for policies and evidence: the program, or program and subcommand when the
   * subcommand decides the effect (`git push`, `systemctl restart`, `apt install`, `kubectl delete`),
   * `function`, `dynamic`, `assignment` or `redirect`.
   */
  kind: string;
  riskClass: ShellRiskClass;
  /** Why, in flag list order; includes flags inherited from wrappers (`privilege_escalation`). */
  flags: ShellRiskFlag[];
  /** Wrappers the command runs under, outermost first (`['sudo', 'sh']` for `sudo sh -c 'rm x'`). */
  wrappers: string[];
}

/** What a whole SSH command line does. */
export interface ShellClassification {
  /**
   * Every simple command found, in execution order: substitutions before the command that uses
   * them, then the command, then commands it starts (`find -exec`). Includes commands inside
   * subshells, substitutions, function bodies and `sh -c` / `eval` strings. Empty when the line
   * was not parsed.
   */
  commands: SimpleCommandClassification[];
  /** Real program basenames, deduplicated in order of appearance (no functions, dynamic words or ''). */
  programs: string[];
  /** The commands' `kind`s, deduplicated in order of appearance. */
  kinds: string[];
  /** Union of the commands' flags plus line-level ones (`unparsable`, `too_large`, `too_complex`), in flag list order. */
  riskFlags: ShellRiskFlag[];
  /**
   * Maximum over the commands. An empty line (or only comments) does nothing and is `read` with
   * zero commands; a line that was not parsed is `unknown`.
   */
  riskClass: ShellRiskClass;
  /**
   * Hex SHA-256 of the class, the flags and the normalized shape: command lines that differ only
   * in their data (file names, search terms) share it as long as that data does not change their
   * risk; programs, options and structure tell them apart. For a line that was not parsed it is the
   * hash of the raw text. It names a kind of command in evidence; it does not key a decision cache
   * (the edge keys decisions by the exact text).
   */
  fingerprint: string;
  /**
   * The command line's shape (see `renderShellShape`): canonical text with arguments, values,
   * redirection targets and here-document bodies replaced by `?`, so evidence never carries what
   * a person typed as data (DESIGN.md invariant 4). `''` when the line was not parsed.
   */
  normalized: string;
  /** Number of simple commands (`commands.length`). */
  statementCount: number;
}

/** Options for `classifyShell`. */
export interface ClassifyShellOptions {
  /** Largest command line, in UTF-8 bytes, that is parsed (default 64 KiB); larger ones are `unknown` with `too_large`. */
  maxBytes?: number;
}
