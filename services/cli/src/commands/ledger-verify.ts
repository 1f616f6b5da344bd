import { constants, createReadStream } from 'node:fs';
import { access, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import {
  formatReport,
  formatVerifierState,
  LedgerApiError,
  LedgerClient,
  MalformedVerifierStateError,
  parseVerifierState,
  verifyBundle,
  verifyLedger,
  type VerificationReport,
  type VerifierState,
  type VerifyProgress,
} from '@gatehouse/ledger-verify';
import { InvalidNoteKeyError, parseVerifierKey } from '@gatehouse/merkle';
import { CommandFailedError, UsageError } from '../cli-failure.ts';
import type { Command, CommandContext, CommandOutput } from '../command.ts';
import { ExitCode } from '../exit-code.ts';
import { parseCommandArgs } from '../parse-command-args.ts';

const DEFAULT_URL = 'http://127.0.0.1:8082';
const DEFAULT_STATE = '.gatehouse/ledger-verify-state.json';

const synopsis = `usage: gatehouse ledger verify [--url URL] (--token TOKEN | --token-file FILE) [--key KEY | --key-file FILE] [--state FILE]
       gatehouse ledger verify --bundle FILE (--key KEY | --key-file FILE)`;

const help = `${synopsis}

Verifies the evidence ledger and names the first bad index when anything was changed, removed,
inserted or reordered. Checks the checkpoint's Ed25519 signature against a key you pinned,
recomputes every leaf hash (RFC 9162) from the stored record bytes and the Merkle root, checks
every session's hash chain (seq, prev, session_closed head and count), and:

  live (default)  reads the auditor API at --url with an auditors-group token, and demands a
                  consistency proof from the checkpoint saved by the last successful run
                  (--state); on success it saves the new checkpoint there.
  --bundle FILE   verifies an evidence export (GET /v1/export) offline: every inclusion proof
                  to the bundle's checkpoint, and the fences proving the range is complete.

Options:
  --url URL          ledger API (default ${DEFAULT_URL})
  --token TOKEN      access token of a member of the auditors group
  --token-file FILE  read the token from FILE ('-' for standard input)
  --key KEY          pinned note verifier key of the ledger (<name>+<id>+<key>)
  --key-file FILE    read the pinned key from FILE (e.g. the ledger's <signing key>.pub)
                     In live mode the key saved in --state is used when neither is given.
  --state FILE       verifier state (default ${DEFAULT_STATE})
  --origin ORIGIN    checkpoint origin to insist on (default: any origin the key signs)
  --bundle FILE      verify an export bundle instead of the live ledger
  --json             print the report as JSON instead of text
  -h, --help         show this help

Progress goes to standard error on long runs; the report to standard output.
Exit status: 0 verified, 1 verification failed or the ledger unreachable, 2 bad arguments.
`;

const options = {
  url: { type: 'string' },
  token: { type: 'string' },
  'token-file': { type: 'string' },
  key: { type: 'string' },
  'key-file': { type: 'string' },
  state: { type: 'string' },
  origin: { type: 'string' },
  bundle: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseCommandArgs<typeof options>>['values'];

/** `gatehouse ledger verify`: verifies the live ledger or an export bundle; exit status = result. */
export const ledgerCommand: Command = {
  name: 'ledger',
  summary: 'verify the evidence ledger or an export bundle (exit 1 names the first bad index)',
  synopsis,
  help,
  async run(args: readonly string[], { output }: CommandContext) {
    const { values, positionals } = parseCommandArgs(args, options, true);
    if (values.help === true) {
      output.stdout(help);
      return ExitCode.Ok;
    }
    const [action, ...extra] = positionals;
    if (action === undefined) throw new UsageError('missing subcommand: verify');
    if (action !== 'verify') throw new UsageError(`unknown subcommand ${JSON.stringify(action)}`);
    if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
    const progress = progressReporter(output);
    const report =
      values.bundle === undefined
        ? await verifyLive(values, output, progress)
        : await verifyBundleFile(values.bundle, values, progress);
    output.stdout(values.json === true ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
    return report.ok ? ExitCode.Ok : ExitCode.Failed;
  },
};

async function verifyBundleFile(
  path: string,
  values: Values,
  onProgress: (progress: VerifyProgress) => void,
): Promise<VerificationReport> {
  for (const option of ['url', 'token', 'token-file', 'state'] as const) {
    if (values[option] !== undefined) throw new UsageError(`--${option} does not apply to --bundle`);
  }
  const verifierKey = await pinnedKey(values, undefined);
  try {
    await access(path, constants.R_OK);
  } catch (error) {
    throw new UsageError(`cannot read --bundle ${path} (${(error as NodeJS.ErrnoException).code})`, {
      cause: error,
    });
  }
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  return verifyBundle(lines, {
    verifierKey,
    onProgress,
    ...(values.origin === undefined ? {} : { origin: values.origin }),
  });
}

async function verifyLive(
  values: Values,
  output: CommandOutput,
  onProgress: (progress: VerifyProgress) => void,
): Promise<VerificationReport> {
  const statePath = values.state ?? DEFAULT_STATE;
  const saved = await loadState(statePath);
  const verifierKey = await pinnedKey(values, saved);
  if (saved && saved.verifierKey !== verifierKey) {
    throw new UsageError(`${statePath} pins another key than the one given; use another --state file`);
  }
  const token = await accessToken(values);
  const client = new LedgerClient({ baseUrl: parseUrl(values.url ?? DEFAULT_URL), token });
  try {
    const { report, state } = await verifyLedger({
      client,
      verifierKey,
      onProgress,
      ...(saved ? { saved } : {}),
      ...(values.origin === undefined ? {} : { origin: values.origin }),
    });
    if (state !== null) {
      await saveState(statePath, state);
      output.stderr(`saved checkpoint of size ${state.size} to ${statePath}\n`);
    }
    return report;
  } catch (error) {
    if (error instanceof LedgerApiError) throw new CommandFailedError(error.message, { cause: error });
    throw error;
  }
}

// Progress lines on stderr only once a run lasts over two seconds, then at most every two.
function progressReporter(output: CommandOutput): (progress: VerifyProgress) => void {
  const started = Date.now();
  let last = started;
  return ({ done, total }) => {
    const now = Date.now();
    if (now - last < 2000 && done < total) return;
    if (now - started < 2000) return;
    last = now;
    const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
    output.stderr(`verified ${done} of ${total} entries (${percent}%)\n`);
  };
}

async function pinnedKey(values: Values, saved: VerifierState | undefined): Promise<string> {
  if (values.key !== undefined && values['key-file'] !== undefined) {
    throw new UsageError('give --key or --key-file, not both');
  }
  const key =
    values.key ??
    (values['key-file'] === undefined
      ? saved?.verifierKey
      : (await readArgument(values['key-file'], '--key-file')).trim());
  if (key === undefined) throw new UsageError('a pinned key is required: --key or --key-file');
  try {
    parseVerifierKey(key);
  } catch (error) {
    if (error instanceof InvalidNoteKeyError)
      throw new UsageError(`not a note verifier key: ${error.message}`);
    throw error;
  }
  return key;
}

async function accessToken(values: Values): Promise<string> {
  if (values.token !== undefined && values['token-file'] !== undefined) {
    throw new UsageError('give --token or --token-file, not both');
  }
  const file = values['token-file'];
  const token =
    values.token ??
    (file === undefined
      ? undefined
      : (await readArgument(file === '-' ? '/dev/stdin' : file, '--token-file')).trim());
  if (token === undefined || token === '')
    throw new UsageError('an access token is required: --token or --token-file');
  return token;
}

function parseUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--url is not a URL: ${JSON.stringify(text)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError('--url must use http or https');
  return text;
}

async function loadState(path: string): Promise<VerifierState | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError(`cannot read --state ${path} (${(error as NodeJS.ErrnoException).code})`, {
      cause: error,
    });
  }
  try {
    return parseVerifierState(text);
  } catch (error) {
    if (error instanceof MalformedVerifierStateError) throw new UsageError(`${path}: ${error.message}`);
    throw error;
  }
}

// Written to a temporary file and renamed, so a crash never leaves half a state behind.
async function saveState(path: string, state: VerifierState): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, formatVerifierState(state), { mode: 0o600 });
  await rename(temporary, path);
}

async function readArgument(path: string, option: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError(`cannot read ${option} ${path} (${code})`, { cause: error });
  }
}
