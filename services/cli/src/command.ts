import type { CliConfig } from './cli-config.ts';
import type { ExitCode } from './exit-code.ts';

/** Where a command writes: stdout carries only the result (so `$(gatehouse token ...)` works). */
export interface CommandOutput {
  /** Writes to standard output. */
  stdout(text: string): void;
  /** Writes to standard error (diagnostics, reports meant for people). */
  stderr(text: string): void;
}

/** What every command receives besides its own arguments. */
export interface CommandContext {
  /** Config parsed once from the environment by main.ts. */
  readonly config: CliConfig;
  /** Output streams. */
  readonly output: CommandOutput;
}

/** A subcommand: `gatehouse <name> ...`. */
export interface Command {
  /** The word after `gatehouse`. */
  readonly name: string;
  /** One line for `gatehouse --help`. */
  readonly summary: string;
  /** Usage line(s) printed with a usage error. */
  readonly synopsis: string;
  /** Full text of `gatehouse <name> --help`. */
  readonly help: string;
  /**
   * Runs the command with the arguments after its name.
   * @throws UsageError for a wrong command line, CommandFailedError when the work fails.
   */
  run(args: readonly string[], context: CommandContext): Promise<ExitCode>;
}
