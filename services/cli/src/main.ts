import { loadConfig } from '@gatehouse/config';
import { ConfigError } from '@gatehouse/errors';
import { cliConfigSpec } from './cli-config.ts';
import type { CommandOutput } from './command.ts';
import { ExitCode } from './exit-code.ts';
import { runCli } from './run-cli.ts';

const output: CommandOutput = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

try {
  const config = loadConfig(cliConfigSpec, { env: process.env });
  // exitCode rather than exit(): lets piped stdout drain before the process ends.
  process.exitCode = await runCli(process.argv.slice(2), { config, output });
} catch (error) {
  if (error instanceof ConfigError) {
    output.stderr(`gatehouse: ${error.message}\n`);
    process.exitCode = ExitCode.Usage;
  } else {
    output.stderr(
      `gatehouse: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = ExitCode.Failed;
  }
}
