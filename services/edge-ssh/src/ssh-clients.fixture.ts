import { execFile } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ssh2, { type Client, type ClientChannel, type ConnectConfig } from 'ssh2';

/** What a command run through the edge returned to the client. */
export interface ClientResult {
  stdout: string;
  stderr: string;
  /** Exit status; null when none arrived (e.g. a signal or an authentication failure). */
  code: number | null;
  signal?: string | null;
}

/** Where the edge listens and who connects. */
export interface EdgeLogin {
  port: number;
  username: string;
  token: string;
  method?: 'password' | 'keyboard-interactive';
}

/** Connects an ssh2 client to the edge with the token as password or keyboard-interactive answer. */
export async function connectSsh2(login: EdgeLogin): Promise<Client> {
  const client = new ssh2.Client();
  const config: ConnectConfig = {
    host: '127.0.0.1',
    port: login.port,
    username: login.username,
    readyTimeout: 10_000,
    hostVerifier: () => true,
  };
  if (login.method === 'keyboard-interactive') {
    config.tryKeyboard = true;
    config.authHandler = ['keyboard-interactive'];
    client.on('keyboard-interactive', (_name, _instructions, _lang, prompts, finish) =>
      finish(prompts.map(() => login.token)),
    );
  } else {
    config.password = login.token;
    config.authHandler = ['password'];
  }
  await new Promise<void>((resolve, reject) => {
    client.once('ready', () => resolve());
    client.once('error', reject);
    client.connect(config);
  });
  client.on('error', () => undefined);
  return client;
}

/**
 * Collects a channel's output and exit. Call it in the callback that hands over the channel:
 * a refusal can arrive in the same read as the channel's opening.
 */
export function channelResult(channel: ClientChannel): Promise<ClientResult> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let code: number | null = null;
    let signal: string | null = null;
    channel.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    channel.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    channel.on('exit', (exitCode: number | null, exitSignal?: string) => {
      code = exitCode;
      signal = exitSignal ?? null;
    });
    channel.on('close', () => resolve({ stdout, stderr, code, signal }));
  });
}

/** Opens a channel with one of ssh2's callback-style methods and collects its result. */
export function openChannel(
  open: (callback: (error: Error | undefined, channel: ClientChannel) => void) => void,
  stdin?: string,
): Promise<ClientResult> {
  return new Promise((resolve, reject) =>
    open((error, channel) => {
      if (error) {
        reject(error);
        return;
      }
      resolve(channelResult(channel));
      if (stdin !== undefined) channel.end(stdin);
    }),
  );
}

/** Runs one command over an ssh2 connection (optionally writing `stdin` and closing it). */
export function ssh2Exec(client: Client, command: string, stdin?: string): Promise<ClientResult> {
  return openChannel((callback) => client.exec(command, callback), stdin);
}

/** Connects, runs one command and disconnects. */
export async function ssh2Run(login: EdgeLogin, command: string, stdin?: string): Promise<ClientResult> {
  const client = await connectSsh2(login);
  try {
    return await ssh2Exec(client, command, stdin);
  } finally {
    client.end();
  }
}

/**
 * Runs the real OpenSSH `ssh` client against the edge. The token reaches it the way a person's
 * password would: through SSH_ASKPASS (forced, no terminal needed), from a script in `dir`.
 */
export function openSsh(
  dir: string,
  login: EdgeLogin,
  command: string | undefined,
  {
    flags = ['-n'],
    preferred = 'password,keyboard-interactive',
    terminal = false,
  }: {
    flags?: string[];
    preferred?: string;
    /** Run ssh inside a pseudo-terminal (util-linux `script`), as a person at a terminal does. */
    terminal?: boolean;
  } = {},
): Promise<ClientResult> {
  const tokenFile = join(dir, `token-${process.hrtime.bigint()}`);
  writeFileSync(tokenFile, login.token, { mode: 0o600 });
  const askpass = `${tokenFile}.sh`;
  writeFileSync(askpass, `#!/bin/sh\ncat '${tokenFile}'\n`);
  chmodSync(askpass, 0o700);
  const options = [
    '-p',
    String(login.port),
    '-o',
    'StrictHostKeyChecking=no',
    '-o',
    'UserKnownHostsFile=/dev/null',
    '-o',
    `PreferredAuthentications=${preferred}`,
    '-o',
    'PubkeyAuthentication=no',
    '-o',
    'NumberOfPasswordPrompts=1',
    '-o',
    'LogLevel=ERROR',
    '-F',
    '/dev/null',
  ];
  const sshArgs = [
    ...options,
    ...flags,
    `${login.username}@127.0.0.1`,
    ...(command === undefined ? [] : [command]),
  ];
  const [file, args] = terminal
    ? ['script', ['-qec', ['ssh', ...sshArgs].map(shellQuote).join(' '), '/dev/null']]
    : ['ssh', sshArgs];
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      {
        env: { ...process.env, SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: 'force', DISPLAY: ':0' },
        timeout: 20_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ stdout, stderr, code });
      },
    );
  });
}

function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
