import { parseArgs } from 'node:util';
import type { ParseArgsOptionsConfig } from 'node:util';
import { UsageError } from './cli-failure.ts';

/**
 * `parseArgs` in strict mode, with its TypeErrors (unknown option, missing value) turned into
 * {@link UsageError}s so they exit 2 with the command's synopsis.
 */
export function parseCommandArgs<const O extends ParseArgsOptionsConfig>(
  args: readonly string[],
  options: O,
  allowPositionals: boolean,
) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals, strict: true });
  } catch (error) {
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      // Keep the first sentence ("Unknown option '--x'"); the rest is advice about `--`.
      throw new UsageError(error.message.split('. ')[0] ?? error.message, { cause: error });
    }
    throw error;
  }
}
