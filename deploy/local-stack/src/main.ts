// `npm start`: the whole local stack on embedded defaults, until Ctrl-C.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@gatehouse/config';
import { localStackConfigSpec, stackOptionsFrom } from './local-stack-config.ts';
import type { RunningStack } from './running-stack.ts';
import { renderStackBanner } from './stack-banner.ts';
import { startStack } from './stack-launcher.ts';

const repoRoot = resolve(fileURLToPath(new URL('../../../', import.meta.url)));
const say = (text: string): boolean => process.stderr.write(`[local-stack] ${text}\n`);
let stack: RunningStack | undefined;
let stopping = false;

// Registered before the start: during it, exiting lets the launcher's exit hook signal the children.
async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  say('stopping ...');
  await stack?.stop();
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

try {
  const config = loadConfig(localStackConfigSpec(repoRoot), { env: process.env });
  say(`starting (state in ${config.stateDir}) ...`);
  stack = await startStack({
    ...stackOptionsFrom(config),
    log: (level, message) => say(level === 'info' ? message : `${level.toUpperCase()} ${message}`),
    // A half-working stack hides problems: one service down stops the rest.
    onServiceExit: () => void shutdown(1),
  });
  process.stdout.write(renderStackBanner(stack, process.cwd()));
} catch (error) {
  say(`cannot start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
