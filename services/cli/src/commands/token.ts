import { parseDuration } from '@gatehouse/identity';
import type { TokenRequest } from '@gatehouse/identity';
import { CommandFailedError, UsageError } from '../cli-failure.ts';
import type { Command, CommandContext } from '../command.ts';
import { ExitCode } from '../exit-code.ts';
import { parseCommandArgs } from '../parse-command-args.ts';

const synopsis =
  'usage: gatehouse token --sub NAME [--groups a,b] [--ttl 10m] [--issuer URL] [--audience AUD]';

const help = `${synopsis}

Mints a short-lived access token from the local stack's dev OIDC issuer (POST <issuer>/token)
and prints only the token, so it can be used as a password:

  PGPASSWORD=$(npx gatehouse token --sub ci-bot --groups pipelines) psql -h 127.0.0.1 -p 15432 demo

Options:
  --sub NAME        subject of the token (required)
  --groups a,b      comma-separated groups; may be repeated (default: none)
  --ttl DURATION    lifetime: 90s, 10m, 1h or whole seconds (default: the issuer's, 10m)
  --issuer URL      dev issuer (default: $GATEHOUSE_ISSUER_URL, else http://127.0.0.1:8090)
  --audience AUD    token audience (default: the issuer's, gatehouse)
  -h, --help        show this help

Exit status: 0 token printed, 1 issuer unreachable or failing, 2 bad arguments.
`;

const options = {
  sub: { type: 'string' },
  groups: { type: 'string', multiple: true },
  ttl: { type: 'string' },
  issuer: { type: 'string' },
  audience: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

// Fail rather than hang when something accepts the connection but never answers.
const requestTimeoutMs = 10_000;

/** `gatehouse token`: asks the dev issuer for a token and prints it on stdout. */
export const tokenCommand: Command = {
  name: 'token',
  summary: 'mint a dev access token from the local stack issuer',
  synopsis,
  help,
  async run(args: readonly string[], { config, output }: CommandContext) {
    const { values, positionals } = parseCommandArgs(args, options, true);
    if (values.help === true) {
      output.stdout(help);
      return ExitCode.Ok;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
    const issuer = parseIssuerUrl(values.issuer ?? config.issuerUrl);
    const token = await requestToken(issuer, tokenRequest(values));
    output.stdout(`${token}\n`);
    return ExitCode.Ok;
  },
};

function tokenRequest(values: {
  sub?: string | undefined;
  groups?: string[] | undefined;
  ttl?: string | undefined;
  audience?: string | undefined;
}): TokenRequest {
  const sub = values.sub?.trim();
  if (sub === undefined || sub === '') throw new UsageError('--sub NAME is required');
  const request: TokenRequest = { sub };
  if (values.groups !== undefined) {
    request.groups = values.groups.flatMap((list) =>
      list
        .split(',')
        .map((group) => group.trim())
        .filter((group) => group !== ''),
    );
  }
  if (values.ttl !== undefined) {
    let seconds: number;
    try {
      seconds = parseDuration(values.ttl);
    } catch (error) {
      throw new UsageError(`--ttl: ${(error as Error).message}`, { cause: error });
    }
    if (seconds < 1) throw new UsageError('--ttl must be at least 1s');
    request.ttlSeconds = seconds;
  }
  if (values.audience !== undefined) {
    if (values.audience.trim() === '') throw new UsageError('--audience must not be empty');
    request.audience = values.audience;
  }
  return request;
}

function parseIssuerUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--issuer must be a URL, got ${JSON.stringify(text)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--issuer must be an http or https URL, got ${JSON.stringify(text)}`);
  }
  return text.replace(/\/+$/, '');
}

async function requestToken(issuer: string, request: TokenRequest): Promise<string> {
  let response: Response;
  try {
    response = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
  } catch (error) {
    throw new CommandFailedError(
      `no dev issuer at ${issuer} — is \`npm start\` running? (${reason(error)})`,
      {
        cause: error,
      },
    );
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (response.status === 400) {
    // The issuer validated our request and refused it (e.g. a TTL over its maximum): the
    // arguments are at fault, so this is a usage error.
    throw new UsageError(`the dev issuer refused the request: ${describeError(body) ?? text.slice(0, 200)}`);
  }
  if (!response.ok) {
    throw new CommandFailedError(
      `the dev issuer at ${issuer} answered ${response.status}: ${describeError(body) ?? text.slice(0, 200)}`,
    );
  }
  const token = (body as { access_token?: unknown } | undefined)?.access_token;
  if (typeof token !== 'string' || token === '') {
    throw new CommandFailedError(`the dev issuer at ${issuer} answered without an access_token`);
  }
  return token;
}

// OAuth error bodies (RFC 6749 §5.2) carry `error_description`, else `error`.
function describeError(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { error, error_description: description } = body as Record<string, unknown>;
  if (typeof description === 'string') return description;
  return typeof error === 'string' ? error : undefined;
}

// fetch reports network failures as TypeError('fetch failed') with the socket error as cause.
function reason(error: unknown): string {
  if (error instanceof DOMException && error.name === 'TimeoutError') {
    return `no answer within ${requestTimeoutMs / 1000}s`;
  }
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === 'string') return cause.code;
  return error instanceof Error ? error.message : String(error);
}
