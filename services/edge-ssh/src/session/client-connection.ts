import { randomUUID } from 'node:crypto';
import type { Actor, EvidenceRecord } from '@gatehouse/contracts';
import type { GateSession } from '@gatehouse/edge-gate';
import { SessionEvidence } from '@gatehouse/evidence';
import type { Logger } from '@gatehouse/logging';
import type { AuthContext, ClientInfo, Connection, ServerChannel, Session } from 'ssh2';
import { isTokenMethod, presentedToken, TokenMethods } from '../auth/presented-token.ts';
import { targetOfUsername } from '../targets/target-username.ts';
import type { SshTarget } from '../targets/target-registry.ts';
import { UpstreamHost } from '../upstream/upstream-host.ts';
import { CommandRun } from './command-run.ts';
import type { ConnectionDeps } from './connection-deps.ts';
import { unsupportedRequest } from './refusal.ts';

/** Failed attempts one connection may make before it is disconnected (OpenSSH's MaxAuthTries). */
const MAX_AUTH_ATTEMPTS = 6;

/** Session channels one connection may hold open at once (OpenSSH's MaxSessions). */
const MAX_SESSIONS = 10;

/** The identity and target a connection authenticated as. */
interface Authenticated {
  actor: Actor;
  target: SshTarget;
  gateSession: GateSession;
  upstream: UpstreamHost;
}

/**
 * One SSH client connection from handshake to close. Authentication takes an OIDC token as the
 * password (or the keyboard-interactive answer); the username names the target. Its
 * session_opened evidence is acknowledged before authentication succeeds. Each session channel
 * may run one `exec`; shells, subsystems, forwarding, agents and X11 are refused.
 */
export class ClientConnection {
  readonly id = randomUUID();
  readonly #logger: Logger;
  readonly #clientAddress: string;
  readonly #clientSoftware: string;
  readonly #pendingEvidence = new Set<Promise<void>>();
  readonly #runs = new Set<Promise<void>>();
  #evidence: SessionEvidence | undefined;
  #username: string | undefined;
  #failures = 0;
  #authenticated: Authenticated | undefined;
  readonly #authenticating = new Set<Promise<void>>();
  #sessions = 0;
  readonly #gone = new AbortController();
  #closed!: Promise<string>;

  constructor(
    private readonly connection: Connection,
    info: ClientInfo,
    private readonly deps: ConnectionDeps,
    /** Called once authentication succeeded (ends the login grace period). */
    private readonly onAuthenticated: () => void = () => undefined,
  ) {
    this.#clientAddress = info.ip ?? 'unknown';
    this.#clientSoftware = (info.header.versions.software ?? '').slice(0, 256);
    this.#logger = deps.logger.child({ session: this.id });
  }

  /** Serves the connection; resolves after it closed and its evidence settled. */
  async run(): Promise<void> {
    const connection = this.connection;
    this.#closed = new Promise((resolve) => {
      connection.once('close', () => {
        this.#gone.abort();
        resolve('client closed');
      });
    });
    connection.on('error', (error: Error) => this.#logger.debug({ err: error }, 'client connection error'));
    connection.on('authentication', (context: AuthContext) => {
      const attempt = this.authenticate(context).catch((error: unknown) => {
        this.#logger.error({ err: error }, 'authentication failed unexpectedly');
        context.reject();
      });
      this.#authenticating.add(attempt);
      void attempt.finally(() => this.#authenticating.delete(attempt));
    });
    connection.on('session', (accept: () => Session, reject: () => void) => {
      if (this.#sessions >= MAX_SESSIONS) {
        reject();
        return;
      }
      this.#sessions += 1;
      const session = accept();
      session.once('close', () => (this.#sessions -= 1));
      this.serveSession(session);
    });
    // Port forwarding and Unix socket forwarding would bypass per-command policy.
    connection.on('tcpip', (_accept: unknown, reject: () => void) => reject());
    connection.on('openssh.streamlocal', (_accept: unknown, reject: () => void) => reject());
    connection.on('request', (_accept: unknown, reject: (() => void) | undefined) => reject?.());
    const reason = await this.#closed;
    // An authentication still in flight finishes first, so its session_opened gets its session_closed.
    await Promise.allSettled([...this.#authenticating]);
    this.#authenticated?.upstream.close();
    await Promise.allSettled([...this.#runs]);
    await this.closeEvidence(reason);
  }

  private async authenticate(context: AuthContext): Promise<void> {
    const { deps } = this;
    if (!isTokenMethod(context.method)) {
      context.reject([...TokenMethods]);
      return;
    }
    // Like sshd, one connection authenticates one user: the target cannot change mid-way.
    if (this.#username !== undefined && context.username !== this.#username) {
      context.reject();
      this.connection.end();
      return;
    }
    this.#username = context.username;
    if (!deps.authFailures.allowed(this.#clientAddress)) {
      deps.metrics.requests.inc({ operation: 'authenticate', outcome: 'throttled' });
      this.#logger.info({ clientAddress: this.#clientAddress }, 'authentication throttled');
      context.reject();
      this.connection.end();
      return;
    }
    const targetName = targetOfUsername(context.username);
    this.#evidence ??= new SessionEvidence(this.id, { name: targetName, kind: 'ssh' });
    const token = await presentedToken(context);
    if (token === undefined) return;
    const verdict = await this.verify(token, targetName);
    if ('reason' in verdict) {
      await this.authenticationFailed(context, verdict.reason);
      return;
    }
    const { actor, target } = verdict;
    const evidence = this.#evidence;
    evidence.identify(actor);
    const opened = evidence.next('session_opened', {
      clientAddress: this.#clientAddress,
      clientSoftware: this.#clientSoftware,
      user: context.username.slice(0, 256),
      authMethod: context.method,
      targetHost: `${target.host}:${target.port}`,
    });
    try {
      await deps.gate.record([opened]);
    } catch (error) {
      // No evidence, no access: the session cannot open.
      this.#logger.error({ err: error }, 'session_opened evidence was not acknowledged; disconnecting');
      context.reject();
      this.connection.end();
      return;
    }
    this.#authenticated = {
      actor,
      target,
      gateSession: {
        id: this.id,
        actor,
        target: { name: target.name, kind: 'ssh' },
        // SSH is always encrypted and authenticates the server, which is what a policy's TLS
        // condition protects: an SSH connection counts as an encrypted one.
        tls: true,
        clientAddress: this.#clientAddress,
      },
      upstream: new UpstreamHost(target, deps.upstreamTimeoutMs),
    };
    deps.metrics.requests.inc({ operation: 'authenticate', outcome: 'ok' });
    deps.metrics.inFlight.inc({ operation: 'session' });
    this.#logger.info({ sub: actor.sub, target: target.name, method: context.method }, 'session opened');
    this.onAuthenticated();
    context.accept();
  }

  /** The caller's identity and target, or why authentication fails (an evidence reason code). */
  private async verify(
    token: string,
    targetName: string,
  ): Promise<{ actor: Actor; target: SshTarget } | { reason: string }> {
    if (token.length === 0) return { reason: 'malformed' };
    let actor: Actor;
    try {
      const identity = await this.deps.tokenVerifier.verify(token);
      actor = {
        sub: identity.subject,
        groups: [...identity.groups],
        issuer: identity.issuer,
        tokenId: identity.tokenId,
      };
    } catch (error) {
      return { reason: (error as { reason?: string }).reason ?? 'invalid_token' };
    }
    // Unknown targets fail exactly like bad tokens, so target names cannot be probed.
    const target = this.deps.targets.find(targetName);
    return target ? { actor, target } : { reason: 'unknown_target' };
  }

  private async authenticationFailed(context: AuthContext, reason: string): Promise<void> {
    const { deps } = this;
    this.#failures += 1;
    deps.authFailures.fail(this.#clientAddress);
    deps.metrics.requests.inc({ operation: 'authenticate', outcome: 'failed' });
    this.#logger.info({ reason, clientAddress: this.#clientAddress }, 'authentication failed');
    const failed = this.#evidence!.next('auth_failed', {
      clientAddress: this.#clientAddress,
      clientSoftware: this.#clientSoftware,
      user: context.username.slice(0, 256),
      method: context.method,
      reason,
    });
    await deps.gate
      .record([failed])
      .catch((error: unknown) =>
        this.#logger.error({ err: error }, 'auth_failed evidence was not acknowledged'),
      );
    context.reject([...TokenMethods]);
    if (this.#failures >= MAX_AUTH_ATTEMPTS) this.connection.end();
  }

  private serveSession(session: Session): void {
    // A terminal would make the target run an interactive shell's worth of commands per request.
    session.on('pty', (_accept: unknown, reject: () => void) => reject());
    session.on('x11', (_accept: unknown, reject: () => void) => reject());
    session.on('auth-agent', (_accept: unknown, reject: () => void) => reject());
    // The target's environment is its own; client variables could change what a command does.
    session.on('env', (_accept: unknown, reject: () => void) => reject());
    session.on('shell', (accept: () => ServerChannel) =>
      this.refuseChannel(accept(), 'an interactive shell', 'shell'),
    );
    session.on('subsystem', (accept: () => ServerChannel, _reject: unknown, info: { name: string }) =>
      this.refuseChannel(accept(), `the ${info.name.slice(0, 64)} subsystem`, 'subsystem'),
    );
    session.on('exec', (accept: () => ServerChannel, reject: () => void, info: { command: string }) => {
      const authenticated = this.#authenticated;
      if (!authenticated) {
        reject();
        return;
      }
      const run = new CommandRun(accept(), info.command, {
        gate: this.deps.gate,
        masker: this.deps.masker,
        session: authenticated.gateSession,
        evidence: this.#evidence!,
        upstream: authenticated.upstream,
        logger: this.#logger,
        metrics: this.deps.metrics,
        maxCommandBytes: this.deps.maxCommandBytes,
        outputBatchBytes: this.deps.outputBatchBytes,
        recordLater: (records) => this.recordLater(records),
        connectionClosed: this.#gone.signal,
      });
      session.on(
        'signal',
        (acceptSignal: (() => void) | undefined, _reject: unknown, signal: { name: string }) => {
          acceptSignal?.();
          run.signal(signal.name);
        },
      );
      this.track(run.run());
    });
  }

  private refuseChannel(channel: ServerChannel, what: string, kind: string): void {
    this.deps.metrics.requests.inc({ operation: kind, outcome: 'refused' });
    this.#logger.info({ request: kind }, 'interactive request refused');
    const refusal = unsupportedRequest(what);
    channel.on('error', () => undefined);
    channel.stderr.write(refusal.line);
    channel.exit(refusal.status);
    channel.end();
  }

  private track(run: Promise<void>): void {
    this.#runs.add(run);
    void run.finally(() => this.#runs.delete(run));
  }

  private recordLater(records: EvidenceRecord[]): void {
    const pending = this.deps.gate.record(records).catch((error: unknown) => {
      this.#logger.error({ err: error }, 'result evidence was not acknowledged');
      this.deps.metrics.requests.inc({ operation: 'result_evidence', outcome: 'failed' });
    });
    this.#pendingEvidence.add(pending);
    void pending.finally(() => this.#pendingEvidence.delete(pending));
  }

  private async closeEvidence(reason: string): Promise<void> {
    await Promise.allSettled([...this.#pendingEvidence]);
    const evidence = this.#evidence;
    if (!this.#authenticated || !evidence) return;
    this.deps.metrics.inFlight.dec({ operation: 'session' });
    const closed = evidence.next('session_closed', {
      reason,
      chainHead: evidence.head,
      recordCount: evidence.count + 1,
    });
    await this.deps.gate
      .record([closed])
      .catch((error: unknown) =>
        this.#logger.error({ err: error }, 'session_closed evidence was not acknowledged'),
      );
    this.#logger.info({ reason }, 'session closed');
  }
}
