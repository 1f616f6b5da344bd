/**
 * Process exit codes of the CLI, so scripts can tell a failed check from a mistyped command.
 */
export const ExitCode = {
  /** The command did what was asked. */
  Ok: 0,
  /** The command ran but its check or request failed (a failing policy case, no issuer). */
  Failed: 1,
  /** The command line was wrong: unknown command or option, missing or invalid argument. */
  Usage: 2,
} as const;

/** One of {@link ExitCode}'s values. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
