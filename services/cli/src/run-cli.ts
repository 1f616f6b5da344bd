// Arguments are parsed with node:util parseArgs rather than a CLI framework (commander, yargs):
// a few subcommands with a handful of options each need no more, and the CLI stays free of
// dependencies beyond the workspace's own libraries.
import { CommandFailedError, UsageError } from './cli-failure.ts';
import type { Command, CommandContext } from './command.ts';
import { ledgerCommand } from './commands/ledger-verify.ts';
import { policyCommand } from './commands/policy.ts';
import { tokenCommand } from './commands/token.ts';
import { ExitCode } from './exit-code.ts';

/** Every subcommand, in the order `gatehouse --help` lists them. */
export const commands: readonly Command[] = [tokenCommand, policyCommand, ledgerCommand];

function overview(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  const lines = commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return `usage: gatehouse <command> [options]

Commands:
${lines.join('\n')}

Run 'gatehouse <command> --help' for a command's options.
Exit status: 0 ok, 1 check or request failed, 2 usage error.
`;
}

/**
 * Runs `gatehouse` with `argv` (the arguments after the program name) and returns the exit code.
 * Usage errors print the synopsis to stderr (exit 2); failures print one line (exit 1).
 */
export async function runCli(argv: readonly string[], context: CommandContext): Promise<ExitCode> {
  const [name, ...args] = argv;
  const { output } = context;
  if (name === undefined) {
    output.stderr(overview());
    return ExitCode.Usage;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    output.stdout(overview());
    return ExitCode.Ok;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (command === undefined) {
    output.stderr(`gatehouse: unknown command ${JSON.stringify(name)}\n\n${overview()}`);
    return ExitCode.Usage;
  }
  try {
    return await command.run(args, context);
  } catch (error) {
    if (error instanceof UsageError) {
      output.stderr(
        `gatehouse ${command.name}: ${error.message}\n${command.synopsis}\nRun 'gatehouse ${command.name} --help' for details.\n`,
      );
      return ExitCode.Usage;
    }
    if (error instanceof CommandFailedError) {
      output.stderr(`gatehouse ${command.name}: ${error.message}\n`);
      return ExitCode.Failed;
    }
    throw error;
  }
}
